//! What the core knows of each connection: the peer, how far the handshake got, and per
//! notebook offered the link — whether it is open, the peer's digest, and one automerge sync
//! state per document. Data only; `conn.rs` handles messages, `link.rs` runs the sync.

use crate::error::SyncError;
use crate::wire::HeadsHash;
use std::collections::BTreeMap;
use stones_doc::automerge::sync;
use stones_doc::{DeviceId, DocId, NotebookId};

/// A connection to one peer.
pub(super) struct Conn {
    pub peer: DeviceId,
    /// We dialled this connection.
    pub dialed: bool,
    pub got_hello: bool,
    pub got_welcome: bool,
    /// Notebooks we offered in our hello, with their sync state once open.
    pub links: BTreeMap<NotebookId, NbLink>,
}

impl Conn {
    /// `offered`: each notebook in our hello, and whether the peer is verified for it.
    pub fn new(peer: DeviceId, dialed: bool, offered: &[(NotebookId, bool)]) -> Conn {
        Conn {
            peer,
            dialed,
            got_hello: false,
            got_welcome: false,
            links: offered
                .iter()
                .map(|(nb, verified)| {
                    (
                        *nb,
                        NbLink {
                            verified: *verified,
                            ..NbLink::default()
                        },
                    )
                })
                .collect(),
        }
    }

    pub fn open_notebooks(&self) -> Vec<NotebookId> {
        self.links
            .iter()
            .filter(|(_, l)| l.open)
            .map(|(nb, _)| *nb)
            .collect()
    }
}

/// A notebook on one connection.
#[derive(Default)]
pub(super) struct NbLink {
    /// We offered it and the peer accepted: documents may flow.
    pub open: bool,
    /// The peer is a member device in our index (else we only ask for the index, send
    /// nothing else, and wait to learn who it is).
    pub verified: bool,
    /// The peer's digest arrived.
    pub digest: bool,
    pub docs: BTreeMap<DocId, DocLink>,
    pub was_caught_up: bool,
}

/// One document on one connection.
pub(super) struct DocLink {
    pub state: sync::State,
    /// The peer's heads hash, as last heard (digest or sync message).
    pub their_hash: Option<HeadsHash>,
    /// The peer refused some of our changes to this document on this connection (so it
    /// will never hold all of our heads).
    pub refused_ours: bool,
}

/// A protocol error: the peer sent something out of order or malformed.
pub(super) fn protocol(what: impl Into<String>) -> SyncError {
    SyncError::Protocol(what.into())
}
