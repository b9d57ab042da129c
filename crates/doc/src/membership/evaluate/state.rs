//! Membership as a set of acts leaves it: members, devices, hosts, invites, and the
//! removals and re-admissions per member — read by walking the acts in causal order.

use super::graph::{Graph, Past};
use crate::ids::{DeviceId, EntryId, MemberId};
use crate::membership::ActKind;
use std::collections::{BTreeMap, BTreeSet};

/// Membership as the acts in some set leave it.
#[derive(Default)]
pub(super) struct State {
    pub(super) members: BTreeSet<MemberId>,
    pub(super) devices: BTreeMap<DeviceId, MemberId>,
    /// Members made hosts (and not unmade), removed ones included: see `hosts`.
    host_marks: BTreeSet<MemberId>,
    /// Invites whose act counts: the act and the member who made it.
    pub(super) invites: BTreeMap<EntryId, (usize, MemberId)>,
    /// Removals that hold, and re-admissions that count, per member.
    pub(super) removals: BTreeMap<MemberId, Vec<usize>>,
    pub(super) readmits: BTreeMap<MemberId, Vec<usize>>,
}

impl State {
    /// The membership the acts in `within` leave (those that count; closing acts —
    /// removals, cancellations — that hold).
    pub(super) fn of(g: &Graph, within: &Past, valid: &[bool], held: &[bool]) -> State {
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
                    s.host_marks.insert(member);
                }
                ActKind::AddMember { member, .. } => {
                    s.members.insert(member);
                }
                ActKind::AddDevice { device, member, .. } => {
                    s.devices.insert(device, member);
                }
                ActKind::Invite { invite, .. } => {
                    let maker = g.acts[k].author.and_then(|d| s.devices.get(&d).copied());
                    if let Some(maker) = maker {
                        s.invites.entry(invite).or_insert((k, maker));
                    }
                }
                ActKind::ReadmitMember { member } => s.readmits.entry(member).or_default().push(k),
                ActKind::MakeHost { member } => {
                    s.host_marks.insert(member);
                }
                ActKind::UnmakeHost { member } => {
                    s.host_marks.remove(&member);
                }
                ActKind::Redeem { .. }
                | ActKind::RemoveMember { .. }
                | ActKind::CancelInvite { .. } => {}
            }
        }
        s
    }

    /// Whether a removal of `m` holds here that no later re-admission undid.
    pub(super) fn is_removed(&self, g: &Graph, m: MemberId) -> bool {
        let readmits = self.readmits.get(&m).map(Vec::as_slice).unwrap_or(&[]);
        self.removals.get(&m).is_some_and(|rs| {
            rs.iter()
                .any(|&r| !readmits.iter().any(|&x| g.past[x].has(r)))
        })
    }

    /// Whether `m` belongs here (added, and not removed).
    pub(super) fn belongs(&self, g: &Graph, m: MemberId) -> bool {
        self.members.contains(&m) && !self.is_removed(g, m)
    }

    /// The member an active device belongs to.
    pub(super) fn active(&self, g: &Graph, d: DeviceId) -> Option<MemberId> {
        let m = *self.devices.get(&d)?;
        self.belongs(g, m).then_some(m)
    }

    /// The members made hosts who still belong.
    pub(super) fn marked_hosts(&self, g: &Graph) -> BTreeSet<MemberId> {
        self.host_marks
            .iter()
            .copied()
            .filter(|&m| self.belongs(g, m))
            .collect()
    }

    /// The hosts: those made hosts who still belong, or — if none does (hosts removed each
    /// other concurrently) — every member, so the group is never left unable to act.
    pub(super) fn hosts(&self, g: &Graph) -> BTreeSet<MemberId> {
        let marked = self.marked_hosts(g);
        if !marked.is_empty() {
            return marked;
        }
        self.members
            .iter()
            .copied()
            .filter(|&m| !self.is_removed(g, m))
            .collect()
    }
}
