//! A disk that fills up, on a small tmpfs the test mounts (needs root: without it the test
//! says so and, under `CI=true`, fails): typing and commits on a full disk fail with an
//! error that says the disk is full and names the file; nothing that was acknowledged is
//! lost; once space is freed the same store takes typing and commits again, and a fresh
//! process reads everything that was acknowledged.
#![allow(clippy::unwrap_used)]

mod common;
#[path = "common/small_disk.rs"]
mod small_disk;

use small_disk::{fill, small_disk_or_skip};
use std::sync::Arc;
use stones_doc::{Scope, TextField};
use stones_store::{Notebook, Store, Target};

fn full_disk_error(e: &stones_store::StoreError) {
    let msg = e.to_string();
    let full = msg.contains("No space left") || msg.contains("space") || msg.contains("full");
    assert!(full, "the error says the disk is full: {msg}");
}

#[test]
fn a_full_disk_refuses_with_a_clear_error_loses_nothing_acknowledged_and_recovers() {
    let Some(disk) = small_disk_or_skip() else {
        return;
    };
    let home = disk.path().join("home");
    let store = Arc::new(Store::open_or_create(&home).unwrap());
    let (mut nb, s) = common::notebook_with_session(&store);
    let id = nb.id();
    let target = Target::Session(s);
    let field = TextField::Notes;
    let mut acknowledged = String::new();
    for w in ["we ", "held ", "the ", "question "] {
        let at = acknowledged.chars().count();
        nb.type_text(target, field, at, 0, w, 0).unwrap();
        acknowledged.push_str(w);
    }
    nb.commit_pending().unwrap();

    // Typing on a full disk: each keystroke is written to the journal or refused; a refused
    // one never reaches the document (and one refused half-written is cut back).
    let filler = fill(disk.path());
    let mut refused = 0;
    for i in 0..2_000 {
        let at = acknowledged.chars().count();
        let word = format!("w{i} ");
        match nb.type_text(target, field, at, 0, &word, 0) {
            Ok(()) => acknowledged.push_str(&word),
            Err(e) => {
                full_disk_error(&e);
                refused += 1;
                if refused >= 3 {
                    break;
                }
            }
        }
    }
    assert!(refused >= 3, "the full disk never refused a keystroke");
    assert_eq!(
        nb.session(s).unwrap().notes,
        acknowledged,
        "memory holds what was acknowledged"
    );
    // Space comes back: the same store takes typing again; then the writer dies before any
    // commit, and a fresh process replays every acknowledged keystroke from the journal.
    std::fs::remove_file(&filler).unwrap();
    let at = acknowledged.chars().count();
    nb.type_text(target, field, at, 0, "again ", 0).unwrap();
    acknowledged.push_str("again ");
    drop(nb); // commits nothing
    drop(store);
    let store = Arc::new(Store::open(&home).unwrap());
    let mut nb = Notebook::open(&store, id).unwrap();
    assert_eq!(
        nb.session(s).unwrap().notes,
        acknowledged,
        "replayed after the crash"
    );

    // A commit on a full disk fails, saying why; the typing stays in memory and journaled.
    let filler = fill(disk.path());
    let at = acknowledged.chars().count();
    if nb.type_text(target, field, at, 0, "x", 0).is_ok() {
        acknowledged.push('x');
    }
    let commit = nb.commit_pending();
    // Far more than the store file has room for already (redb grows it in steps).
    // (Five reflections: one text may hold at most `limits::MAX_TEXT_CHARS`.)
    let big = "the waiting list again. ".repeat(8_000);
    let reflection = nb.edit_session(s, "reflection", |d, cx| {
        for _ in 0..5 {
            d.add_reflection("On a full disk", &big, Scope::Group, cx.me, cx.now_ms)?;
        }
        Ok(())
    });
    let failed: Vec<_> = [commit.err(), reflection.err()]
        .into_iter()
        .flatten()
        .collect();
    assert!(!failed.is_empty(), "something had to fail on a full disk");
    for e in &failed {
        full_disk_error(e);
    }
    assert_eq!(nb.session(s).unwrap().notes, acknowledged);

    // Space comes back: commits work again on the same store.
    std::fs::remove_file(&filler).unwrap();
    let at = acknowledged.chars().count();
    nb.type_text(target, field, at, 0, "and on", 0).unwrap();
    acknowledged.push_str("and on");
    nb.commit_pending().unwrap();
    nb.edit_session(s, "reflection", |d, cx| {
        d.add_reflection("After", "space came back", Scope::Group, cx.me, cx.now_ms)
    })
    .unwrap();
    drop(nb);
    drop(store);

    let store = Arc::new(Store::open(&home).unwrap());
    let mut nb = Notebook::open(&store, id).unwrap();
    let view = nb.session(s).unwrap();
    assert_eq!(
        view.notes, acknowledged,
        "every acknowledged keystroke is kept"
    );
    assert!(view.reflections.iter().any(|r| r.title == "After"));
}
