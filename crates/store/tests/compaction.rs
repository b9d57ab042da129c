//! Compacting documents nobody is editing: a document left as a snapshot plus a tail of
//! chunks becomes one snapshot with the same content, and its heads go into the heads cache.
#![allow(clippy::unwrap_used)]

mod common;

use stones_doc::TextField;
use stones_store::chunks::SNAPSHOT;
use stones_store::compaction::{compact, fragmented, single_snapshot};
use stones_store::{Notebook, Store, Target};

#[test]
fn a_fragmented_document_becomes_one_snapshot_with_everything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
    let (mut nb, s) = common::notebook_with_session(&store);
    let mut expected = String::new();
    for i in 0..5 {
        let w = format!("line {i}. ");
        let at = expected.chars().count();
        nb.type_text(Target::Session(s), TextField::Notes, at, 0, &w, 0)
            .unwrap();
        nb.commit_pending().unwrap();
        expected.push_str(&w);
    }
    let doc = nb.view().sessions[0].doc;
    drop(nb);
    assert!(store.db().read_chunks(doc, 0).unwrap().len() > 1);
    assert!(fragmented(&store).unwrap().contains(&doc));
    assert!(compact(&store, doc).unwrap());
    let chunks = store.db().read_chunks(doc, 0).unwrap();
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].kind, SNAPSHOT);
    let heads = stones_doc::snapshot_heads(single_snapshot(&chunks).unwrap()).unwrap();
    let cached = store.db().valid_heads(&[doc]).unwrap();
    let cached: Vec<_> = cached[&doc]
        .iter()
        .map(|h| stones_doc::automerge::ChangeHash(*h))
        .collect();
    assert_eq!(cached, heads, "the heads cache names the snapshot's heads");
    assert!(!fragmented(&store).unwrap().contains(&doc));
    assert!(!compact(&store, doc).unwrap(), "nothing more to do");
    let id = Notebook::list(&store).unwrap()[0].0;
    let mut nb = Notebook::open(&store, id).unwrap();
    assert_eq!(nb.session(s).unwrap().notes, expected);
}
