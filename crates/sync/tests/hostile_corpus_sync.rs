//! Automerge's own fuzz crashers and edge-case documents (`crates/doc/tests/data/
//! automerge-corpus`), sent by a peer as a whole document — as the index, as a session the
//! device holds, and as a session it does not — to the store's real replica, then written:
//! each is an error or screened out, never a panic, and afterwards the device's notebook
//! opens with its index and its session as they were. As a sync message's bytes, each closes
//! the connection with a reason.
#![allow(clippy::unwrap_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use stones_doc::{DocId, DocKind, NewSession, SessionKind};
use stones_store::{NewMember, Notebook, Store};
use stones_sync::core::Replica;
use stones_sync::replica::EngineReplica;

#[path = "../../doc/tests/corpus/mod.rs"]
mod corpus;
use corpus::corpus;

#[test]
fn corpus_documents_sent_whole_never_panic_and_leave_the_notebook_readable() {
    let dir = tempfile::tempdir().unwrap();
    let (nb_id, session, index_doc, session_doc) = {
        let store = Arc::new(Store::open_or_create(dir.path()).unwrap());
        let founder = NewMember {
            name: "Ana".into(),
            ..NewMember::default()
        };
        let mut nb = Notebook::create(&store, "Group", "", &founder).unwrap();
        let new = NewSession {
            date: "2026-03-01".parse().unwrap(),
            kind: SessionKind::Weekly,
            title: "Week".into(),
            convener: None,
        };
        let s = nb.new_session(&new, "How are you arriving?").unwrap();
        (nb.id(), s, nb.index_doc(), nb.view().sessions[0].doc)
    };
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let mut replica = EngineReplica::open(store.clone()).unwrap();
    let index_heads = replica.heads(index_doc).unwrap();
    let (mut errors, mut taken) = (0, 0);
    for (name, bytes) in corpus() {
        for (doc, kind) in [
            (index_doc, DocKind::Index),
            (session_doc, DocKind::Session),
            (DocId::random(), DocKind::Session),
        ] {
            let got = catch_unwind(AssertUnwindSafe(|| {
                replica
                    .receive_whole(nb_id, doc, kind, &bytes, &[])
                    .map_err(|e| e.to_string())
            }));
            match got {
                Err(_) => panic!("{name} as {kind:?} panicked the replica"),
                Ok(Err(e)) => {
                    assert!(!e.is_empty(), "{name}: an error says why");
                    errors += 1;
                }
                Ok(Ok(_)) => taken += 1,
            }
        }
        // Unsigned changes never enter the index.
        assert_eq!(replica.heads(index_doc).unwrap(), index_heads, "{name}");
    }
    assert!(errors > 0, "the crashers are errors");
    let _ = taken; // valid foreign documents may merge into a session (members may write)
    replica.flush().unwrap();
    drop(replica);
    drop(store);
    // The device opens its notebook, and its session reads as before.
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let mut nb = Notebook::open(&store, nb_id).unwrap();
    let view = nb.view();
    assert_eq!(view.title, "Group");
    assert_eq!(view.sessions.len(), 1);
    let s = nb.session(session).unwrap();
    assert_eq!(s.checkin_question, "How are you arriving?");
}
