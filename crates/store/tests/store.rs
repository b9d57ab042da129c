//! The store on a real redb file in a temp dir: lazy loading, corruption reports, journal
//! replay onto the right base, compaction, and two handles on one home.
#![allow(clippy::unwrap_used)]

mod common;

use common::{founder, session};
use stones_doc::{DocId, TextField};
use stones_store::testing::{append_raw_chunk, put_cached_heads};
use stones_store::{Notebook, Store, StoreError, Target};

#[test]
fn opening_loads_the_index_and_one_session_only() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
        let mut nb = Notebook::create(&store, "Group", "", &founder()).unwrap();
        for day in 1..=12 {
            nb.new_session(&session(day), "How are you?").unwrap();
        }
        nb.id()
    };
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&store, id).unwrap();
    assert_eq!(store.docs_loaded(), 2, "index + latest session");
    assert_eq!(nb.loaded_sessions().len(), 1);
    let latest = nb.view().sessions.last().unwrap().clone();
    assert_eq!(nb.loaded_sessions(), vec![latest.doc]);
    let first = nb.view().sessions[0].id;
    nb.session(first).unwrap();
    assert_eq!(store.docs_loaded(), 3, "another session loads on demand");
    nb.session(first).unwrap();
    assert_eq!(store.docs_loaded(), 3, "and only once");
}

#[test]
fn a_damaged_chunk_names_its_document_and_spares_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let mut nb = Notebook::create(&store, "Group", "", &founder()).unwrap();
    let a = nb.new_session(&session(1), "").unwrap();
    let b = nb.new_session(&session(2), "").unwrap();
    let view = nb.view();
    let doc_b: DocId = view.session(b).unwrap().doc;
    let id = nb.id();
    drop(nb);
    append_raw_chunk(&store, doc_b, b"\x85\x6f\x4a\x83 not automerge").unwrap();
    let fresh = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&fresh, id).unwrap();
    let err = nb.session(b).unwrap_err().to_string();
    assert!(
        err.contains("stones.redb") && err.contains(&doc_b.to_hex()) && err.contains("chunk"),
        "{err}"
    );
    assert!(nb.session(a).is_ok(), "an intact session stays readable");
    assert_eq!(nb.view().title, "Group");
}

#[test]
fn a_truncated_or_garbage_store_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
        Notebook::create(&store, "Group", "", &founder()).unwrap();
    }
    let file = dir.path().join("stones.redb");
    let len = std::fs::metadata(&file).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    f.set_len(len / 3).unwrap();
    drop(f);
    match Store::open(dir.path()) {
        Err(e @ (StoreError::Corrupt { .. } | StoreError::Db { .. })) => {
            assert!(e.to_string().contains("stones.redb"), "{e}");
        }
        Err(e) => panic!("unexpected error kind: {e}"),
        Ok(store) => {
            // redb may repair a truncated tail; then reading must not panic either.
            let _ = Notebook::list(&store);
        }
    }
    std::fs::write(&file, vec![0xAB; 8192]).unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(err.to_string().contains("stones.redb"), "{err}");
}

#[test]
fn journal_replays_onto_its_base_even_after_other_commits() {
    let dir = tempfile::tempdir().unwrap();
    let store_a = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let mut a = Notebook::create(&store_a, "Group", "", &founder()).unwrap();
    let s = a.new_session(&session(1), "").unwrap();
    let r = a
        .edit_session(s, "add", |d, c| {
            d.add_reflection(
                "R",
                "Hello world",
                stones_doc::Scope::Export,
                c.me,
                c.now_ms,
            )
        })
        .unwrap();
    let field = TextField::Reflection(r);
    // Writer A types " dear" after "Hello" but never commits (then "dies").
    a.type_text(Target::Session(s), field, 5, 0, " dear", 0)
        .unwrap();
    // Meanwhile writer B (another process on the same home) prepends text and commits.
    let store_b = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    assert_ne!(store_a.slot(), store_b.slot());
    let mut b = Notebook::open(&store_b, a.id()).unwrap();
    b.type_text(Target::Session(s), field, 0, 0, ">> ", 0)
        .unwrap();
    b.commit_pending().unwrap();
    let id = a.id();
    drop(a); // dropping a Notebook commits nothing: like a crash
    drop(store_a); // releases A's slot lock, as the kernel would
    drop(b);
    drop(store_b);
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    assert_eq!(store.recovered_edits(), 1);
    let mut nb = Notebook::open(&store, id).unwrap();
    let body = &nb.session(s).unwrap().reflections[0].body;
    assert_eq!(
        body, ">> Hello dear world",
        "A's edit lands where A typed it"
    );
}

