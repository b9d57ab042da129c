//! The messages between the network tasks and the engine's worker: what the worker is told
//! (a connection opened or closed, a frame, a join to check, a wake-up), and what it asks of
//! a connection (send a frame, close). Kept apart so the connection, dialer and join code
//! and the worker each depend on it, not on one another.

use crate::core::ConnId;
use crate::wire::Msg;
use stones_doc::{DeviceId, EntryId, NotebookId};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

/// What the worker asks of a connection.
#[derive(Debug)]
pub(crate) enum ConnCmd {
    /// A complete frame (length prefix included).
    Frame(Vec<u8>),
    /// Close with this reason.
    Close(String),
}

/// A join request as the inviter's node receives it.
#[derive(Debug)]
pub(crate) struct JoinRequest {
    pub notebook: NotebookId,
    pub invite: EntryId,
    pub secret: [u8; 16],
    pub name: String,
    pub sector: String,
    pub as_member: bool,
    pub device: DeviceId,
}

/// Everything the worker is told.
pub(crate) enum ToWorker {
    Opened {
        conn: ConnId,
        peer: DeviceId,
        dialed: bool,
        out: UnboundedSender<ConnCmd>,
        remember: Option<Vec<u8>>,
    },
    Frame {
        conn: ConnId,
        bytes: Vec<u8>,
        /// The frame's share of its connection's in-flight budget, given back when the
        /// worker is done with it (`node/conn.rs`).
        budget: tokio::sync::OwnedSemaphorePermit,
    },
    Closed {
        conn: ConnId,
        reason: String,
    },
    Redeem {
        req: JoinRequest,
        reply: oneshot::Sender<Msg>,
    },
    /// A peer refused the connection before its stream opened (at its handshake).
    RefusedAtOpen {
        peer: DeviceId,
        reason: String,
    },
    /// Something changed (an edit, the clock, another process): look again now.
    Wake,
    Shutdown,
}
