//! Hosts and invites with terms (rules 8 and 9) on hand-built act graphs: who may remove,
//! the last host, a one-use invite redeemed twice at once, cancellation and removal closing
//! invites, expiry.

use super::*;

const INV: EntryId = EntryId([9; 16]);

impl Acts {
    /// `by` makes invite `INV` with `uses` after `seen`.
    fn invite(&mut self, by: u8, uses: u32, expires_at: Option<i64>, seen: &str) -> String {
        let kind = ActKind::Invite {
            invite: INV,
            uses: Some(uses),
            expires_at,
        };
        self.add(by, kind, &[seen])
    }
    /// `by` admits newcomer `who` (member and device) through `INV` at `at`.
    fn admit_through(&mut self, by: u8, who: u8, at: i64, seen: &str) -> (String, String) {
        let m = self.add(
            by,
            ActKind::AddMember {
                member: mem(who),
                invite: Some(INV),
            },
            &[seen],
        );
        let kind = ActKind::AddDevice {
            device: dev(who),
            member: mem(who),
            invite: Some(INV),
        };
        let d = self.add(by, kind, &[&m]);
        self.0.iter_mut().for_each(|a| {
            if a.id == m || a.id == d {
                a.at_ms = Some(at);
            }
        });
        (m, d)
    }
}

#[test]
fn only_hosts_remove_others_a_member_may_leave_and_the_last_host_stays() {
    let (mut a, top) = Acts::group();
    // Bea is not a host: her removal of Ann counts for nothing.
    let bea_removes = a.remove(2, 1, &[&top]);
    let m = evaluate(&a.0);
    assert_eq!(a.why(&m, &bea_removes), Some(VoidReason::NotHost));
    assert_eq!(m.members, [mem(1), mem(2), mem(3)].into());
    assert_eq!(m.hosts, [mem(1), mem(3)].into());
    // Bea may leave.
    let (mut a, top) = Acts::group();
    a.remove(2, 2, &[&top]);
    assert_eq!(evaluate(&a.0).removed, [mem(2)].into());
    // Ann stops Cal hosting; then Ann, the last host, cannot be removed nor unmade.
    let (mut a, top) = Acts::group();
    let unmade = a.add(1, ActKind::UnmakeHost { member: mem(3) }, &[&top]);
    let last = a.add(1, ActKind::UnmakeHost { member: mem(1) }, &[&unmade]);
    let leave = a.remove(1, 1, &[&last]);
    let m = evaluate(&a.0);
    assert_eq!(a.why(&m, &last), Some(VoidReason::LastHost));
    assert_eq!(a.why(&m, &leave), Some(VoidReason::LastHost));
    assert_eq!(m.hosts, [mem(1)].into());
    // Cal, no longer a host, cannot make himself one again.
    let back = a.add(3, ActKind::MakeHost { member: mem(3) }, &[&leave]);
    assert_eq!(a.why(&evaluate(&a.0), &back), Some(VoidReason::NotHost));
}

#[test]
fn hosts_removing_each_other_at_once_leave_every_member_a_host() {
    let (mut a, top) = Acts::group();
    a.remove(1, 3, &[&top]);
    a.remove(3, 1, &[&top]);
    let m = evaluate(&a.0);
    assert_eq!(m.members, [mem(2)].into());
    assert_eq!(m.hosts, [mem(2)].into(), "Bea can still act for the group");
}

#[test]
fn a_one_use_invite_redeemed_on_two_devices_at_once_admits_one_everywhere() {
    let (mut a, top) = Acts::group();
    let i = a.invite(2, 1, None, &top);
    let (_, first) = a.admit_through(1, 5, 0, &i);
    let (second_member, second) = a.admit_through(3, 6, 0, &i);
    let want = evaluate(&a.0);
    let admitted: Vec<_> = [5, 6]
        .into_iter()
        .filter(|&n| want.devices.contains_key(&dev(n)))
        .collect();
    assert_eq!(admitted.len(), 1, "{want:?}");
    let loser = if admitted == [5] {
        (second_member, second)
    } else {
        (a.0[a.0.len() - 4].id.clone(), first)
    };
    assert_eq!(a.why(&want, &loser.1), Some(VoidReason::InviteUsedUp));
    assert_eq!(a.why(&want, &loser.0), Some(VoidReason::InviteUsedUp));
    assert_eq!(want.members.len(), 4, "the loser is not listed as a member");
    assert_eq!(want.invite_terms[&INV].used, 1);
    assert!(want.invites.is_empty(), "used up");
    let mut acts = a.0.clone();
    for _ in 0..acts.len() {
        acts.rotate_left(1);
        assert_eq!(evaluate(&acts).devices, want.devices);
    }
}

