//! The store as the protocol's replica: what a peer sent is never lost, even when another
//! process commits to the same document before the replica has written it.
#![allow(clippy::unwrap_used)]

use stones_doc::automerge::ROOT;
use stones_doc::automerge::transaction::Transactable;
use stones_doc::{DocKind, NewSession, SessionKind, TextField};
use stones_store::{NewMember, Notebook, Store, Target};
use stones_sync::core::Replica;
use stones_sync::replica::EngineReplica;

#[test]
fn a_peers_change_survives_another_process_committing_to_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    let (nb_id, session, doc) = {
        let store = std::sync::Arc::new(Store::open_or_create(dir.path()).unwrap());
        let mut nb = Notebook::create(
            &store,
            "Group",
            "",
            &NewMember {
                name: "Ana".into(),
                ..NewMember::default()
            },
        )
        .unwrap();
        let s = nb
            .new_session(
                &NewSession {
                    date: "2026-03-01".parse().unwrap(),
                    kind: SessionKind::Weekly,
                    title: "Week".into(),
                    convener: None,
                },
                "",
            )
            .unwrap();
        (nb.id(), s, nb.view().sessions[0].doc)
    };
    let mut replica =
        EngineReplica::open(std::sync::Arc::new(Store::open(dir.path()).unwrap())).unwrap();
    // A peer's version of the session with one more change, received whole (merged, unwritten).
    let mut theirs = {
        let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
        stones_store::loaded::load_am(&store, doc).unwrap().0
    };
    theirs.set_actor(stones_doc::automerge::ActorId::from(vec![9u8; 33]));
    theirs.put(ROOT, "from_peer", "kept").unwrap();
    let (received, _) = replica
        .receive_whole(nb_id, doc, DocKind::Session, &theirs.save(), &[])
        .unwrap();
    assert!(received.changed);
    // Meanwhile another process on this home commits typing to the same document.
    {
        let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
        let mut nb = Notebook::open(&store, nb_id).unwrap();
        nb.type_text(Target::Session(session), TextField::Notes, 0, 0, "typed", 0)
            .unwrap();
        nb.commit_pending().unwrap();
    }
    // The node's poll picks that up, then its next flush writes what it holds.
    replica.refresh().unwrap();
    replica.flush().unwrap();
    drop(replica);
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let am = stones_store::loaded::load_am(&store, doc).unwrap().0;
    use stones_doc::automerge::ReadDoc;
    assert!(
        am.get(ROOT, "from_peer").unwrap().is_some(),
        "the peer's change is stored"
    );
    let mut nb = Notebook::open(&store, nb_id).unwrap();
    assert_eq!(nb.session(session).unwrap().notes.as_str(), "typed");
}
