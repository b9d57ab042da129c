//! Blocking waits for the CLI and tests: a sync round that ends when every member device in
//! reach is caught up (`stones sync`), a join that ends when the notebook has arrived
//! (`stones join`). They wait on the engine's events, with a short tick only to notice
//! deadlines. They block on the network: never call them on a UI thread — the app watches
//! [`EngineEvent`]s and [`Engine::sync_state`] instead.

use super::{Engine, EngineEvent, ErrorKind};
use crate::error::{Result, SyncError, Unsettled};
use crate::invite::InviteTicket;
use crate::net;
use std::time::{Duration, Instant};
use stones_doc::{DeviceId, NotebookId};

/// How often a wait looks at the clock when no event comes.
const TICK: Duration = Duration::from_millis(100);

/// How a sync round waits.
#[derive(Clone, Copy, Debug)]
pub struct SettleOptions {
    /// The whole round's limit.
    pub timeout: Duration,
    /// How long a first dial may run before the round stops waiting for that peer, and
    /// (with discovery on) how long to look around the room for more devices.
    pub patience: Duration,
}

impl Default for SettleOptions {
    fn default() -> Self {
        SettleOptions {
            timeout: Duration::from_secs(30),
            patience: Duration::from_secs(3),
        }
    }
}

impl Engine {
    /// Runs a sync round with the network already on: returns the peers caught up with once
    /// every dial target has been reached or given up on, and every connected peer is
    /// caught up; `progress(connected, caught_up)` is called about once a second meanwhile.
    /// Blocking (see the module docs).
    pub fn sync_until_settled(
        &self,
        opts: SettleOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<DeviceId>> {
        let discovering = self.net().as_ref().is_some_and(|n| n.cfg.mdns);
        let events = self.subscribe();
        let started = Instant::now();
        let deadline = started + opts.timeout;
        let seconds = opts.timeout.as_secs();
        let mut refused = Vec::new();
        let mut unwritable = None;
        let mut last_progress = Instant::now();
        loop {
            // Events first: a store that could not be written must never be followed by a
            // "caught up" read off the status in the same round.
            for e in events.try_iter() {
                note(e, &mut refused, &mut unwritable);
            }
            if !refused.is_empty() {
                return Err(SyncError::Unsettled(Unsettled::Refused(refused)));
            }
            if let Some(why) = unwritable.take() {
                return Err(SyncError::Unsettled(Unsettled::Unwritable(why)));
            }
            let s = self.status();
            let targets = self.dial_targets();
            if targets.is_empty() && s.peers.is_empty() && !discovering {
                return Err(SyncError::Unsettled(Unsettled::NoTarget));
            }
            // Every target was tried: the ones reached are connected, the rest gave up or
            // kept us waiting long enough to count as unreachable.
            let settled = targets.iter().all(|t| {
                s.peers.iter().any(|p| p.device == t.device)
                    || (t.attempts > 0 && !t.busy)
                    || t.since.is_some_and(|at| at.elapsed() >= opts.patience)
            });
            // On a LAN, give discovery a moment to find every device in the room.
            let looked_around = !discovering || started.elapsed() >= opts.patience;
            if settled && looked_around && s.room_caught_up() {
                return Ok(s.peers.iter().map(|p| p.device).collect());
            }
            if Instant::now() > deadline {
                return Err(SyncError::Unsettled(if s.peers.is_empty() {
                    let tried = (targets.iter())
                        .map(|t| {
                            let why = t.last_error.as_deref().unwrap_or("no answer");
                            format!("{}: {why}", t.device)
                        })
                        .collect();
                    Unsettled::Unreachable { seconds, tried }
                } else {
                    let peers = (s.peers.iter().filter(|p| !p.caught_up))
                        .map(|p| p.device)
                        .collect();
                    Unsettled::Behind { seconds, peers }
                }));
            }
            if last_progress.elapsed() >= Duration::from_secs(1) {
                let done = s.peers.iter().filter(|p| p.caught_up).count();
                progress(s.peers.len(), done);
                last_progress = Instant::now();
            }
            if let Ok(e) = events.recv_timeout(TICK) {
                for e in std::iter::once(e).chain(events.try_iter()) {
                    note(e, &mut refused, &mut unwritable);
                }
            }
        }
    }

    /// Blocks until `peer` is connected and caught up (or `timeout`).
    pub fn wait_caught_up_with(&self, peer: DeviceId, timeout: Duration) -> Result<()> {
        let events = self.subscribe();
        let deadline = Instant::now() + timeout;
        loop {
            let s = self.status();
            if s.peers.iter().any(|p| p.device == peer && p.caught_up) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(SyncError::Unsettled(Unsettled::Behind {
                    seconds: timeout.as_secs(),
                    peers: vec![peer],
                }));
            }
            let _ = events.recv_timeout(TICK);
            while events.try_recv().is_ok() {}
        }
    }

    /// Joins with an invite and blocks until the notebook has arrived from the inviting
    /// device (caught up with it), within `timeout` in all; the network must be on.
    /// Blocking (see the module docs): the app uses [`Engine::join`] and its events.
    pub fn join_and_fetch(
        &self,
        ticket: &InviteTicket,
        who: &crate::node::join::Joiner,
        timeout: Duration,
        on_joined: &mut dyn FnMut(),
    ) -> Result<NotebookId> {
        let deadline = Instant::now() + timeout;
        self.join_and_wait(ticket, who, timeout)?;
        on_joined();
        let inviter = net::device_id(&ticket.addr.id);
        let left = deadline.saturating_duration_since(Instant::now());
        self.wait_caught_up_with(inviter, left)?;
        Ok(ticket.notebook)
    }
}

/// What a settling sync takes from an event: a refusal, or a store that cannot be written
/// (waiting longer cannot help it).
fn note(e: EngineEvent, refused: &mut Vec<String>, unwritable: &mut Option<String>) {
    match e {
        EngineEvent::Refused { peer, reason, .. } => refused.push(format!("{peer}: {reason}")),
        EngineEvent::Error {
            kind: ErrorKind::Store,
            message,
        } => *unwritable = Some(message),
        _ => {}
    }
}
