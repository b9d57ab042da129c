//! Hosts and the acts only they (or an invite's maker) may make: making and unmaking
//! hosts, cancelling invites — and the checks `remove_member` and `readmit_member` make
//! first. The evaluation (`crate::membership`, rule 8) decides the same everywhere; these
//! checks only refuse, with why, what would count for nothing.

use super::{IndexDoc, NotebookView};
use crate::error::{DocError, Result};
use crate::ids::{DeviceId, EntryId, MemberId};
use crate::membership::{ActKind, record_act};

impl IndexDoc {
    /// The member this document's writer (its actor's device) is, as the acts say.
    pub fn acting_member(&self) -> Option<MemberId> {
        let device = DeviceId::from_actor(self.doc.get_actor())?;
        self.members().membership.devices.get(&device).copied()
    }

    /// Refuses unless this document's writer is a host (`doing`: what they tried).
    pub(super) fn check_host(&self, doing: &'static str) -> Result<()> {
        let view = self.members();
        if !view.membership.evaluated {
            return Ok(());
        }
        match self.acting_member() {
            Some(me) if view.membership.is_host(me) => Ok(()),
            _ => Err(DocError::NotHost { doing }),
        }
    }

    /// Refuses a removal that would count for nothing: of another member by a non-host, or
    /// of the last host.
    pub(super) fn check_may_remove(&self, view: &NotebookView, member: MemberId) -> Result<()> {
        if !view.membership.evaluated {
            return Ok(());
        }
        if self.acting_member() != Some(member) {
            self.check_host("remove a member")?;
        }
        if is_last_host(view, member) {
            return Err(DocError::LastHost {
                name: view.name_of(Some(member)),
            });
        }
        Ok(())
    }

    /// Makes a member a host.
    pub fn make_host(&mut self, member: MemberId, now_ms: i64) -> Result<()> {
        self.check_host("make someone a host")?;
        self.check_belongs(member)?;
        record_act(&mut self.doc, &ActKind::MakeHost { member }, now_ms).map(|_| ())
    }

    /// Stops a member being a host (never the last one).
    pub fn unmake_host(&mut self, member: MemberId, now_ms: i64) -> Result<()> {
        self.check_host("change who hosts")?;
        let view = self.members();
        if is_last_host(&view, member) {
            return Err(DocError::LastHost {
                name: view.name_of(Some(member)),
            });
        }
        record_act(&mut self.doc, &ActKind::UnmakeHost { member }, now_ms).map(|_| ())
    }

    /// Cancels an invite: nobody joins with it any more. Its maker or a host may.
    pub fn cancel_invite(&mut self, invite: EntryId, now_ms: i64) -> Result<()> {
        let view = self.members();
        let terms = view
            .membership
            .invite_terms
            .get(&invite)
            .ok_or(DocError::NotFound {
                what: "invite",
                id: invite.to_hex(),
            })?;
        if self.acting_member() != Some(terms.maker) {
            self.check_host("cancel another member's invite")?;
        }
        record_act(&mut self.doc, &ActKind::CancelInvite { invite }, now_ms).map(|_| ())
    }

    fn check_belongs(&self, member: MemberId) -> Result<()> {
        if self.members().membership.members.contains(&member) {
            return Ok(());
        }
        Err(DocError::NotFound {
            what: "member",
            id: member.to_hex(),
        })
    }
}

/// Whether `member` is the only host (then they stay one, and stay in the group).
fn is_last_host(view: &NotebookView, member: MemberId) -> bool {
    let hosts = &view.membership.hosts;
    view.membership.evaluated && hosts.len() == 1 && hosts.contains(&member)
}

/// How many invites are open at `now_ms` (a removal closes them all).
pub(super) fn open_invites(view: &NotebookView, now_ms: i64) -> usize {
    view.membership
        .invite_terms
        .values()
        .filter(|t| t.is_open(now_ms))
        .count()
}
