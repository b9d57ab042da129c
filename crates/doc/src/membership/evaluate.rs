//! The rules of `mod.rs`, as a pure function of the acts. Acts are ordered causally (their
//! `seen` sets; ties by id, so every device walks them alike), and each act is judged against
//! the membership of its own causal past.
//!
//! Which removals hold is settled first, as a fixpoint: given a set `E` of removals taken to
//! hold, one pass judges every act (`pass`), and `F(E)` is the removals that pass finds
//! valid. `F` is antitone (more removals hold → fewer acts count → fewer removals have active
//! authors), so `E0 = ∅, E1 = F(E0), …` alternates around the answer and settles within a
//! few steps into a fixpoint or a two-cycle; in a two-cycle (members removing each other
//! concurrently) the larger set holds: both are removed (rule 5).

use super::{Act, ActKind, Membership, VoidAct, VoidReason};
use crate::ids::{DeviceId, EntryId, MemberId};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Who belongs, from the acts (see the module docs of `membership`).
pub fn evaluate(acts: &[Act]) -> Membership {
    if acts.is_empty() {
        return Membership::default();
    }
    let g = Graph::new(acts);
    let removals = g.order.iter().filter(|&&j| is_removal(&acts[j])).count();
    let mut held = vec![false; acts.len()];
    let mut before: Option<Vec<bool>> = None;
    for _ in 0..(2 * removals + 4) {
        let next = pass(&g, &held).removals;
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
    out.invites = state.invites;
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

fn is_removal(a: &Act) -> bool {
    matches!(a.kind, ActKind::RemoveMember { .. })
}

/// A set of acts as bits (the causal past of an act).
#[derive(Clone)]
struct Past(Vec<u64>);

impl Past {
    fn empty(n: usize) -> Past {
        Past(vec![0; n.div_ceil(64)])
    }
    fn all(n: usize) -> Past {
        let mut p = Past::empty(n);
        for i in 0..n {
            p.insert(i);
        }
        p
    }
    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn has(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    fn union(&mut self, other: &Past) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The acts, their causal order and each act's causal past.
struct Graph<'a> {
    acts: &'a [Act],
    /// Acts whose whole past is held, parents first (ties by id).
    order: Vec<usize>,
    /// The same, then the waiting acts (for reporting in a stable order).
    order_with_waiting: Vec<usize>,
    /// Each act's causal past (excluding itself).
    past: Vec<Past>,
    waiting: Vec<bool>,
}

impl<'a> Graph<'a> {
    fn new(acts: &'a [Act]) -> Graph<'a> {
        let n = acts.len();
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (i, a) in acts.iter().enumerate() {
            by_id.entry(a.id.as_str()).or_insert(i);
        }
        let mut waiting = vec![false; n];
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, a) in acts.iter().enumerate() {
            for s in &a.seen {
                match by_id.get(s.as_str()) {
                    Some(&p) if p != i => parents[i].push(p),
                    _ => waiting[i] = true,
                }
            }
        }
        // Kahn's algorithm; what never becomes ready (a cycle) waits too.
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut missing: Vec<usize> = parents.iter().map(Vec::len).collect();
        for (i, ps) in parents.iter().enumerate() {
            for &p in ps {
                children[p].push(i);
            }
        }
        let mut ready: BTreeSet<(&str, usize)> = (0..n)
            .filter(|&i| missing[i] == 0)
            .map(|i| (acts[i].id.as_str(), i))
            .collect();
        let mut topo = Vec::with_capacity(n);
        while let Some(first) = ready.pop_first() {
            let i = first.1;
            topo.push(i);
            for &c in &children[i] {
                missing[c] -= 1;
                if missing[c] == 0 {
                    ready.insert((acts[c].id.as_str(), c));
                }
            }
        }
        let mut placed = vec![false; n];
        let mut past = vec![Past::empty(n); n];
        for &i in &topo {
            placed[i] = true;
            let mut p = Past::empty(n);
            for &q in &parents[i] {
                p.insert(q);
                p.union(&past[q]);
                waiting[i] |= waiting[q];
            }
            past[i] = p;
        }
        for (i, w) in waiting.iter_mut().enumerate() {
            *w |= !placed[i];
        }
        let order: Vec<usize> = topo.iter().copied().filter(|&i| !waiting[i]).collect();
        let mut order_with_waiting = order.clone();
        let mut rest: Vec<usize> = (0..n).filter(|&i| waiting[i]).collect();
        rest.sort_by(|a, b| acts[*a].id.cmp(&acts[*b].id));
        order_with_waiting.extend(rest);
        Graph {
            acts,
            order,
            order_with_waiting,
            past,
            waiting,
        }
    }
}

/// Membership as a set of acts leaves it.
#[derive(Default)]
struct State {
    members: BTreeSet<MemberId>,
    devices: BTreeMap<DeviceId, MemberId>,
    invites: BTreeSet<EntryId>,
    /// Removals that hold, and re-admissions that count, per member.
    removals: BTreeMap<MemberId, Vec<usize>>,
    readmits: BTreeMap<MemberId, Vec<usize>>,
}

impl State {
    /// The membership the acts in `within` leave (those that count; removals that hold).
    fn of(g: &Graph, within: &Past, valid: &[bool], held: &[bool]) -> State {
        let mut s = State::default();
        for &k in &g.order {
            if !within.has(k) {
                continue;
            }
            match g.acts[k].kind {
                ActKind::RemoveMember { member } if held[k] => {
                    s.removals.entry(member).or_default().push(k)
                }
                _ if !valid[k] => {}
                ActKind::Found { member, device } => {
                    s.members.insert(member);
                    s.devices.insert(device, member);
                }
                ActKind::AddMember { member, .. } => {
                    s.members.insert(member);
                }
                ActKind::AddDevice { device, member, .. } => {
                    s.devices.insert(device, member);
                }
                ActKind::Invite { invite } => {
                    s.invites.insert(invite);
                }
                ActKind::ReadmitMember { member } => s.readmits.entry(member).or_default().push(k),
                ActKind::Redeem { .. } | ActKind::RemoveMember { .. } => {}
            }
        }
        s
    }

    /// Whether a removal of `m` holds here that no later re-admission undid.
    fn is_removed(&self, g: &Graph, m: MemberId) -> bool {
        let readmits = self.readmits.get(&m).map(Vec::as_slice).unwrap_or(&[]);
        self.removals.get(&m).is_some_and(|rs| {
            rs.iter()
                .any(|&r| !readmits.iter().any(|&x| g.past[x].has(r)))
        })
    }

    /// The member an active device belongs to.
    fn active(&self, g: &Graph, d: DeviceId) -> Option<MemberId> {
        let m = *self.devices.get(&d)?;
        (self.members.contains(&m) && !self.is_removed(g, m)).then_some(m)
    }
}

/// One judgement of every act, given the removals taken to hold.
struct Judged {
    valid: Vec<bool>,
    why: Vec<Option<VoidReason>>,
    /// The removals that themselves pass (`F(held)`).
    removals: Vec<bool>,
}

fn pass(g: &Graph, held: &[bool]) -> Judged {
    let n = g.acts.len();
    let mut j = Judged {
        valid: vec![false; n],
        why: vec![None; n],
        removals: vec![false; n],
    };
    for i in 0..n {
        if g.waiting[i] {
            j.why[i] = Some(VoidReason::Waiting);
        }
    }
    for &i in &g.order {
        let verdict = judge(g, i, &j.valid, held);
        if is_removal(&g.acts[i]) {
            // A removal counts for the state as `held` says; whether it passes is F(held).
            j.removals[i] = verdict.is_ok();
            j.valid[i] = held[i];
            j.why[i] = if held[i] { None } else { verdict.err() };
        } else {
            j.valid[i] = verdict.is_ok();
            j.why[i] = verdict.err();
        }
    }
    j
}

/// Whether act `i` counts, given what counts in its past and the removals that hold.
fn judge(g: &Graph, i: usize, valid: &[bool], held: &[bool]) -> Result<(), VoidReason> {
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
    // Rule 3: a removal of the author's member that this act did not happen before.
    let readmitted_after = |r: usize| {
        state
            .readmits
            .get(&member)
            .is_some_and(|xs| xs.iter().any(|&x| g.past[x].has(r)))
    };
    let removed = g.order.iter().any(|&r| {
        r != i
            && held[r]
            && matches!(g.acts[r].kind, ActKind::RemoveMember { member: m } if m == member)
            && !g.past[r].has(i)
            && !readmitted_after(r)
    });
    if removed {
        return Err(VoidReason::AuthorRemoved);
    }
    // Rule 6: an admission through an invite needs the invite's act, seen and counting.
    let invite = match act.kind {
        ActKind::AddMember { invite, .. } | ActKind::AddDevice { invite, .. } => invite,
        ActKind::Redeem { invite, .. } => Some(invite),
        _ => None,
    };
    if let Some(inv) = invite
        && !state.invites.contains(&inv)
    {
        return Err(VoidReason::InviteVoid);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
