//! Two member entries that are one person (added by the convener before she had a device,
//! then joined again with a plain invite) merged into one: the duplicate's entry says which
//! member it is (`merged_into`), and every read goes through that. Her turns, reflections,
//! attendance, devices and voices then count for one person, under one name; the duplicate
//! leaves the list of members (and is never said to have "left"). Nothing is rewritten: the
//! documents keep what each entry wrote, and the merge is an index change like any other —
//! signed, and shown in history.

use super::NotebookView;
use crate::am::get_str;
use crate::ids::MemberId;
use crate::problems::Problems;
use crate::schema::key;
use automerge::{ObjType, ROOT, ReadDoc};
use std::collections::BTreeMap;

/// Every (member, merged into) the index holds.
pub fn merges(doc: &impl ReadDoc) -> Vec<(MemberId, MemberId)> {
    let Some(members) = crate::am::get_obj(doc, &ROOT, key::MEMBERS, ObjType::Map) else {
        return Vec::new();
    };
    let mut p = Problems::default();
    doc.keys(&members)
        .filter_map(|k| {
            let obj = crate::am::get_obj(doc, &members, &k, ObjType::Map)?;
            let into = get_str(doc, &obj, key::MERGED_INTO, "member", &mut p)?;
            Some((
                MemberId::from_hex(&k).ok()?,
                MemberId::from_hex(&into).ok()?,
            ))
        })
        .collect()
}

/// Who each merged member is now: merges followed to their end. Where two devices merged
/// two entries into each other at once (a cycle), the entry with the lowest id stays.
pub fn resolve(pairs: &[(MemberId, MemberId)]) -> BTreeMap<MemberId, MemberId> {
    let next: BTreeMap<MemberId, MemberId> = pairs.iter().copied().collect();
    let mut out = BTreeMap::new();
    for &start in next.keys() {
        let mut seen = vec![start];
        let mut at = start;
        while let Some(&n) = next.get(&at) {
            if let Some(i) = seen.iter().position(|s| *s == n) {
                // A cycle: its lowest member stays itself.
                at = seen[i..].iter().copied().min().unwrap_or(n);
                break;
            }
            seen.push(n);
            at = n;
        }
        if at != start {
            out.insert(start, at);
        }
    }
    out
}

impl NotebookView {
    /// The member this id counts as (itself, unless it was merged into another).
    pub fn canonical(&self, id: MemberId) -> MemberId {
        self.merged.get(&id).copied().unwrap_or(id)
    }

    /// Applies the merges: merged members leave `members`, and the index's own references
    /// (attendance, conveners, devices, raisers) name the member they are now.
    pub(crate) fn apply_merges(&mut self, pairs: &[(MemberId, MemberId)]) {
        self.merged = resolve(pairs);
        if self.merged.is_empty() {
            return;
        }
        let merged = self.merged.clone();
        let c = |m: MemberId| merged.get(&m).copied().unwrap_or(m);
        self.members.retain(|m| !merged.contains_key(&m.id));
        for d in &mut self.devices {
            d.member = c(d.member);
        }
        for s in &mut self.sessions {
            for list in [&mut s.present, &mut s.absent] {
                let mut seen = Vec::new();
                list.retain_mut(|m| {
                    *m = c(*m);
                    let new = !seen.contains(m);
                    seen.push(*m);
                    new
                });
            }
            s.convener = s.convener.map(c);
        }
        for i in &mut self.invites {
            i.for_member = i.for_member.map(c);
        }
        for q in &mut self.questions {
            q.raised_by = q.raised_by.map(c);
        }
    }
}
