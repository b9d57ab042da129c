//! What the engine tells whoever watches it: typed events (a document changed and by whom,
//! peers coming and going, caught up, refusals with a reason enum, errors with a kind), sent
//! to every subscription and followed by a call of each subscription's waker, so a UI that
//! sleeps between frames (`ctx.request_repaint()`) wakes to draw them.

pub use crate::wire::Refusal;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use stones_doc::{DeviceId, DocId, MemberId, NotebookId};

/// Who changed a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeSource {
    /// This process, through the engine.
    Local,
    /// A connected peer's device.
    Peer(DeviceId),
    /// Another process on this home (a `stones` command beside the app or `serve`).
    OtherProcess,
}

/// What kind of failure an [`EngineEvent::Error`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Reading or writing the store failed.
    Store,
    /// The network could not be started or failed.
    Network,
    /// Joining with an invite failed (not a refusal: the inviter was unreachable, say).
    Join,
}

/// Something that happened, for the app and the CLI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineEvent {
    /// A document's content changed (views of it are rebuilt on the next read).
    DocChanged {
        /// The notebook.
        notebook: NotebookId,
        /// The document.
        doc: DocId,
        /// Who changed it.
        by: ChangeSource,
    },
    /// A peer's device connected (its hello arrived).
    PeerConnected {
        /// The device.
        peer: DeviceId,
    },
    /// A peer's connection ended.
    PeerLeft {
        /// The device.
        peer: DeviceId,
        /// Why, as said or seen.
        reason: String,
    },
    /// Every document of the notebook is in sync with this peer, both ways.
    CaughtUp {
        /// The device.
        peer: DeviceId,
        /// The notebook.
        notebook: NotebookId,
    },
    /// A peer refused us (or we it), on one notebook or the whole connection.
    Refused {
        /// The device.
        peer: DeviceId,
        /// The notebook, when the refusal was about one.
        notebook: Option<NotebookId>,
        /// Why.
        reason: Refusal,
    },
    /// Changes a peer sent were refused (index changes unsigned or forged); the rest was
    /// taken, and the peer was told why.
    ChangesRefused {
        /// The peer that sent them.
        peer: DeviceId,
        /// The notebook.
        notebook: NotebookId,
        /// How many changes.
        changes: usize,
        /// Why.
        reason: String,
    },
    /// A peer refused changes this device sent, and said why.
    RefusedByPeer {
        /// The peer.
        peer: DeviceId,
        /// The notebook.
        notebook: NotebookId,
        /// How many changes.
        changes: u32,
        /// Why, as the peer said it.
        reason: String,
    },
    /// The invite was honoured: this device is a member of the notebook now and its
    /// documents are on their way.
    Joined {
        /// The notebook.
        notebook: NotebookId,
        /// The member this device belongs to.
        member: MemberId,
    },
    /// The inviting device refused the invite.
    JoinRefused {
        /// The notebook.
        notebook: NotebookId,
        /// Why.
        reason: Refusal,
    },
    /// The network started in a mode (`ticket` says where this device can be reached).
    NetworkStarted {
        /// The endpoint ticket's text.
        ticket: String,
    },
    /// Something failed.
    Error {
        /// What kind of failure.
        kind: ErrorKind,
        /// What happened, for a person.
        message: String,
    },
}

/// A callback that wakes whoever waits for events (it must return at once and must not call
/// the engine: it runs while the engine is busy).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

struct Subscriber {
    tx: Sender<EngineEvent>,
    waker: Option<Waker>,
}

/// Every subscription of one engine.
#[derive(Default)]
pub(crate) struct Hub {
    subs: Mutex<Vec<Subscriber>>,
}

impl Hub {
    /// A new subscription; `waker` is called after each batch of events is sent.
    pub fn subscribe(&self, waker: Option<Waker>) -> Receiver<EngineEvent> {
        let (tx, rx) = channel();
        self.subs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Subscriber { tx, waker });
        rx
    }

    /// Sends events to every live subscription, then wakes each once.
    pub fn emit(&self, events: Vec<EngineEvent>) {
        if events.is_empty() {
            return;
        }
        let mut subs = self.subs.lock().unwrap_or_else(|p| p.into_inner());
        subs.retain(|s| events.iter().all(|e| s.tx.send(e.clone()).is_ok()));
        for s in subs.iter() {
            if let Some(w) = &s.waker {
                w();
            }
        }
    }
}
