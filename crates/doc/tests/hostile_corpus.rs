//! Automerge's own fuzz crashers and edge-case documents (tests/data/automerge-corpus) fed
//! to every reader of document bytes in the model: loading, chunk checks, change parsing,
//! and the kind check. Each answers with a value or an error, never a panic; none of them
//! is taken for a Stepping Stones document.
#![allow(clippy::unwrap_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use stones_doc::DocKind;

mod corpus;
use corpus::corpus;

#[test]
fn no_corpus_input_panics_a_reader_and_none_passes_for_ours() {
    for (name, bytes) in corpus() {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let _ = stones_doc::check_chunk(&bytes);
            let _ = stones_doc::signed::changes_in(&bytes);
            let _ = stones_doc::snapshot_heads(&bytes);
            match stones_doc::load_doc(&bytes) {
                Err(e) => assert!(!e.to_string().is_empty()),
                Ok(doc) => {
                    for kind in [DocKind::Index, DocKind::Session] {
                        let err = stones_doc::schema::check_kind(&doc, kind).unwrap_err();
                        assert!(err.to_string().contains("Stepping Stones"), "{err}");
                    }
                }
            }
        }));
        assert!(outcome.is_ok(), "{name} panicked a reader");
    }
}

#[test]
fn our_own_documents_pass_the_kind_check() {
    let nb = stones_doc::NotebookId::random();
    let actor = stones_doc::automerge::ActorId::random();
    let index = stones_doc::IndexDoc::create(nb, "T", "", actor.clone(), 1).unwrap();
    stones_doc::schema::check_kind(index.doc(), DocKind::Index).unwrap();
    assert!(stones_doc::schema::check_kind(index.doc(), DocKind::Session).is_err());
    let session =
        stones_doc::SessionDoc::create(stones_doc::EntryId::random(), "", actor, 1).unwrap();
    stones_doc::schema::check_kind(session.doc(), DocKind::Session).unwrap();
}
