//! Everything the engine owns behind its one lock: the protocol core over the notebooks
//! (the replica), the open connections, and what is derived from them — which notebooks
//! are live, who may connect, the status other processes read. Network tasks' messages, the
//! worker's ticks and the API's edits all come through here, and every batch ends in
//! [`EngineState::dispatch`]: the store batch is written first, then frames, closes and
//! events go out.

use super::events::{ChangeSource, EngineEvent, ErrorKind, Hub, Refusal};
use crate::core::{ConnId, Core, Output, Replica, SyncEvent};
use crate::node::inbox::{ConnCmd, JoinRequest, ToWorker};
use crate::node::{PeerStatus, Shared};
use crate::replica::EngineReplica;
use crate::wire::{MAX_FRAME, Msg, frame};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use stones_doc::{DeviceId, DocId, NotebookId};
use stones_store::Store;
use tokio::sync::mpsc::UnboundedSender;

struct ConnHandle {
    peer: DeviceId,
    dialed: bool,
    out: UnboundedSender<ConnCmd>,
}

/// The engine's state (see the module docs).
pub(crate) struct EngineState {
    pub core: Core<EngineReplica>,
    conns: BTreeMap<ConnId, ConnHandle>,
    pub shared: Arc<Shared>,
    pub hub: Arc<Hub>,
    me: DeviceId,
    /// The network is on (an endpoint exists).
    pub net_on: bool,
    /// Bumped each time the network stops, so a status report written while it stopped is
    /// known to be stale and cleared again.
    pub net_epoch: u64,
    /// Notebooks shared with a connected peer.
    live: BTreeSet<NotebookId>,
    /// Events gathered during a batch, sent at its end.
    events: Vec<EngineEvent>,
    pub compactor: crate::node::idle::Compactor,
    /// When the status on disk was last written (ms).
    status_written: i64,
}

impl EngineState {
    pub fn new(replica: EngineReplica, shared: Arc<Shared>, hub: Arc<Hub>) -> EngineState {
        let me = replica.store().device();
        let st = EngineState {
            core: Core::new(replica),
            conns: BTreeMap::new(),
            shared,
            hub,
            me,
            net_on: false,
            net_epoch: 0,
            live: BTreeSet::new(),
            events: Vec::new(),
            compactor: Default::default(),
            status_written: 0,
        };
        st.update_allowed();
        st
    }

    pub fn store(&self) -> &Arc<Store> {
        self.core.replica.store()
    }

    /// Whether some notebook is shared live with a connected peer.
    pub fn any_live(&self) -> bool {
        !self.live.is_empty()
    }

    pub fn is_live(&self, nb: NotebookId) -> bool {
        self.live.contains(&nb)
    }

