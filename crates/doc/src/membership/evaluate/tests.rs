//! The rules on hand-built act graphs: the scenario (a removed member admits a
//! device concurrently), acts seen before a removal, members removing each other, a
//! re-admission, and acts that must not count.

use super::*;
use crate::ids::{DeviceId, EntryId, MemberId};

mod roles;

fn dev(n: u8) -> DeviceId {
    DeviceId([n; 32])
}
fn mem(n: u8) -> MemberId {
    MemberId([n; 16])
}

#[derive(Default)]
struct Acts(Vec<Act>);

impl Acts {
    /// Adds an act by device `by`, having seen `seen`; returns its id.
    fn add(&mut self, by: u8, kind: ActKind, seen: &[&str]) -> String {
        let id = format!("{}@{by:02x}", self.0.len() + 1);
        self.0.push(Act {
            id: id.clone(),
            author: Some(dev(by)),
            by_creator: by == 1,
            kind,
            seen: seen.iter().map(|s| s.to_string()).collect(),
            at_ms: None,
        });
        id
    }
    fn member(&mut self, by: u8, who: u8, seen: &str) -> String {
        let m = self.add(
            by,
            ActKind::AddMember {
                member: mem(who),
                invite: None,
            },
            &[seen],
        );
        let kind = ActKind::AddDevice {
            device: dev(who),
            member: mem(who),
            invite: None,
        };
        self.add(by, kind, &[&m])
    }
    fn remove(&mut self, by: u8, who: u8, seen: &[&str]) -> String {
        self.add(by, ActKind::RemoveMember { member: mem(who) }, seen)
    }
    /// Ann (1) founds; Bea (2) and Cal (3) join; Ann makes Cal a host; returns the frontier.
    fn group() -> (Acts, String) {
        let mut a = Acts::default();
        let f = a.add(
            1,
            ActKind::Found {
                member: mem(1),
                device: dev(1),
            },
            &[],
        );
        let b = a.member(1, 2, &f);
        let c = a.member(1, 3, &b);
        // Cal is a host too (Bea is not).
        let h = a.add(1, ActKind::MakeHost { member: mem(3) }, &[&c]);
        (a, h)
    }
    /// `by` admits Eve (5) with invite 9, made by `inviter` after `seen`.
    fn admit_eve(&mut self, inviter: u8, by: u8, seen: &str) -> String {
        let inv = EntryId([9; 16]);
        let i = self.add(
            inviter,
            ActKind::Invite {
                invite: inv,
                uses: None,
                expires_at: None,
            },
            &[seen],
        );
        let m = self.add(
            by,
            ActKind::AddMember {
                member: mem(5),
                invite: Some(inv),
            },
            &[&i],
        );
        let kind = ActKind::AddDevice {
            device: dev(5),
            member: mem(5),
            invite: Some(inv),
        };
        let d = self.add(by, kind, &[&m]);
        self.add(
            by,
            ActKind::Redeem {
                invite: inv,
                device: dev(5),
            },
            &[&d],
        )
    }
    fn why(&self, m: &Membership, id: &str) -> Option<VoidReason> {
        m.void.iter().find(|v| v.act.id == id).map(|v| v.why)
    }
}

#[test]
fn a_device_admitted_by_a_member_being_removed_is_not_admitted() {
    let (mut a, top) = Acts::group();
    a.remove(1, 3, &[&top]);
    // Cal, who has not heard, admits Eve; Eve then makes an invite of her own.
    let eve_in = a.admit_eve(3, 3, &top);
    let eve_invites = a.add(
        5,
        ActKind::Invite {
            invite: EntryId([8; 16]),
            uses: None,
            expires_at: None,
        },
        &[&eve_in],
    );
    let m = evaluate(&a.0);
    assert!(m.evaluated);
    assert_eq!(m.members, [mem(1), mem(2)].into());
    assert_eq!(m.removed, [mem(3)].into());
    assert_eq!(
        m.devices.keys().copied().collect::<Vec<_>>(),
        vec![dev(1), dev(2)]
    );
    assert_eq!(m.not_admitted(mem(5)), Some(VoidReason::AuthorRemoved));
    assert_eq!(a.why(&m, &eve_invites), Some(VoidReason::AuthorNotActive));
    assert!(m.invites.is_empty());
}

#[test]
fn what_the_removed_member_did_before_the_removal_was_seen_still_counts() {
    let (mut a, top) = Acts::group();
    let eve_in = a.admit_eve(3, 3, &top);
    a.remove(1, 3, &[&eve_in]);
    let m = evaluate(&a.0);
    assert_eq!(m.members, [mem(1), mem(2), mem(5)].into());
    assert!(m.devices.contains_key(&dev(5)));
    assert!(!m.devices.contains_key(&dev(3)));
}

