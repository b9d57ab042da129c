//! The node's worker thread: it owns the store (through the replica) and the protocol core,
//! takes frames, opened/closed connections and commands from the network tasks, polls the
//! store for what other processes committed, and sends frames, closes and events back out.
//! Every batch of inputs is flushed to disk before any reply leaves.

use super::conn::ConnCmd;
use super::{NodeEvent, NodeStatus, PeerStatus, Shared};
use crate::core::{ConnId, Core, Output, Replica, SyncEvent};
use crate::invite::{Redemption, check_redemption};
use crate::store_replica::StoreReplica;
use crate::wire::{MAX_FRAME, Msg, frame};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use stones_doc::{DeviceId, EntryId, NotebookId};
use stones_store::Store;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

/// How often the store is polled for other processes' commits.
pub const REFRESH: Duration = Duration::from_millis(200);

/// A join request as the inviter's node receives it.
#[derive(Debug)]
pub(crate) struct JoinRequest {
    pub notebook: NotebookId,
    pub invite: EntryId,
    pub secret: [u8; 16],
    pub name: String,
    pub sector: String,
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
    },
    Closed {
        conn: ConnId,
        reason: String,
    },
    Redeem {
        req: JoinRequest,
        reply: oneshot::Sender<Msg>,
    },
    SetJoining {
        notebook: NotebookId,
        inviter: DeviceId,
        reply: oneshot::Sender<crate::Result<()>>,
    },
    Nudge,
    Shutdown,
}

struct ConnHandle {
    peer: DeviceId,
    dialed: bool,
    out: UnboundedSender<ConnCmd>,
}

pub(crate) struct Worker {
    core: Core<StoreReplica>,
    compactor: super::idle::Compactor,
    conns: BTreeMap<ConnId, ConnHandle>,
    shared: Arc<Shared>,
    me: DeviceId,
}

impl Worker {
    pub fn new(store: Store, shared: Arc<Shared>) -> crate::Result<Worker> {
        let me = store.device();
        let replica = StoreReplica::open(store)?;
        let w = Worker {
            core: Core::new(replica),
            compactor: Default::default(),
            conns: BTreeMap::new(),
            shared,
            me,
        };
        w.update_allowed();
        Ok(w)
    }

    /// Runs until shut down or every sender is gone.
    pub fn run(mut self, rx: Receiver<ToWorker>) {
        let mut last_refresh = Instant::now();
        'outer: loop {
            match rx.recv_timeout(REFRESH) {
                Ok(m) => {
                    if !self.handle(m) {
                        break;
                    }
                    while let Ok(m) = rx.try_recv() {
                        if !self.handle(m) {
                            break 'outer;
                        }
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    // Nothing arrived for a while: tidy the store a little.
                    self.compactor.step(self.core.replica.store());
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if last_refresh.elapsed() >= REFRESH {
                self.refresh();
                last_refresh = Instant::now();
            }
            self.dispatch();
            // A flush may have merged another process's fresh commit: offer it now.
            let absorbed = self.core.replica.take_absorbed();
            if !absorbed.is_empty() {
                self.core.local_changed(&absorbed);
                self.dispatch();
            }
        }
        for conn in self.core.conns() {
            if let Some(h) = self.conns.remove(&conn) {
                let bye = Msg::Bye {
                    reason: "the other device is shutting down".into(),
                };
                let _ = h.out.send(ConnCmd::Frame(frame(&bye.encode())));
                let _ = h.out.send(ConnCmd::Close("shutting down".into()));
            }
            self.core.closed(conn, "shutting down");
        }
        self.dispatch();
    }

    /// Handles one input; false means stop.
    fn handle(&mut self, m: ToWorker) -> bool {
        match m {
            ToWorker::Opened {
                conn,
                peer,
                dialed,
                out,
                remember,
            } => self.opened(conn, peer, dialed, out, remember),
            ToWorker::Frame { conn, bytes } => self.core.received(conn, &bytes),
            ToWorker::Closed { conn, reason } => {
                self.conns.remove(&conn);
                self.core.closed(conn, &reason);
            }
            ToWorker::Redeem { req, reply } => {
                // The invite may have been made by another process a moment ago.
                self.refresh();
                let answer = self.redeem(&req);
                let _ = reply.send(answer);
            }
            ToWorker::SetJoining {
                notebook,
                inviter,
                reply,
            } => {
                let r = self.core.replica.set_joining(notebook, inviter);
                self.update_allowed();
                let _ = reply.send(r);
            }
            ToWorker::Nudge => self.refresh(),
            ToWorker::Shutdown => return false,
        }
        true
    }

    fn opened(
        &mut self,
        conn: ConnId,
        peer: DeviceId,
        dialed: bool,
        out: UnboundedSender<ConnCmd>,
        remember: Option<Vec<u8>>,
    ) {
        if let Some(addr) = remember
            && let Err(e) =
                self.core
                    .replica
                    .store()
                    .db()
                    .remember_peer(peer, &addr, Store::now_ms())
        {
            tracing::warn!(error = %e, "could not remember the peer's address");
        }
        // Both sides may have dialed at once: keep the connection dialed by the smaller id.
        let keep_dialed_by_me = self.me < peer;
        if let Some((&old, _)) = self.conns.iter().find(|(_, h)| h.peer == peer) {
            let (drop_new, victim) = if dialed == keep_dialed_by_me {
                (false, old)
            } else {
                (true, conn)
            };
            if drop_new {
                let _ = out.send(ConnCmd::Close("duplicate connection".into()));
                return;
            }
            if let Some(h) = self.conns.remove(&victim) {
                let _ = h.out.send(ConnCmd::Close("duplicate connection".into()));
            }
            self.core.closed(victim, "duplicate connection");
        }
        // Serve the latest: pick up what other processes committed a moment ago.
        self.refresh();
        self.conns.insert(conn, ConnHandle { peer, dialed, out });
        self.core.opened(conn, peer, dialed);
    }

    fn redeem(&mut self, req: &JoinRequest) -> Msg {
        let refuse = |reason: String| Msg::JoinRefused { reason };
        let Some(view) = self.core.replica.view(req.notebook) else {
            return refuse("this invite is not known to this device".into());
        };
        let now = Store::now_ms();
        match check_redemption(view, req.invite, &req.secret, req.device, now) {
            Redemption::Refuse(r) => {
                tracing::info!(peer = %req.device, reason = %r, "join refused");
                refuse(r)
            }
            Redemption::AlreadyIn(member) => Msg::Joined { member },
            Redemption::Admit => {
                let by = view
                    .invites
                    .iter()
                    .find(|i| i.id == req.invite)
                    .and_then(|i| i.created_by);
                let result = self.core.replica.edit_index(req.notebook, |index| {
                    let m = index.add_member(&req.name, &req.sector, "", by, now)?;
                    index.add_device(req.device, m, "joined with an invite", by, now)?;
                    index.redeem_invite(req.invite, req.device, now)?;
                    Ok(m)
                });
                match result {
                    Ok(member) => {
                        tracing::info!(peer = %req.device, "admitted a new member device");
                        self.after_index_change(req.notebook);
                        Msg::Joined { member }
                    }
                    Err(e) => refuse(format!(
                        "the inviting device could not record the join: {e}"
                    )),
                }
            }
        }
    }

    fn after_index_change(&mut self, nb: NotebookId) {
        let docs: Vec<_> = self
            .core
            .replica
            .docs(nb)
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, k)| *k == stones_doc::DocKind::Index)
            .map(|(d, _)| d)
            .collect();
        self.core.local_changed(&docs);
        self.update_allowed();
    }

