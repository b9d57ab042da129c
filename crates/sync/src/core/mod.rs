//! The sans-IO protocol core: one [`Core`] per device drives every connection of that device.
//! Inputs are "a connection opened to this authenticated peer", "these bytes arrived", "the
//! connection closed", "these documents changed locally"; outputs are frames to send,
//! connections to close and events for the user. No clocks, sockets or threads here.
//!
//! Per connection: both sides send `Hello` listing the notebooks the other is allowed to
//! sync (per our index), answer with `Welcome`; a notebook is open when we listed it and the
//! peer accepted it. Then each side sends a `Digest` of heads hashes and runs the automerge
//! sync protocol for each document whose hashes differ, index first. The connection stays
//! open: local changes and changes received from one peer are pushed to the others (live).

mod conn;
mod conn_state;
mod gate;
mod link;
pub mod replica;
pub mod signing;

pub use conn::NOT_SHARED;
pub use replica::{Access, Replica};

use crate::error::Result;
use crate::wire::{Msg, PROTOCOL};
use conn_state::Conn;
use std::collections::BTreeMap;
use stones_doc::{DeviceId, DocId, NotebookId};

/// A connection, numbered by whoever drives the core.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u64);

/// What happened, for the user and the tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncEvent {
    /// A peer's hello arrived; we share these notebooks with it.
    PeerConnected {
        /// The peer's device.
        peer: DeviceId,
    },
    /// The peer refused a notebook we asked for.
    Refused {
        /// The peer's device.
        peer: DeviceId,
        /// The notebook refused.
        notebook: NotebookId,
        /// Why, as the peer said it.
        reason: String,
    },
    /// A document changed because of what a peer sent.
    DocUpdated {
        /// The notebook.
        notebook: NotebookId,
        /// The document that changed.
        doc: DocId,
        /// The peer whose changes it took in.
        peer: DeviceId,
    },
    /// Every shared document of this notebook is in sync with this peer, both ways.
    CaughtUp {
        /// The peer's device.
        peer: DeviceId,
        /// The notebook.
        notebook: NotebookId,
    },
    /// Changes a peer sent were refused (unsigned or forged index changes); the rest of
    /// what it sent was taken, and the peer was told.
    ChangesRefused {
        /// The peer's device.
        peer: DeviceId,
        /// The notebook.
        notebook: NotebookId,
        /// The document.
        doc: DocId,
        /// How many changes.
        changes: usize,
        /// Why.
        reason: String,
    },
    /// A peer refused changes we sent it, and said why.
    RefusedByPeer {
        /// The peer's device.
        peer: DeviceId,
        /// The notebook.
        notebook: NotebookId,
        /// The document.
        doc: DocId,
        /// How many changes.
        changes: u32,
        /// Why, as the peer said it.
        reason: String,
    },
    /// The connection ended.
    Closed {
        /// The peer's device.
        peer: DeviceId,
        /// Why it ended.
        reason: String,
    },
}

/// What the driver must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Send this encoded message (frame it first).
    Send {
        /// The connection.
        conn: ConnId,
        /// The encoded message.
        msg: Vec<u8>,
    },
    /// Close this connection; the reason was already sent to the peer if it could be.
    Close {
        /// The connection.
        conn: ConnId,
        /// Why.
        reason: String,
    },
    /// Tell the user.
    Event(SyncEvent),
}

/// Traffic counters, across all connections since the core started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStats {
    /// Frames received.
    pub frames_in: u64,
    /// Bytes received.
    pub bytes_in: u64,
    /// Frames sent.
    pub frames_out: u64,
    /// Bytes sent.
    pub bytes_out: u64,
    /// Documents that a sync message was sent or received for.
    pub docs_synced: std::collections::BTreeSet<DocId>,
    /// Documents the device had to load from its store (filled in by the node; a reconnect
    /// should load only what changed).
    pub docs_loaded: u64,
}

/// The protocol engine of one device.
pub struct Core<R> {
    /// The documents this core syncs.
    pub replica: R,
    conns: BTreeMap<ConnId, Conn>,
    out: Vec<Output>,
    /// Traffic and work counters.
    pub stats: SyncStats,
    /// Documents peers changed in this batch of inputs, with the connections they came
    /// from: offered to the other peers once the whole batch is in (by then, what a peer
    /// sent us tells us what it already has, so fewer copies go round a full mesh).
    relay: BTreeMap<(NotebookId, DocId), std::collections::BTreeSet<ConnId>>,
}

impl<R: Replica> Core<R> {
    /// A core over this device's documents.
    pub fn new(replica: R) -> Self {
        Core {
            replica,
            conns: BTreeMap::new(),
            out: Vec::new(),
            stats: SyncStats::default(),
            relay: BTreeMap::new(),
        }
    }

    /// A connection to an authenticated peer opened: say hello. `dialed` is true when this
    /// device dialled (only then may a peer unknown to our index be heard out).
    pub fn opened(&mut self, conn: ConnId, peer: DeviceId, dialed: bool) {
        let offered: Vec<(NotebookId, bool)> = self
            .replica
            .notebooks()
            .into_iter()
            .filter_map(|nb| match self.access_for(nb, peer, dialed) {
                replica::Access::Refused(_) => None,
                a => Some((nb, a.allowed())),
            })
            .collect();
        self.conns.insert(conn, Conn::new(peer, dialed, &offered));
        self.send(
            conn,
            &Msg::Hello {
                protocol: PROTOCOL,
                notebooks: offered.iter().map(|(nb, _)| *nb).collect(),
            },
        );
    }