#[test]
fn typing_commits_by_policy_and_compaction_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let mut nb = Notebook::create(&store, "Group", "", &founder()).unwrap();
    let s = nb.new_session(&session(1), "").unwrap();
    let target = Target::Session(s);
    let mut expected = String::new();
    let mut t = 1_000u64;
    for burst in 0..40 {
        let text = format!("burst {burst}, ☕ ");
        let len = expected.chars().count();
        nb.type_text(target, TextField::Notes, len, 0, &text, t)
            .unwrap();
        expected.push_str(&text);
        t += 500;
        if burst % 4 == 3 {
            t += 2_500; // a pause
        }
        nb.tick(t).unwrap();
    }
    nb.commit_pending().unwrap();
    let changes = nb.history(target).unwrap().len();
    assert!(
        changes <= 12,
        "coarse commits: {changes} changes for 40 bursts"
    );
    let chunks = store
        .db()
        .read_chunks(nb.view().session(s).unwrap().doc, 0)
        .unwrap();
    assert!(
        chunks.len() < 12,
        "compaction kept the chunk count down: {}",
        chunks.len()
    );
    let id = nb.id();
    drop(nb);
    let again = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&again, id).unwrap();
    assert_eq!(nb.session(s).unwrap().notes, expected);
}

#[test]
fn a_second_handle_sees_commits_on_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let s1 = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let mut a = Notebook::create(&s1, "Group", "", &founder()).unwrap();
    let s2 = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let mut b = Notebook::open(&s2, a.id()).unwrap();
    a.edit_index("q", |i, c| i.add_question("Why?", c.me, None, c.now_ms))
        .unwrap();
    assert!(b.view().questions.is_empty());
    assert!(b.refresh().unwrap());
    assert_eq!(b.view().questions.len(), 1);
    assert!(!b.refresh().unwrap(), "nothing new the second time");
}

#[test]
fn a_cached_heads_entry_counts_only_until_the_document_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let mut nb = Notebook::create(&store, "Stewards", "", &founder()).unwrap();
    let (doc, _, _) = store.db().docs().unwrap()[0];
    let last = store.db().read_chunks(doc, 0).unwrap().last().unwrap().seq;
    let heads = index_heads(&mut nb);
    put_cached_heads(&store, doc, last, &heads).unwrap();
    assert_eq!(
        store.db().valid_heads(&[doc]).unwrap().get(&doc),
        Some(&heads)
    );
    // A stale entry (an older chunk) does not count.
    put_cached_heads(&store, doc, last - 1, &heads).unwrap();
    assert!(store.db().valid_heads(&[doc]).unwrap().is_empty());
    // Nor does a valid one once the document gets a new chunk.
    put_cached_heads(&store, doc, last, &heads).unwrap();
    nb.new_session(&session(3), "").unwrap();
    let now = index_heads(&mut nb);
    assert_ne!(now, heads);
    assert_eq!(
        store.db().valid_heads(&[doc]).unwrap().get(&doc),
        Some(&now),
        "a notebook's commit keeps the entry current"
    );
    // A chunk written any other way makes it stale.
    append_raw_chunk(&store, doc, b"").unwrap();
    assert!(store.db().valid_heads(&[doc]).unwrap().is_empty());
}

/// The index's heads as the heads cache stores them.
fn index_heads(nb: &mut Notebook) -> Vec<[u8; 32]> {
    nb.am_of(Target::Index)
        .unwrap()
        .clone()
        .get_heads()
        .iter()
        .map(|h| h.0)
        .collect()
}