    fn refresh(&mut self) {
        match self.core.replica.refresh() {
            Ok(changed) if !changed.is_empty() => {
                tracing::debug!(?changed, "refresh found local changes");
                self.core.local_changed(&changed);
                self.update_allowed();
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, "reading the store failed");
                self.emit(NodeEvent::Error(e.to_string()));
            }
        }
    }

    fn update_allowed(&self) {
        let set = self.core.replica.allowed_devices();
        if let Ok(mut a) = self.shared.allowed.write() {
            *a = set;
        }
    }

    fn emit(&self, e: NodeEvent) {
        if let Ok(mut subs) = self.shared.subscribers.lock() {
            subs.retain(|s| s.send(e.clone()).is_ok());
        }
    }

    /// Flushes the batch, then sends frames, closes connections and publishes events.
    fn dispatch(&mut self) {
        let outputs = match self.core.take_output() {
            Ok(o) => o,
            Err(e) => {
                tracing::error!(error = %e, "writing to the store failed; closing connections");
                self.emit(NodeEvent::Error(e.to_string()));
                for (_, h) in std::mem::take(&mut self.conns) {
                    let _ = h.out.send(ConnCmd::Close(format!("store error: {e}")));
                }
                return;
            }
        };
        let mut docs_arrived = false;
        for o in outputs {
            match o {
                Output::Send { conn, msg } => {
                    let Some(h) = self.conns.get(&conn) else {
                        continue;
                    };
                    if msg.len() > MAX_FRAME {
                        tracing::error!(
                            conn = conn.0,
                            bytes = msg.len(),
                            "message over the frame limit"
                        );
                        let _ = h
                            .out
                            .send(ConnCmd::Close("message over the frame limit".into()));
                        continue;
                    }
                    let _ = h.out.send(ConnCmd::Frame(frame(&msg)));
                }
                Output::Close { conn, reason } => {
                    if let Some(h) = self.conns.remove(&conn) {
                        let _ = h.out.send(ConnCmd::Close(reason));
                    }
                }
                Output::Event(e) => {
                    if let SyncEvent::DocUpdated { .. } = &e {
                        docs_arrived = true;
                    }
                    if let SyncEvent::CaughtUp { notebook, .. } = &e {
                        self.finish_join(*notebook);
                    }
                    self.emit(NodeEvent::Sync(e));
                }
            }
        }
        if docs_arrived {
            self.update_allowed();
        }
        self.publish_status();
    }

    /// A join is finished once our own device is in the index we now hold.
    fn finish_join(&mut self, nb: NotebookId) {
        let joined = self
            .core
            .replica
            .view(nb)
            .is_some_and(|v| crate::access::is_active_device(v, self.me));
        if joined && let Err(e) = self.core.replica.clear_joining(nb) {
            tracing::warn!(error = %e, "could not clear the join marker");
        }
    }

    fn publish_status(&mut self) {
        self.core.stats.docs_loaded = self.core.replica.store().docs_loaded();
        if let Ok(mut st) = self.shared.stats.lock()
            && *st != self.core.stats
        {
            *st = self.core.stats.clone();
        }
        let conns: Vec<(ConnId, DeviceId, bool)> = self
            .conns
            .iter()
            .map(|(c, h)| (*c, h.peer, h.dialed))
            .collect();
        let peers: Vec<PeerStatus> = conns
            .into_iter()
            .map(|(c, device, dialed)| PeerStatus {
                device,
                dialed,
                caught_up: self.core.caught_up(c),
            })
            .collect();
        let changed = match self.shared.status.lock() {
            Ok(mut s) => {
                let changed = s.peers != peers;
                s.peers = peers.clone();
                changed
            }
            Err(_) => false,
        };
        if changed {
            let status = NodeStatus { peers };
            if let Err(e) = super::status::save(self.core.replica.store(), &status) {
                tracing::warn!(error = %e, "could not record the sync status");
            }
        }
    }
}