    /// Access on a connection: an unknown peer is heard out only when we dialled it.
    fn access_for(&self, nb: NotebookId, peer: DeviceId, dialed: bool) -> replica::Access {
        match self.replica.access(nb, peer) {
            replica::Access::Unverified if !dialed => {
                replica::Access::Refused(conn::NOT_SHARED.to_string())
            }
            a => a,
        }
    }

    /// Bytes of one frame arrived on a connection.
    pub fn received(&mut self, conn: ConnId, bytes: &[u8]) {
        if !self.conns.contains_key(&conn) {
            return; // closed meanwhile: ignore what was in flight
        }
        self.stats.frames_in += 1;
        self.stats.bytes_in += bytes.len() as u64;
        let result = match Msg::decode(bytes) {
            Ok(msg) => self.handle(conn, msg),
            Err(e) => Err(crate::SyncError::Protocol(e.to_string())),
        };
        if let Err(e) = result {
            let reason = e.to_string();
            tracing::warn!(conn = conn.0, %reason, "closing connection");
            self.bye(conn, &reason);
        }
    }

    /// The connection closed (by the peer or the network).
    pub fn closed(&mut self, conn: ConnId, reason: &str) {
        if let Some(c) = self.conns.remove(&conn) {
            self.save_states(&c);
            self.event(SyncEvent::Closed {
                peer: c.peer,
                reason: reason.to_string(),
            });
        }
    }

    /// Documents changed on this device: push them to every peer sharing their notebook,
    /// and re-check who may stay connected if an index changed.
    pub fn local_changed(&mut self, docs: &[DocId]) {
        let mut index_changed = false;
        for doc in docs {
            let Some((nb, kind)) = self.replica.doc_info(*doc) else {
                continue;
            };
            index_changed |= kind == stones_doc::DocKind::Index;
            self.push_doc(nb, *doc, &Default::default());
        }
        if index_changed {
            self.recheck_access();
        }
    }

    /// Takes the queued `DocUpdated` events (a peer's changes merged in memory) ahead of the
    /// flush: what this device shows may run ahead of its own write, since the sender holds
    /// the change durably; frames (acknowledgements) still wait for [`Core::take_output`].
    pub fn take_doc_updates(&mut self) -> Vec<SyncEvent> {
        self.out
            .extract_if(.., |o| {
                matches!(o, Output::Event(SyncEvent::DocUpdated { .. }))
            })
            .filter_map(|o| match o {
                Output::Event(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    /// Makes received documents and sync states durable, then hands over what to send. Call
    /// after a batch of inputs: nothing is acknowledged to a peer before it is on disk.
    pub fn take_output(&mut self) -> Result<Vec<Output>> {
        // Index documents first: a removal (or any membership change) must reach the next
        // device before what was written after it, on every link (frames keep their order).
        let mut relay: Vec<_> = std::mem::take(&mut self.relay).into_iter().collect();
        relay.sort_by_key(|((_, doc), _)| {
            !matches!(
                self.replica.doc_info(*doc),
                Some((_, stones_doc::DocKind::Index))
            )
        });
        for ((nb, doc), from) in relay {
            self.push_doc(nb, doc, &from);
        }
        self.replica.flush()?;
        Ok(std::mem::take(&mut self.out))
    }

    /// Whether every notebook shared on this connection is caught up both ways.
    pub fn caught_up(&mut self, conn: ConnId) -> bool {
        let Some(c) = self.conns.get(&conn) else {
            return false;
        };
        let open: Vec<NotebookId> = c.open_notebooks();
        !open.is_empty() && open.iter().all(|nb| self.nb_caught_up(conn, *nb))
    }

    /// The peer on a connection.
    pub fn peer(&self, conn: ConnId) -> Option<DeviceId> {
        self.conns.get(&conn).map(|c| c.peer)
    }

    /// Open connections.
    pub fn conns(&self) -> Vec<ConnId> {
        self.conns.keys().copied().collect()
    }

    fn send(&mut self, conn: ConnId, msg: &Msg) {
        let bytes = msg.encode();
        self.stats.frames_out += 1;
        self.stats.bytes_out += bytes.len() as u64;
        if let Msg::Sync { doc, .. } | Msg::Whole { doc, .. } = msg {
            self.stats.docs_synced.insert(*doc);
        }
        self.out.push(Output::Send { conn, msg: bytes });
    }

    fn event(&mut self, e: SyncEvent) {
        self.out.push(Output::Event(e));
    }

    /// Says goodbye with a reason and closes.
    fn bye(&mut self, conn: ConnId, reason: &str) {
        self.send(
            conn,
            &Msg::Bye {
                reason: reason.to_string(),
            },
        );
        self.out.push(Output::Close {
            conn,
            reason: reason.to_string(),
        });
        self.closed(conn, reason);
    }

    /// Closes connections of peers no longer allowed on a notebook they had open.
    fn recheck_access(&mut self) {
        let mut revoked = Vec::new();
        for (id, c) in &self.conns {
            for nb in c.open_notebooks() {
                let verified = c.links.get(&nb).is_some_and(|l| l.verified);
                match self.access_for(nb, c.peer, c.dialed) {
                    replica::Access::Refused(_) => revoked.push(*id),
                    replica::Access::Unverified if verified => revoked.push(*id),
                    _ => continue,
                }
                break;
            }
        }
        for conn in revoked {
            tracing::info!(conn = conn.0, "peer's device was revoked; disconnecting");
            self.bye(conn, crate::wire::reason::REMOVED);
        }
    }
}