#[test]
fn reading_history_while_typing_leaves_the_typing_to_be_committed_and_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let (mut nb, s) = common::notebook_with_session(&store);
    let t = Target::Session(s);
    nb.type_text(t, TextField::Notes, 0, 0, "typed before a look back", 1_000)
        .unwrap();
    // Reading history closes automerge's open transaction as a change of its own.
    nb.history(t).unwrap();
    assert!(nb.has_pending(), "the typing still waits for its commit");
    assert_eq!(
        nb.tick(1_000 + stones_doc::commit_policy::PAUSE_MS)
            .unwrap(),
        1
    );
    // Another process (another store handle) reads it from disk.
    let other = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let mut theirs = Notebook::open(&other, nb.id()).unwrap();
    assert_eq!(theirs.session(s).unwrap().notes, "typed before a look back");
}

#[test]
fn a_second_handle_on_one_notebook_in_one_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let (nb, _) = common::notebook_with_session(&store);
    let err = Notebook::open(&store, nb.id()).unwrap_err();
    assert!(
        matches!(err, stones_store::StoreError::AlreadyOpen(_)),
        "{err}"
    );
    let id = nb.id();
    drop(nb);
    Notebook::open(&store, id).expect("free again once the first handle is gone");
}

#[test]
fn a_refresh_that_fails_is_tried_again_not_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let (mut nb, s) = common::notebook_with_session(&store);
    let doc = nb.doc_of_session(s).unwrap();
    // Another process writes a damaged chunk of a document this handle holds.
    let other = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    append_raw_chunk(&other, doc, b"\x85\x6f\x4a\x83 not automerge").unwrap();
    let first = nb.refresh().unwrap_err().to_string();
    assert!(first.contains("damaged"), "{first}");
    // The news was not taken in, so it is not marked as seen: the next refresh says so
    // again instead of reporting that nothing is new.
    assert!(nb.refresh().is_err(), "a failed refresh is not forgotten");
}

#[test]
fn a_handle_hears_of_other_processes_writes_but_not_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let mine = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let (mut nb, s) = common::notebook_with_session(&mine);
    let (seen, _) = mine.db().news_since(0).unwrap();
    nb.type_text(Target::Session(s), TextField::Notes, 0, 0, "mine", 0)
        .unwrap();
    nb.commit_pending().unwrap();
    let (after_own, others) = mine.db().news_since(seen).unwrap();
    assert!(
        after_own > seen && !others,
        "its own commit is no news to it"
    );
    // A raw write through the same handle, which no Notebook holds, is news too.
    let doc = nb.doc_of_session(s).unwrap();
    append_raw_chunk(&mine, doc, b"").unwrap();
    let (after_raw, others) = mine.db().news_since(after_own).unwrap();
    assert!(others, "a write no Notebook holds is news");
    let after_own = after_raw;
    let theirs = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let (mut other_nb, _) = common::notebook_with_session(&theirs);
    other_nb.commit_pending().unwrap();
    let (_, others) = mine.db().news_since(after_own).unwrap();
    assert!(others, "another process's commit is news");
}

/// `new_session` edits the index, then makes the session's document: if making it fails,
/// the index edit is undone — no session is ever named without its document, in memory or
/// on disk, even after later edits are written.
#[test]
fn a_session_whose_document_fails_leaves_nothing_in_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let (mut nb, _) = common::notebook_with_session(&store);
    stones_store::testing::fail_next_session_doc(&store);
    let err = nb.new_session(&session(8), "").unwrap_err().to_string();
    assert!(err.contains("injected"), "{err}");
    assert_eq!(nb.view().sessions.len(), 1, "the index does not name it");
    // A later edit writes the index: still no trace of the failed session.
    nb.new_session(&session(15), "").unwrap();
    let id = nb.id();
    drop(nb);
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&store, id).unwrap();
    let titles: Vec<String> = nb.view().sessions.iter().map(|s| s.title.clone()).collect();
    assert_eq!(titles, vec!["Week 1".to_string(), "Week 15".to_string()]);
    for s in nb.view().sessions.clone() {
        nb.session(s.id).unwrap(); // every session named has its document
    }
}
