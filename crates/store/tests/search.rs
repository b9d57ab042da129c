//! Search on the real store: a hit in a session that is not loaded, found from the cache by
//! the next process without loading it; typing not yet committed; another handle's commit
//! to a session this one never loaded; a damaged session skipped with its reason.
#![allow(clippy::unwrap_used)]

mod common;

use common::{founder, session};
use std::sync::Arc;
use stones_doc::search::Query;
use stones_doc::{Scope, TextField};
use stones_store::testing::append_raw_chunk;
use stones_store::{Notebook, Store, Target};

fn hits(nb: &mut Notebook, q: &str) -> Vec<String> {
    let found = nb.search(&Query::parse(q).unwrap(), 50).unwrap();
    found.hits.iter().map(|h| h.item.id.clone()).collect()
}

#[test]
fn a_session_not_loaded_is_found_and_the_next_process_reads_the_cache_not_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let (id, first, reflection) = {
        let store = Arc::new(Store::open_or_create(dir.path()).unwrap());
        let mut nb = Notebook::create(&store, "Group", "", &founder()).unwrap();
        let first = nb.new_session(&session(1), "").unwrap();
        let r = nb
            .edit_session(first, "r", |s, c| {
                s.add_reflection(
                    "Arrival",
                    "A naïve lighthouse.",
                    Scope::Export,
                    c.me,
                    c.now_ms,
                )
            })
            .unwrap();
        for day in 2..=12 {
            nb.new_session(&session(day), "How are you?").unwrap();
        }
        (nb.id(), first, r)
    };
    {
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let mut nb = Notebook::open(&store, id).unwrap();
        assert_eq!(store.docs_loaded(), 2);
        assert_eq!(hits(&mut nb, "NAIVE lighthouse"), [reflection.to_hex()]);
        assert_eq!(
            store.docs_loaded(),
            2 + 11,
            "the first search reads each session once"
        );
        assert_eq!(hits(&mut nb, "lighthouse"), [reflection.to_hex()]);
        assert_eq!(
            store.docs_loaded(),
            13,
            "and not again while nothing changed"
        );
    }
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&store, id).unwrap();
    assert_eq!(hits(&mut nb, "lighthouse"), [reflection.to_hex()]);
    assert_eq!(
        store.docs_loaded(),
        2,
        "the next process searches from the cache"
    );
    assert!(
        !nb.loaded_sessions()
            .contains(&nb.view().session(first).unwrap().doc)
    );

    // Another handle (a second process) writes into the session this one has not loaded.
    let other = Arc::new(Store::open(dir.path()).unwrap());
    drop(nb);
    let mut writer = Notebook::open(&other, id).unwrap();
    writer
        .append_text(
            Target::Session(first),
            TextField::Reflection(reflection),
            " Gulls.",
        )
        .unwrap();
    writer.commit_pending().unwrap();
    drop(writer);
    let mut nb = Notebook::open(&store, id).unwrap();
    assert_eq!(hits(&mut nb, "gulls"), [reflection.to_hex()]);

    // Typing not yet committed is found too (the view it is read from is current).
    let latest = nb.view().sessions.last().unwrap().id;
    nb.type_text(
        Target::Session(latest),
        TextField::Notes,
        0,
        0,
        "Ptarmigan? ",
        0,
    )
    .unwrap();
    assert!(nb.has_pending());
    assert_eq!(hits(&mut nb, "ptarmigan"), [latest.to_hex()]);
}

#[test]
fn a_damaged_session_is_skipped_with_its_reason_and_the_rest_is_searched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open_or_create(dir.path()).unwrap());
    let mut nb = Notebook::create(&store, "Group", "", &founder()).unwrap();
    let a = nb.new_session(&session(1), "Lighthouse a?").unwrap();
    let b = nb.new_session(&session(2), "Lighthouse b?").unwrap();
    nb.new_session(&session(3), "").unwrap();
    let doc_a = nb.view().session(a).unwrap().doc;
    let id = nb.id();
    drop(nb);
    append_raw_chunk(&store, doc_a, b"\x85\x6f\x4a\x83 not automerge").unwrap();
    let fresh = Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&fresh, id).unwrap();
    let found = nb.search(&Query::parse("lighthouse").unwrap(), 10).unwrap();
    let ids: Vec<String> = found.hits.iter().map(|h| h.item.id.clone()).collect();
    assert_eq!(ids, [b.to_hex()]);
    assert_eq!(found.skipped.len(), 1);
    assert_eq!(found.skipped[0].0, a);
    assert!(found.skipped[0].1.contains("chunk"), "{:?}", found.skipped);
}
