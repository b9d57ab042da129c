//! The rules of `mod.rs`, as a pure function of the acts. Acts are ordered causally (their
//! `seen` sets; ties by id, so every device walks them alike), and each act is judged against
//! the membership of its own causal past (`judge`).
//!
//! Which closing acts (removals, invite cancellations) hold is settled first, as a fixpoint:
//! given a set `E` of closing acts taken to hold, one pass judges every act (`pass`), and
//! `F(E)` is the closing acts that pass finds valid. `F` is antitone (more removals hold →
//! fewer acts count → fewer removals have active authors), so `E0 = ∅, E1 = F(E0), …`
//! alternates around the answer and settles within a few steps into a fixpoint or a
//! two-cycle; in a two-cycle (members removing each other concurrently) the larger set
//! holds: both are removed (rule 5). (The last-host fallback of rule 8 can break
//! antitonicity; the steps are bounded and every device takes the same ones, so every
//! device still reaches the same answer.)

mod graph;
mod judge;
mod state;

use super::{Act, ActKind, Closed, InviteTerms, Membership, VoidAct, VoidReason};
use crate::ids::EntryId;
use graph::{Graph, Past};
use state::State;
use std::collections::BTreeMap;

/// Who belongs, from the acts (see the module docs of `membership`).
pub fn evaluate(acts: &[Act]) -> Membership {
    if acts.is_empty() {
        return Membership::default();
    }
    let g = Graph::new(acts);
    let closers = g.order.iter().filter(|&&j| is_closer(&acts[j])).count();
    let mut held = vec![false; acts.len()];
    let mut before: Option<Vec<bool>> = None;
    for _ in 0..(2 * closers + 4) {
        let next = pass(&g, &held).closers;
        if next == held {
            break;
        }
        if before.as_ref() == Some(&next) {
            // A two-cycle: the larger of the two sets holds (rule 5).
            held = held.iter().zip(&next).map(|(a, b)| *a || *b).collect();
            break;
        }
        before = Some(std::mem::replace(&mut held, next));
    }
    let judged = pass(&g, &held);
    let mut out = Membership {
        evaluated: true,
        ..Membership::default()
    };
    let all = Past::all(acts.len());
    let state = State::of(&g, &all, &judged.valid, &held);
    for &m in &state.members {
        if state.is_removed(&g, m) {
            out.removed.insert(m);
        } else {
            out.members.insert(m);
        }
    }
    for (&d, &m) in &state.devices {
        if out.members.contains(&m) {
            out.devices.insert(d, m);
        }
    }
    out.device_members = state.devices.clone();
    out.hosts = state.hosts(&g);
    out.invite_terms = invite_terms(&g, &state, &judged, &held);
    out.invites = out
        .invite_terms
        .iter()
        .filter(|(_, t)| t.closed.is_none() && t.uses.is_none_or(|u| t.used < u))
        .map(|(i, _)| *i)
        .collect();
    for &j in &g.order_with_waiting {
        if let Some(why) = judged.why[j] {
            out.void.push(VoidAct {
                act: acts[j].clone(),
                why,
            });
        }
    }
    out
}

/// Acts that close something for every act they had not seen: removals, cancellations.
fn is_closer(a: &Act) -> bool {
    matches!(
        a.kind,
        ActKind::RemoveMember { .. } | ActKind::CancelInvite { .. }
    )
}

/// Every invite whose act counts, with its terms, uses and whether it was closed.
fn invite_terms(
    g: &Graph,
    state: &State,
    judged: &Judged,
    held: &[bool],
) -> BTreeMap<EntryId, InviteTerms> {
    let mut out = BTreeMap::new();
    for (&invite, &(made, maker)) in &state.invites {
        let ActKind::Invite {
            uses, expires_at, ..
        } = g.acts[made].kind
        else {
            continue;
        };
        let closed = g
            .order
            .iter()
            .filter(|&&c| held[c] && judge::closes(g, c, invite, made))
            .map(|&c| match g.acts[c].kind {
                ActKind::CancelInvite { .. } => Closed::Cancelled,
                _ => Closed::ByRemoval,
            })
            .min_by_key(|c| *c != Closed::Cancelled);
        let used = judged.used.get(&invite).copied().unwrap_or(0);
        out.insert(
            invite,
            InviteTerms {
                maker,
                uses,
                expires_at,
                used,
                closed,
            },
        );
    }
    out
}

/// One judgement of every act, given the closing acts taken to hold.
struct Judged {
    valid: Vec<bool>,
    why: Vec<Option<VoidReason>>,
    /// The closing acts that themselves pass (`F(held)`).
    closers: Vec<bool>,
    /// Devices each invite admitted, in acts that count.
    used: BTreeMap<EntryId, u32>,
}

fn pass(g: &Graph, held: &[bool]) -> Judged {
    let n = g.acts.len();
    let mut j = Judged {
        valid: vec![false; n],
        why: vec![None; n],
        closers: vec![false; n],
        used: BTreeMap::new(),
    };
    for i in 0..n {
        if g.waiting[i] {
            j.why[i] = Some(VoidReason::Waiting);
        }
    }
    for &i in &g.order {
        let verdict = judge::judge(g, i, &j.valid, held, &j.used);
        if is_closer(&g.acts[i]) {
            // A closing act counts for the state as `held` says; whether it passes is F(held).
            j.closers[i] = verdict.is_ok();
            j.valid[i] = held[i];
            j.why[i] = if held[i] { None } else { verdict.err() };
        } else {
            if let (
                Ok(()),
                ActKind::AddDevice {
                    invite: Some(inv), ..
                },
            ) = (verdict, &g.acts[i].kind)
            {
                *j.used.entry(*inv).or_default() += 1;
            }
            j.valid[i] = verdict.is_ok();
            j.why[i] = verdict.err();
        }
    }
    follow_device_admissions(g, &mut j);
    j
}

/// A member admitted through an invite, and the invite's use, count only with the device
/// admitted in the same admission: where that did not count (its invite was used up, say),
/// neither do they, for the same reason.
fn follow_device_admissions(g: &Graph, j: &mut Judged) {
    let device_verdict = |j: &Judged, pick: &dyn Fn(&ActKind) -> bool| {
        g.order
            .iter()
            .filter(|&&k| pick(&g.acts[k].kind))
            .map(|&k| j.why[k])
            .min_by_key(Option::is_some)
    };
    for &i in &g.order {
        if !j.valid[i] {
            continue;
        }
        let verdict = match g.acts[i].kind {
            ActKind::AddMember {
                member,
                invite: Some(inv),
            } => device_verdict(
                j,
                &|k| matches!(*k, ActKind::AddDevice { member: m, invite: Some(x), .. } if m == member && x == inv),
            ),
            ActKind::Redeem { invite, device } => device_verdict(
                j,
                &|k| matches!(*k, ActKind::AddDevice { device: d, invite: Some(x), .. } if d == device && x == invite),
            ),
            _ => continue,
        };
        // No device admission at all (an older client's admission): nothing to follow.
        if let Some(Some(why)) = verdict {
            j.valid[i] = false;
            j.why[i] = Some(why);
        }
    }
}

#[cfg(test)]
mod tests;