    /// Handles one message from the network side; false means stop.
    pub fn handle(&mut self, m: ToWorker) -> bool {
        match m {
            ToWorker::Opened {
                conn,
                peer,
                dialed,
                out,
                remember,
            } => self.opened(conn, peer, dialed, out, remember),
            ToWorker::Frame {
                conn,
                bytes,
                budget,
            } => {
                self.core.received(conn, &bytes);
                drop(budget); // the reader may take in the next frame
            }
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
            ToWorker::RefusedAtOpen { peer, reason } => self.events.push(EngineEvent::Refused {
                peer,
                notebook: None,
                reason: Refusal::from_reason(&reason),
            }),
            ToWorker::Wake => self.refresh(),
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
            && let Err(e) = self
                .store()
                .db()
                .remember_peer(peer, &addr, Store::now_ms())
        {
            tracing::warn!(error = %e, "could not remember the peer's address");
        }
        // Both sides may have dialed at once: keep the connection dialed by the smaller id.
        // Two connections dialled the same way are not a race but a redial (the peer was
        // killed or lost its network and came back): the old one is dead, keep the new.
        // (Keeping the old one made a restarted peer wait out the dead connection's idle
        // timeout and the dial backoff, 65 s, found by issue 14's crash rounds.)
        let keep_dialed_by_me = self.me < peer;
        if let Some((&old, old_handle)) = self.conns.iter().find(|(_, h)| h.peer == peer) {
            let (drop_new, victim) = if dialed == old_handle.dialed || dialed == keep_dialed_by_me {
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
        match super::admit::admit(&mut self.core.replica, req) {
            Ok(member) => {
                self.after_local_change(req.notebook, &self.index_docs(req.notebook));
                Msg::Joined { member }
            }
            Err(reason) => Msg::JoinRefused { reason },
        }
    }

    fn index_docs(&self, nb: NotebookId) -> Vec<DocId> {
        self.core
            .replica
            .notebook(nb)
            .map(|n| vec![n.index_doc()])
            .unwrap_or_default()
    }

    /// Documents of a notebook changed in this process: push them to peers, re-check who
    /// may connect, tell subscribers.
    pub fn after_local_change(&mut self, nb: NotebookId, docs: &[DocId]) {
        self.core.local_changed(docs);
        self.update_allowed();
        for doc in docs {
            self.events.push(EngineEvent::DocChanged {
                notebook: nb,
                doc: *doc,
                by: ChangeSource::Local,
            });
        }
    }

    /// Picks up other processes' commits and offers them to peers.
    pub fn refresh(&mut self) {
        match self.core.replica.refresh() {
            Ok(changed) if !changed.is_empty() => {
                tracing::debug!(?changed, "refresh found local changes");
                self.core.local_changed(&changed);
                self.update_allowed();
                for doc in self.core.replica.take_from_others() {
                    if let Some((notebook, _)) = self.core.replica.doc_info(doc) {
                        self.events.push(EngineEvent::DocChanged {
                            notebook,
                            doc,
                            by: ChangeSource::OtherProcess,
                        });
                    }
                }
            }
            Ok(_) => {}
            Err(e) => self.error(ErrorKind::Store, e.to_string()),
        }
    }

    /// Commits typing whose policy says it is time (`now` on the engine's clock).
    pub fn commit_due(&mut self, now: u64) {
        if let Err(e) = self.commit_where(|n| n.due_docs(now)) {
            self.error(ErrorKind::Store, e.to_string());
        }
    }

    /// Commits every notebook's pending typing now (focus change, quit).
    pub fn commit_all_typing(&mut self) -> crate::Result<()> {
        self.commit_where(|n| n.pending_docs())
    }

    /// Commits the documents `pick` names in each notebook and offers them to peers at the
    /// next dispatch.
    fn commit_where(
        &mut self,
        pick: impl Fn(&mut stones_store::Notebook) -> Vec<DocId>,
    ) -> crate::Result<()> {
        for nb in self.core.replica.notebook_ids() {
            let n = self.core.replica.notebook_mut(nb)?;
            let docs = pick(n);
            n.persist_docs(&docs, "typing")?;
            self.core.local_changed(&docs);
        }
        Ok(())
    }

    /// The earliest commit any typing is due for (engine clock ms).
    pub fn next_commit_due(&mut self) -> Option<u64> {
        self.core
            .replica
            .notebooks_mut()
            .filter_map(|n| n.next_commit_due())
            .min()
    }

    pub fn error(&mut self, kind: ErrorKind, message: String) {
        tracing::error!(?kind, %message, "engine error");
        self.events.push(EngineEvent::Error { kind, message });
    }

    pub fn push_event(&mut self, e: EngineEvent) {
        self.events.push(e);
    }

    pub fn update_allowed(&self) {
        let set = self.core.replica.allowed_devices();
        if let Ok(mut a) = self.shared.allowed.write() {
            *a = set;
        }
    }

    /// Closes every connection, saying goodbye (the network is stopping).
    pub fn close_all(&mut self, reason: &str) {
        for conn in self.core.conns() {
            if let Some(h) = self.conns.remove(&conn) {
                let bye = Msg::Bye {
                    reason: reason.to_string(),
                };
                let _ = h.out.send(ConnCmd::Frame(frame(&bye.encode())));
                let _ = h.out.send(ConnCmd::Close(reason.to_string()));
            }
            self.core.closed(conn, reason);
        }
    }

    /// Writes the batch, then sends frames, closes connections and publishes events.
    pub fn dispatch(&mut self) {
        self.dispatch_once();
        // A write may have merged another process's fresh commit, or typing was committed
        // before a sync step: offer it now.
        let news = self.core.replica.take_local_news();
        if !news.is_empty() {
            self.core.local_changed(&news);
            self.dispatch_once();
        }
        if self.net_on {
            let shared = self.core.shared_notebooks();
            self.update_live(shared);
        }
        // Subscribers first: what a person sees must not wait on status bookkeeping.
        let events = std::mem::take(&mut self.events);
        self.hub.emit(events);
        self.publish_status();
    }

    fn dispatch_once(&mut self) {
        // A peer's change is in memory: wake subscribers before this device's own write is
        // durable (one fsync less between a keystroke over there and the view here).
        let early = self.core.take_doc_updates();
        let mut docs_arrived = !early.is_empty();
        if docs_arrived {
            for e in early {
                self.sync_event(e);
            }
            let events = std::mem::take(&mut self.events);
            self.hub.emit(events);
        }
        let outputs = match self.core.take_output() {
            Ok(o) => o,
            Err(e) => {
                self.error(
                    ErrorKind::Store,
                    format!("writing to the store failed; closing connections: {e}"),
                );
                for (_, h) in std::mem::take(&mut self.conns) {
                    let _ = h.out.send(ConnCmd::Close(format!("store error: {e}")));
                }
                return;
            }
        };
        for o in outputs {
            match o {
                Output::Send { conn, msg } => self.send(conn, msg),
                Output::Close { conn, reason } => {
                    if let Some(h) = self.conns.remove(&conn) {
                        let _ = h.out.send(ConnCmd::Close(reason));
                    }
                }
                Output::Event(e) => {
                    docs_arrived |= matches!(e, SyncEvent::DocUpdated { .. });
                    self.sync_event(e);
                }
            }
        }
        if docs_arrived {
            self.update_allowed();
        }
    }

    fn send(&mut self, conn: ConnId, msg: Vec<u8>) {
        let Some(h) = self.conns.get(&conn) else {
            return;
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
            return;
        }
        let _ = h.out.send(ConnCmd::Frame(frame(&msg)));
    }

    fn sync_event(&mut self, e: SyncEvent) {
        let event = match e {
            SyncEvent::PeerConnected { peer } => EngineEvent::PeerConnected { peer },
            SyncEvent::Refused {
                peer,
                notebook,
                reason,
            } => EngineEvent::Refused {
                peer,
                notebook: Some(notebook),
                reason: Refusal::from_reason(&reason),
            },
            SyncEvent::DocUpdated {
                notebook,
                doc,
                peer,
            } => EngineEvent::DocChanged {
                notebook,
                doc,
                by: ChangeSource::Peer(peer),
            },
            SyncEvent::CaughtUp { peer, notebook } => {
                self.finish_join(notebook);
                EngineEvent::CaughtUp { peer, notebook }
            }
            SyncEvent::ChangesRefused {
                peer,
                notebook,
                changes,
                reason,
                ..
            } => EngineEvent::ChangesRefused {
                peer,
                notebook,
                changes,
                reason,
            },
            SyncEvent::RefusedByPeer {
                peer,
                notebook,
                changes,
                reason,
                ..
            } => EngineEvent::RefusedByPeer {
                peer,
                notebook,
                changes,
                reason,
            },
            SyncEvent::Closed { peer, reason } => {
                if Refusal::is_refusal(&reason) {
                    self.events.push(EngineEvent::Refused {
                        peer,
                        notebook: None,
                        reason: Refusal::from_reason(&reason),
                    });
                }
                EngineEvent::PeerLeft { peer, reason }
            }
        };
        self.events.push(event);
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

    /// Notebooks shared with a connected peer switch their commit policy to live.
    fn update_live(&mut self, now: BTreeSet<NotebookId>) {
        if now == self.live {
            return;
        }
        for nb in self.core.replica.notebook_ids() {
            let live = now.contains(&nb);
            if let Ok(n) = self.core.replica.notebook_mut(nb) {
                n.set_live(live);
            }
        }
        self.live = now;
        self.status_written = 0; // say so at once
    }

    /// Takes a notebook new to this device (created, imported) into the engine: peers may
    /// now ask for it, and it is announced and offered like any local change.
    pub fn adopt_notebook(
        &mut self,
        nb: stones_store::Notebook,
    ) -> crate::error::Result<NotebookId> {
        let id = nb.id();
        let index = nb.index_doc();
        self.core.replica.add_notebook(nb)?;
        self.update_allowed();
        self.after_local_change(id, &[index]);
        self.dispatch();
        Ok(id)
    }

    /// With no network of our own: follows the notebooks a node running on this home
    /// (`serve`, the app) reports as live, if its report is fresh. A store read, so the
    /// worker calls it on its refresh tick, never per keystroke or frame.
    pub fn follow_running_node(&mut self) {
        if self.net_on {
            return;
        }
        let live = match crate::node::status::load(self.store()) {
            Ok(Some(report)) if report.is_fresh(Store::now_ms()) => {
                report.live.into_iter().collect()
            }
            _ => BTreeSet::new(),
        };
        self.update_live(live);
    }

    /// Publishes the connected peers and traffic for the API (in memory; the report on disk
    /// is [`EngineState::save_status_if_due`]'s).
    fn publish_status(&mut self) {
        self.core.stats.docs_loaded = self.store().docs_loaded();
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
        let nbs = self.core.replica.notebook_ids();
        let peers: Vec<PeerStatus> = conns
            .into_iter()
            .map(|(c, device, dialed)| {
                let differing = nbs
                    .iter()
                    .filter_map(|nb| self.core.differing(c, *nb))
                    .sum();
                PeerStatus {
                    device,
                    dialed,
                    caught_up: self.core.caught_up(c),
                    differing,
                }
            })
            .collect();
        if let Ok(mut s) = self.shared.status.lock()
            && s.peers != peers
        {
            s.peers = peers;
            self.status_written = 0; // other processes should hear of it soon
        }
    }

    /// The status report for other processes, once a second while the network is on (so
    /// a stale report is recognisable). The worker writes it after releasing the engine's
    /// lock (a durable write must not hold up typing or frames), never on an API call's
    /// or a frame's path.
    pub fn status_report_if_due(
        &mut self,
    ) -> Option<(Arc<Store>, u64, crate::node::status::Report)> {
        let now = Store::now_ms();
        if !self.net_on || now - self.status_written < 1_000 {
            return None;
        }
        let status = self
            .shared
            .status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        let notebooks = (self.core.replica.notebook_ids().into_iter())
            .map(|nb| (nb, self.sync_state(nb, false)))
            .collect();
        let report = crate::node::status::Report {
            at: now,
            status,
            live: self.live.iter().copied().collect(),
            notebooks,
        };
        self.status_written = now;
        Some((self.store().clone(), self.net_epoch, report))
    }

    /// How a notebook stands with the connected peers (see [`super::SyncState`]).
    pub fn sync_state(&mut self, nb: NotebookId, dialling: bool) -> super::SyncState {
        let links: Vec<Option<usize>> = self.links(nb).into_iter().map(|(_, d)| d).collect();
        let pending = self
            .core
            .replica
            .notebook_mut(nb)
            .map(|n| n.pending_docs().len())
            .unwrap_or(0);
        super::SyncState::of_notebook(self.net_on, dialling, &links, pending)
    }

    /// Connections per notebook: (peer, differing documents or `None` while opening).
    pub fn links(&mut self, nb: NotebookId) -> Vec<(DeviceId, Option<usize>)> {
        let conns: Vec<(ConnId, DeviceId)> = self.conns.iter().map(|(c, h)| (*c, h.peer)).collect();
        let offered: Vec<(ConnId, DeviceId)> = conns
            .into_iter()
            .filter(|(c, _)| self.core.offers(*c, nb))
            .collect();
        offered
            .into_iter()
            .map(|(c, peer)| (peer, self.core.differing(c, nb)))
            .collect()
    }
}
