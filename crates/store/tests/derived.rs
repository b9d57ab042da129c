//! The derived cache on the real store: voices and conflicts over many sessions in a next
//! process read what the first kept instead of loading the sessions, give the same counts,
//! and read again exactly the session another handle changed since.
#![allow(clippy::unwrap_used)]

mod common;

use common::{founder, session};
use std::sync::Arc;
use stones_doc::session::TurnChoice;
use stones_doc::voices::Window;
use stones_doc::{Scope, TextField};
use stones_store::{Notebook, Store, Target};

#[test]
fn voices_and_conflicts_in_a_next_process_load_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (id, first) = {
        let store = Arc::new(Store::open_or_create(dir.path()).unwrap());
        let mut nb = Notebook::create(&store, "Group", "", &founder()).unwrap();
        let me = nb.me().unwrap();
        let mut first = None;
        for day in 1..=10 {
            let s = nb.new_session(&session(day), "How are you?").unwrap();
            nb.edit_session(s, "turn", |doc, c| {
                let spoke = TurnChoice::Spoke {
                    text: "Tired but here".into(),
                    scope: Scope::Export,
                };
                doc.record_turn(me, &spoke, c.me, c.now_ms)?;
                doc.add_reflection("R", "one two three", Scope::Export, c.me, c.now_ms)
            })
            .unwrap();
            first.get_or_insert(s);
        }
        (nb.id(), first.unwrap())
    };
    let count = |nb: &mut Notebook| {
        let v = nb.voices(&Window::default()).unwrap().voices;
        let c = v.members[0].counts;
        (v.sessions, c.turns, c.turn_words, c.written_words)
    };
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&store, id).unwrap();
    let loaded = store.docs_loaded();
    // Opening loads the latest session; a walk reads it where it is.
    let stored = 10 - nb.loaded_sessions().len() as u64;
    assert_eq!(stored, 9);
    assert_eq!(count(&mut nb), (10, 10, 30, 30));
    assert!(nb.conflicts().unwrap().found.is_empty());
    assert_eq!(
        store.docs_loaded(),
        loaded + 2 * stored,
        "each first walk reads each session once"
    );
    drop(nb);

    let store = Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&store, id).unwrap();
    let loaded = store.docs_loaded();
    assert_eq!(count(&mut nb), (10, 10, 30, 30));
    assert!(nb.conflicts().unwrap().found.is_empty());
    assert_eq!(
        store.docs_loaded(),
        loaded,
        "the next process reads the cache"
    );
    assert_eq!(nb.loaded_sessions().len(), 1);

    // Another handle (a second process) writes into the first session.
    let other = Arc::new(Store::open(dir.path()).unwrap());
    let mut writer = Notebook::open(&other, id).unwrap();
    let reflection = writer.session(first).unwrap().reflections[0].id;
    writer
        .append_text(
            Target::Session(first),
            TextField::Reflection(reflection),
            " four five",
        )
        .unwrap();
    writer.commit_pending().unwrap();
    drop(writer);
    drop(nb);
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&store, id).unwrap();
    let loaded = store.docs_loaded();
    assert_eq!(count(&mut nb), (10, 10, 30, 32));
    assert!(nb.conflicts().unwrap().found.is_empty());
    assert_eq!(
        store.docs_loaded(),
        loaded + 2,
        "only the changed session is read again, once per walk"
    );
}
