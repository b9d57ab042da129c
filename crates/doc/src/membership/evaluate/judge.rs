//! Whether one act counts, against the membership of its own causal past: its author's
//! standing (rules 2 and 3), what only hosts may do and the last host (rule 8), and the
//! invite an admission goes through (rules 6 and 9).

use super::graph::Graph;
use super::state::State;
use crate::ids::{EntryId, MemberId};
use crate::membership::{ActKind, VoidReason};
use std::collections::BTreeMap;

/// Whether act `i` counts, given what counts in its past, the closing acts that hold and
/// how many devices each invite has admitted before it (in causal order).
pub(super) fn judge(
    g: &Graph,
    i: usize,
    valid: &[bool],
    held: &[bool],
    used: &BTreeMap<EntryId, u32>,
) -> Result<(), VoidReason> {
    let act = &g.acts[i];
    if let ActKind::Found { .. } = act.kind {
        return if act.by_creator && act.seen.is_empty() {
            Ok(())
        } else {
            Err(VoidReason::NotFounder)
        };
    }
    let state = State::of(g, &g.past[i], valid, held);
    let member = act
        .author
        .and_then(|d| state.active(g, d))
        .ok_or(VoidReason::AuthorNotActive)?;
    if removed_since(g, &state, i, member, held) {
        return Err(VoidReason::AuthorRemoved);
    }
    let is_host = state.hosts(g).contains(&member);
    let leaves_no_host = |m: MemberId| {
        let marked = state.marked_hosts(g);
        marked.len() == 1 && marked.contains(&m)
    };
    match act.kind {
        ActKind::RemoveMember { member: m } => {
            if m != member && !is_host {
                return Err(VoidReason::NotHost);
            }
            if leaves_no_host(m) {
                return Err(VoidReason::LastHost);
            }
        }
        ActKind::UnmakeHost { member: m } => {
            if !is_host {
                return Err(VoidReason::NotHost);
            }
            if leaves_no_host(m) {
                return Err(VoidReason::LastHost);
            }
        }
        ActKind::MakeHost { .. } | ActKind::ReadmitMember { .. } if !is_host => {
            return Err(VoidReason::NotHost);
        }
        ActKind::AddDevice {
            device, member: m, ..
        } => {
            if state.devices.get(&device).is_some_and(|&owner| owner != m) {
                return Err(VoidReason::DeviceTaken);
            }
            if let ActKind::AddDevice { invite: None, .. } = act.kind
                && m != member
                && !is_host
            {
                return Err(VoidReason::NotHost);
            }
        }
        ActKind::CancelInvite { invite } => match state.invites.get(&invite) {
            None => return Err(VoidReason::InviteVoid),
            Some(&(_, maker)) if maker != member && !is_host => {
                return Err(VoidReason::NotHost);
            }
            Some(_) => {}
        },
        _ => {}
    }
    let through = match act.kind {
        ActKind::AddMember { invite, .. } | ActKind::AddDevice { invite, .. } => invite,
        ActKind::Redeem { invite, .. } => Some(invite),
        _ => None,
    };
    match through {
        Some(invite) => invite_admits(g, &state, i, invite, held, used),
        None => Ok(()),
    }
}

/// Rule 3: a removal of the author's member that act `i` did not happen before, and that no
/// re-admission in `i`'s past undid.
fn removed_since(g: &Graph, state: &State, i: usize, member: MemberId, held: &[bool]) -> bool {
    let readmitted_after = |r: usize| {
        state
            .readmits
            .get(&member)
            .is_some_and(|xs| xs.iter().any(|&x| g.past[x].has(r)))
    };
    g.order.iter().any(|&r| {
        r != i
            && held[r]
            && matches!(g.acts[r].kind, ActKind::RemoveMember { member: m } if m == member)
            && !g.past[r].has(i)
            && !readmitted_after(r)
    })
}

/// Rules 6 and 9: whether admission act `i` may go through `invite`: its act counts and was
/// seen, no closing act that holds had not seen `i`, it was not expired when `i` was made,
/// and (for a device) a use is left.
fn invite_admits(
    g: &Graph,
    state: &State,
    i: usize,
    invite: EntryId,
    held: &[bool],
    used: &BTreeMap<EntryId, u32>,
) -> Result<(), VoidReason> {
    let &(made, _) = state.invites.get(&invite).ok_or(VoidReason::InviteVoid)?;
    let closed = g
        .order
        .iter()
        .any(|&c| c != i && held[c] && !g.past[c].has(i) && closes(g, c, invite, made));
    if closed {
        return Err(VoidReason::InviteClosed);
    }
    let ActKind::Invite {
        uses, expires_at, ..
    } = g.acts[made].kind
    else {
        return Err(VoidReason::InviteVoid);
    };
    if let (Some(at), Some(until)) = (g.acts[i].at_ms, expires_at)
        && at > until
    {
        return Err(VoidReason::InviteExpired);
    }
    if let (ActKind::AddDevice { .. }, Some(uses)) = (&g.acts[i].kind, uses)
        && used.get(&invite).copied().unwrap_or(0) >= uses
    {
        return Err(VoidReason::InviteUsedUp);
    }
    Ok(())
}

/// Whether closing act `c` closes `invite` (made by act `made`): its cancellation, or a
/// removal made after the invite.
pub(super) fn closes(g: &Graph, c: usize, invite: EntryId, made: usize) -> bool {
    match g.acts[c].kind {
        ActKind::CancelInvite { invite: x } => x == invite,
        ActKind::RemoveMember { .. } => g.past[c].has(made),
        _ => false,
    }
}
