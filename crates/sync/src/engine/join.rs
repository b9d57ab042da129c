//! Joining a notebook with an invite: the redemption runs in the background and reports
//! through events; [`Engine::join_and_wait`] is the blocking form for the CLI and tests.

use super::{Engine, EngineEvent, ErrorKind, Refusal};
use crate::error::{Result, SyncError};
use crate::invite::InviteTicket;
use crate::net;
use crate::node::join::Joiner;
use std::time::{Duration, Instant};
use stones_doc::MemberId;

impl Engine {
    /// Redeems an invite with the inviting device, in the background: returns at once and
    /// reports [`EngineEvent::Joined`] (then the notebook syncs) or
    /// [`EngineEvent::JoinRefused`] / an error event. The network must be on.
    pub fn join(&self, ticket: &InviteTicket, name: &str, sector: &str) -> Result<()> {
        self.join_as(ticket, &Joiner::new(name, sector))
    }

    /// [`Engine::join`] with every choice a joiner makes (joining as an existing member).
    pub fn join_as(&self, ticket: &InviteTicket, who: &Joiner) -> Result<()> {
        // The ids only: a notebook's title would build its whole index view.
        let held = self.state().core.replica.notebook_ids();
        if held.contains(&ticket.notebook) {
            return Err(SyncError::Invite(format!(
                "this device already holds notebook {}",
                ticket.notebook
            )));
        }
        let net = self.net();
        let n = net
            .as_ref()
            .ok_or_else(|| SyncError::Net("the network is off: choose a mode first".into()))?;
        let (ep, dialer) = (n.endpoint.clone(), n.dialer.clone());
        let (state, ticket) = (self.inner.state.clone(), ticket.clone());
        let who = who.clone();
        n.rt.spawn(async move {
            let result = crate::node::join::redeem(&ep, &ticket, &who).await;
            let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
            let notebook = ticket.notebook;
            match result {
                Ok(member) => {
                    let inviter = net::device_id(&ticket.addr.id);
                    match st.core.replica.set_joining(notebook, inviter) {
                        Ok(()) => {
                            st.update_allowed();
                            dialer.add(ticket.addr.clone());
                            st.push_event(EngineEvent::Joined { notebook, member });
                        }
                        Err(e) => st.error(ErrorKind::Store, e.to_string()),
                    }
                }
                Err(SyncError::Invite(reason)) => st.push_event(EngineEvent::JoinRefused {
                    notebook,
                    reason: Refusal::from_reason(&reason),
                }),
                Err(e) => st.error(ErrorKind::Join, e.to_string()),
            }
            st.dispatch();
        });
        Ok(())
    }

    /// Redeems an invite and blocks until the inviting device answers (or `timeout`): the
    /// member this device now belongs to, or why not. Blocks on the network: never call it
    /// on a UI thread (use [`Engine::join`] and watch the events there).
    pub fn join_and_wait(
        &self,
        ticket: &InviteTicket,
        who: &Joiner,
        timeout: Duration,
    ) -> Result<MemberId> {
        let events = self.subscribe();
        self.join_as(ticket, who)?;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Ok(EngineEvent::Joined { notebook, member }) if notebook == ticket.notebook => {
                    return Ok(member);
                }
                Ok(EngineEvent::JoinRefused { notebook, reason })
                    if notebook == ticket.notebook =>
                {
                    return Err(SyncError::Invite(format!("refused: {reason}")));
                }
                Ok(EngineEvent::Error {
                    kind: ErrorKind::Join,
                    message,
                }) => return Err(SyncError::Net(message)),
                Ok(_) => {}
                Err(_) => {
                    return Err(SyncError::Net(format!(
                        "the inviting device did not answer in {} s",
                        timeout.as_secs()
                    )));
                }
            }
        }
    }
}
