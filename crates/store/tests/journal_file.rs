//! The keystroke journal file: a commit's done marks keep a replay from applying committed
//! typing twice even when emptying the file was lost in a crash, and a torn last entry (a
//! crash mid-append, never acknowledged) is ignored while every whole entry is replayed.
#![allow(clippy::unwrap_used)]

mod common;

use stones_doc::TextField;
use stones_store::journal::{journal_path, journal_slots};
use stones_store::{Notebook, Store, Target};

fn setup(home: &std::path::Path) -> (stones_doc::NotebookId, stones_doc::EntryId) {
    let store = std::sync::Arc::new(Store::open_or_create(home).unwrap());
    let (nb, s) = common::notebook_with_session(&store);
    (nb.id(), s)
}

fn notes(home: &std::path::Path, nb: stones_doc::NotebookId, s: stones_doc::EntryId) -> String {
    let store = std::sync::Arc::new(Store::open(home).unwrap());
    let mut nb = Notebook::open(&store, nb).unwrap();
    nb.session(s).unwrap().notes.clone()
}

#[test]
fn committed_typing_is_not_replayed_when_the_file_was_not_emptied() {
    let dir = tempfile::tempdir().unwrap();
    let (id, s) = setup(dir.path());
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let slot = store.slot();
    let mut nb = Notebook::open(&store, id).unwrap();
    for (i, w) in ["one ", "two ", "three"].iter().enumerate() {
        nb.type_text(Target::Session(s), TextField::Notes, i * 4, 0, w, 0)
            .unwrap();
    }
    let file = journal_path(dir.path(), slot);
    let journaled = std::fs::read(&file).unwrap();
    assert!(!journaled.is_empty(), "every keystroke is in the file");
    nb.commit_pending().unwrap();
    assert_eq!(
        std::fs::metadata(&file).unwrap().len(),
        0,
        "emptied once covered"
    );
    // A crash right after the commit's transaction, before the file was emptied:
    std::fs::write(&file, &journaled).unwrap();
    drop(nb); // dropping a Notebook commits nothing: as if its writer died
    drop(store);
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    assert_eq!(
        store.recovered_edits(),
        0,
        "the done marks cover every entry"
    );
    drop(store);
    assert_eq!(notes(dir.path(), id, s), "one two three");
    assert!(journal_slots(dir.path()).unwrap().is_empty());
}

#[test]
fn a_torn_last_entry_is_ignored_and_the_whole_ones_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let (id, s) = setup(dir.path());
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let slot = store.slot();
    let mut nb = Notebook::open(&store, id).unwrap();
    nb.type_text(Target::Session(s), TextField::Notes, 0, 0, "kept", 0)
        .unwrap();
    nb.type_text(Target::Session(s), TextField::Notes, 4, 0, " too", 0)
        .unwrap();
    drop(nb); // dropping a Notebook commits nothing: as if its writer died
    drop(store); // the writer dies with two acknowledged, uncommitted entries
    let file = journal_path(dir.path(), slot);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend([40, 0, 0, 0, 9, 9]); // half of a third entry's header
    std::fs::write(&file, &bytes).unwrap();
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    assert_eq!(store.recovered_edits(), 2);
    drop(store);
    assert_eq!(notes(dir.path(), id, s), "kept too");
    // Damage inside an entry (a flipped byte) also ends the readable journal, without panic.
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let slot = store.slot();
    let mut nb = Notebook::open(&store, id).unwrap();
    nb.type_text(Target::Session(s), TextField::Notes, 0, 0, "x", 0)
        .unwrap();
    drop(nb); // dropping a Notebook commits nothing: as if its writer died
    drop(store);
    let file = journal_path(dir.path(), slot);
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xFF;
    std::fs::write(&file, &bytes).unwrap();
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    assert_eq!(
        store.recovered_edits(),
        0,
        "a damaged entry is not replayed"
    );
    drop(store);
    assert_eq!(notes(dir.path(), id, s), "kept too");
}

#[test]
fn each_keystroke_is_in_the_file_when_the_call_returns_and_on_the_disk_once_synced() {
    let dir = tempfile::tempdir().unwrap();
    let (id, s) = setup(dir.path());
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let file = journal_path(dir.path(), store.slot());
    let mut nb = Notebook::open(&store, id).unwrap();
    let mut sizes = Vec::new();
    for i in 0..200 {
        nb.type_text(Target::Session(s), TextField::Notes, i, 0, "x", 0)
            .unwrap();
        // What a process killed right now leaves behind: the entry is in the file already.
        sizes.push(std::fs::metadata(&file).unwrap().len());
    }
    assert!(
        sizes.windows(2).all(|w| w[1] > w[0]),
        "every call grew the file"
    );
    store.journal().wait_durable().unwrap();
    // A writer that dies without committing: every keystroke is replayed.
    drop(nb); // dropping a Notebook commits nothing
    drop(store);
    assert_eq!(notes(dir.path(), id, s), "x".repeat(200));
}