#[test]
fn a_cancellation_closes_an_invite_for_every_admission_it_had_not_seen() {
    let (mut a, top) = Acts::group();
    let i = a.invite(2, 5, None, &top);
    let (_, before) = a.admit_through(2, 5, 0, &i);
    let cancel = a.add(2, ActKind::CancelInvite { invite: INV }, &[&before]);
    // Cal, who had not heard of the cancellation, admits Fay with the invite.
    let (_, concurrent) = a.admit_through(3, 6, 0, &before);
    let (_, after) = a.admit_through(1, 7, 0, &cancel);
    let m = evaluate(&a.0);
    assert_eq!(a.why(&m, &before), None);
    assert_eq!(a.why(&m, &concurrent), Some(VoidReason::InviteClosed));
    assert_eq!(a.why(&m, &after), Some(VoidReason::InviteClosed));
    assert_eq!(m.invite_terms[&INV].closed, Some(Closed::Cancelled));
    // Bea (not a host) cannot cancel Cal's invite; Cal can cancel his own.
    let (mut a, top) = Acts::group();
    let i = a.invite(3, 1, None, &top);
    let not_hers = a.add(2, ActKind::CancelInvite { invite: INV }, &[&i]);
    assert_eq!(a.why(&evaluate(&a.0), &not_hers), Some(VoidReason::NotHost));
}

#[test]
fn a_removed_member_cannot_walk_back_in_with_the_groups_invite() {
    let (mut a, top) = Acts::group();
    // Bea makes a ten-use invite; Dan joins with it; Ann removes Dan.
    let i = a.invite(2, 10, None, &top);
    let (_, dan) = a.admit_through(2, 4, 0, &i);
    let out = a.remove(1, 4, &[&dan]);
    // Dan's new device joins under a new name with the same ticket, through Bea, who has
    // heard of the removal — and through Cal, who has not.
    let (_, after) = a.admit_through(2, 8, 0, &out);
    let (_, concurrent) = a.admit_through(3, 9, 0, &dan);
    let m = evaluate(&a.0);
    assert_eq!(a.why(&m, &after), Some(VoidReason::InviteClosed));
    assert_eq!(a.why(&m, &concurrent), Some(VoidReason::InviteClosed));
    assert!(!m.devices.contains_key(&dev(8)) && !m.devices.contains_key(&dev(9)));
    assert_eq!(m.invite_terms[&INV].closed, Some(Closed::ByRemoval));
    // An invite made after the removal admits as usual.
    let later = a.add(
        2,
        ActKind::Invite {
            invite: EntryId([3; 16]),
            uses: Some(1),
            expires_at: None,
        },
        &[&out],
    );
    let kind = ActKind::AddDevice {
        device: dev(10),
        member: mem(2),
        invite: Some(EntryId([3; 16])),
    };
    let new_device = a.add(2, kind, &[&later]);
    assert_eq!(a.why(&evaluate(&a.0), &new_device), None);
}

#[test]
fn an_admission_after_the_invite_expired_counts_nowhere() {
    let (mut a, top) = Acts::group();
    let i = a.invite(1, 5, Some(1_000), &top);
    let (_, in_time) = a.admit_through(1, 5, 999, &i);
    let (_, late) = a.admit_through(1, 6, 1_001, &in_time);
    let m = evaluate(&a.0);
    assert_eq!(a.why(&m, &in_time), None);
    assert_eq!(a.why(&m, &late), Some(VoidReason::InviteExpired));
    assert!(!m.invite_terms[&INV].is_open(1_001));
}

#[test]
fn a_device_is_its_own_members_and_no_one_else_can_move_it() {
    let (mut a, top) = Acts::group();
    let add = |a: &mut Acts, by: u8, device: u8, member: u8| {
        let kind = ActKind::AddDevice {
            device: dev(device),
            member: mem(member),
            invite: None,
        };
        a.add(by, kind, &[&top])
    };
    // Bea (no host) gives Ann a device, and takes Cal's laptop as hers: neither counts.
    let to_ann = add(&mut a, 2, 20, 1);
    let cals = add(&mut a, 2, 3, 2);
    // Her own second device counts.
    let own = add(&mut a, 2, 21, 2);
    let m = evaluate(&a.0);
    assert_eq!(a.why(&m, &to_ann), Some(VoidReason::NotHost));
    assert_eq!(a.why(&m, &cals), Some(VoidReason::DeviceTaken));
    assert_eq!(a.why(&m, &own), None);
    assert_eq!(
        m.device_members[&dev(3)],
        mem(3),
        "Cal's laptop is still his"
    );
    assert_eq!(m.device_members[&dev(21)], mem(2));
    assert!(!m.devices.contains_key(&dev(20)));
}
