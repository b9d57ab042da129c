//! Invites as a person lists them (`stones invite list`, the app's invites): who made each,
//! for whom, how many of its uses were taken, until when — and whether it still admits
//! anyone, as the membership acts say (not the invite map, which any member may edit).

use super::NotebookView;
use crate::ids::{EntryId, MemberId};
use crate::membership::Closed;

/// Whether an invite still admits anyone, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteState {
    /// It admits the next device.
    Open,
    /// Every use was taken.
    UsedUp,
    /// Its time ran out.
    Expired,
    /// Cancelled on purpose.
    Cancelled,
    /// A member's removal closed it (every invite open then closes).
    ClosedByRemoval,
}

impl InviteState {
    /// In plain words.
    pub fn words(self) -> &'static str {
        match self {
            InviteState::Open => "open",
            InviteState::UsedUp => "used up",
            InviteState::Expired => "expired",
            InviteState::Cancelled => "cancelled",
            InviteState::ClosedByRemoval => "closed when a member was removed",
        }
    }
}

/// One invite as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteStatus {
    /// Its id.
    pub id: EntryId,
    /// Who made it.
    pub maker: Option<MemberId>,
    /// The member it was made for, if any.
    pub for_member: Option<MemberId>,
    /// Uses allowed (`None`: not recorded, from an older version).
    pub uses: Option<u32>,
    /// Devices that joined with it (as counted).
    pub used: u32,
    /// Until when (unix ms).
    pub expires_at: i64,
    /// Whether it still admits anyone.
    pub state: InviteState,
}

impl NotebookView {
    /// Every invite, newest last as the index lists them, with what became of each at
    /// `now_ms`. An invite whose act does not count (made by a member being removed, say)
    /// is not listed.
    pub fn invite_statuses(&self, now_ms: i64) -> Vec<InviteStatus> {
        let m = &self.membership;
        self.invites
            .iter()
            .filter_map(|inv| {
                let (maker, uses, used, expires_at, closed) = if m.evaluated {
                    let t = m.invite_terms.get(&inv.id)?;
                    let until = t.expires_at.unwrap_or(inv.expires_at);
                    (Some(t.maker), t.uses, t.used, until, t.closed)
                } else {
                    let used = inv.redeemed_by.len() as u32;
                    let uses = u32::try_from(inv.uses_left.max(0)).ok().map(|l| l + used);
                    (inv.created_by, uses, used, inv.expires_at, None)
                };
                let state = match closed {
                    Some(Closed::Cancelled) => InviteState::Cancelled,
                    Some(Closed::ByRemoval) => InviteState::ClosedByRemoval,
                    None if uses.is_some_and(|u| used >= u) => InviteState::UsedUp,
                    None if now_ms > expires_at => InviteState::Expired,
                    None => InviteState::Open,
                };
                Some(InviteStatus {
                    id: inv.id,
                    maker,
                    for_member: inv.for_member,
                    uses,
                    used,
                    expires_at,
                    state,
                })
            })
            .collect()
    }
}
