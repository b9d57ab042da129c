//! Typed edits and reads of the group: adding and removing members, and looking back
//! (a document's history, a session as it stood on a day).

use super::Engine;
use crate::error::{Result, SyncError};
use stones_doc::{EntryId, MemberId, NotebookId, SessionView};
use stones_store::{HistoryItem, NewMember, Target};

impl Engine {
    /// Adds a member to the group (a person; their devices join through invites).
    pub fn add_member(&self, nb: NotebookId, m: &NewMember) -> Result<MemberId> {
        self.edit_index(nb, "add member", |idx, ctx| {
            idx.add_member(&m.name, &m.sector, &m.role, ctx.me, ctx.now_ms)
        })
    }

    /// Corrects a member's name, sector or role (`None` leaves a field as it is).
    pub fn update_member(
        &self,
        nb: NotebookId,
        member: MemberId,
        name: Option<&str>,
        sector: Option<&str>,
        role: Option<&str>,
    ) -> Result<()> {
        self.edit_index(nb, "edit member", |idx, _| {
            idx.update_member(member, name, sector, role)
        })
    }

    /// Removes a member: their devices are refused from then on, and disconnected as the
    /// removal reaches each device; they keep what they already had. Only a host removes,
    /// never the last host, and nobody removes themself here (another member must). Every
    /// invite open now closes: returns how many, so they can be made again.
    pub fn remove_member(&self, nb: NotebookId, member: MemberId) -> Result<usize> {
        if self.me(nb)? == Some(member) {
            return Err(SyncError::RemoveSelf);
        }
        self.edit_index(nb, "remove member", |idx, ctx| {
            idx.remove_member(member, ctx.now_ms)
        })
    }

    /// Re-admits a removed member on purpose: they and their devices count again, and what
    /// they do from then on. Only a host's device can (the acts say so everywhere).
    pub fn readmit_member(&self, nb: NotebookId, member: MemberId) -> Result<()> {
        self.edit_index(nb, "re-admit member", |idx, ctx| {
            idx.readmit_member(member, ctx.now_ms)
        })
    }

    /// Makes a member a host (`host`) or stops them being one; only a host can, and the
    /// last host stays one.
    pub fn set_host(&self, nb: NotebookId, member: MemberId, host: bool) -> Result<()> {
        self.edit_index(nb, "change hosts", |idx, ctx| match host {
            true => idx.make_host(member, ctx.now_ms),
            false => idx.unmake_host(member, ctx.now_ms),
        })
    }

    /// Cancels an invite (its maker or a host): nobody joins with it any more, on any
    /// device the cancellation reaches — and a device that admitted someone with it
    /// concurrently finds that admission counts nowhere.
    pub fn cancel_invite(&self, nb: NotebookId, invite: EntryId) -> Result<()> {
        self.edit_index(nb, "cancel invite", |idx, ctx| {
            idx.cancel_invite(invite, ctx.now_ms)
        })
    }

    /// Every invite of a notebook and what became of it.
    pub fn invites(&self, nb: NotebookId) -> Result<Vec<stones_doc::index::InviteStatus>> {
        let now = stones_store::Store::now_ms();
        Ok(self.view(nb)?.invite_statuses(now))
    }

    /// Merges two member entries that are one person: `from` counts as `into` from now on
    /// (a signed index change like any other, shown in history as "merge members").
    pub fn merge_members(&self, nb: NotebookId, from: MemberId, into: MemberId) -> Result<()> {
        self.edit_index(nb, "merge members", |idx, _| idx.merge_members(from, into))
    }

    /// Refuses to sync when this device was removed from every notebook it holds (it keeps
    /// what it had, but no member device would let it in).
    pub fn ensure_can_sync(&self) -> Result<()> {
        let me = self.device();
        let list = self.notebooks();
        let mut removed = Vec::new();
        for (id, title) in &list {
            if !crate::access::is_active_device(&*self.view(*id)?, me) {
                removed.push(title.clone());
            }
        }
        if !list.is_empty() && removed.len() == list.len() {
            return Err(SyncError::Removed(removed.join(", ")));
        }
        Ok(())
    }

    /// Who changed a document and when, oldest first.
    pub fn history(&self, nb: NotebookId, target: Target) -> Result<Vec<HistoryItem>> {
        self.read(nb, |n| n.history(target))
    }

    /// A session as it stood at `time_ms` (unix ms), read-only.
    pub fn session_as_of(
        &self,
        nb: NotebookId,
        session: EntryId,
        time_ms: i64,
    ) -> Result<SessionView> {
        self.read(nb, |n| n.session_as_of(session, time_ms))
    }
}