#[test]
fn an_active_member_admitting_with_a_void_invite_admits_nobody() {
    let (mut a, top) = Acts::group();
    a.remove(1, 3, &[&top]);
    // Cal makes the invite while being removed; Bea (who has not heard) honours it.
    a.admit_eve(3, 2, &top);
    let m = evaluate(&a.0);
    assert_eq!(m.not_admitted(mem(5)), Some(VoidReason::InviteVoid));
    assert!(!m.devices.contains_key(&dev(5)));
}

#[test]
fn members_who_remove_each_other_concurrently_are_both_removed() {
    let (mut a, top) = Acts::group();
    a.remove(1, 3, &[&top]);
    a.remove(3, 1, &[&top]);
    let m = evaluate(&a.0);
    assert_eq!(m.members, [mem(2)].into());
    assert_eq!(m.removed, [mem(1), mem(3)].into());
}

#[test]
fn a_removal_by_someone_whose_own_admission_is_void_does_not_hold() {
    let (mut a, top) = Acts::group();
    a.remove(1, 3, &[&top]);
    let eve_in = a.admit_eve(3, 3, &top);
    let r = a.remove(5, 2, &[&eve_in]);
    let m = evaluate(&a.0);
    assert!(
        m.members.contains(&mem(2)),
        "Bea stays: Eve was never admitted"
    );
    assert_eq!(a.why(&m, &r), Some(VoidReason::AuthorNotActive));
}

#[test]
fn only_an_active_member_re_admits_and_then_the_member_acts_again() {
    let (mut a, top) = Acts::group();
    let r = a.remove(1, 3, &[&top]);
    // Cal cannot undo his own removal.
    let own = a.add(3, ActKind::ReadmitMember { member: mem(3) }, &[&r]);
    let m = evaluate(&a.0);
    assert_eq!(a.why(&m, &own), Some(VoidReason::AuthorNotActive));
    assert!(m.removed.contains(&mem(3)));
    // Ann re-admits him on purpose; what he does after that counts, what he did while
    // being removed does not.
    let back = a.add(1, ActKind::ReadmitMember { member: mem(3) }, &[&own]);
    let during = a.add(
        3,
        ActKind::Invite {
            invite: EntryId([7; 16]),
            uses: None,
            expires_at: None,
        },
        &[&top],
    );
    let after = a.add(
        3,
        ActKind::Invite {
            invite: EntryId([6; 16]),
            uses: None,
            expires_at: None,
        },
        &[&back],
    );
    let m = evaluate(&a.0);
    assert!(m.members.contains(&mem(3)) && m.devices.contains_key(&dev(3)));
    assert_eq!(a.why(&m, &during), Some(VoidReason::AuthorRemoved));
    assert_eq!(a.why(&m, &after), None);
    assert_eq!(m.invites, [EntryId([6; 16])].into());
}

#[test]
fn forged_founding_acts_strangers_and_missing_history_do_not_count() {
    let (mut a, top) = Acts::group();
    let forged = a.add(
        7,
        ActKind::Found {
            member: mem(7),
            device: dev(7),
        },
        &[],
    );
    let stranger = a.member(7, 8, &top);
    let waits = a.add(
        1,
        ActKind::Invite {
            invite: EntryId([5; 16]),
            uses: None,
            expires_at: None,
        },
        &["99@ff"],
    );
    let after_waiting = a.add(
        1,
        ActKind::Invite {
            invite: EntryId([4; 16]),
            uses: None,
            expires_at: None,
        },
        &[&waits],
    );
    let m = evaluate(&a.0);
    assert_eq!(a.why(&m, &forged), Some(VoidReason::NotFounder));
    assert_eq!(a.why(&m, &stranger), Some(VoidReason::AuthorNotActive));
    assert_eq!(a.why(&m, &waits), Some(VoidReason::Waiting));
    assert_eq!(a.why(&m, &after_waiting), Some(VoidReason::Waiting));
    assert_eq!(m.members, [mem(1), mem(2), mem(3)].into());
}

#[test]
fn the_same_acts_in_any_order_give_the_same_membership() {
    let (mut a, top) = Acts::group();
    a.remove(1, 3, &[&top]);
    a.admit_eve(3, 3, &top);
    a.remove(3, 2, &[&top]);
    let want = evaluate(&a.0);
    let mut acts = a.0.clone();
    for step in 1..acts.len() {
        acts.rotate_left(step % 3 + 1);
        acts.reverse();
        assert_eq!(evaluate(&acts).members, want.members);
        assert_eq!(evaluate(&acts).devices, want.devices);
    }
}
