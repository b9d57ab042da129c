//! Property: four member devices make random membership acts (invites, admissions through
//! new and shared invites, removals, re-admissions, hosts made and unmade, cancellations)
//! on their own copies of the index and meet in random orders; once everyone has met
//! everyone, every copy evaluates the same membership — and nobody is active whose admission
//! was made by a member removed concurrently with it, no invite admits more devices than
//! its uses, and the group always has a host among its members.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use stones_doc::automerge::AutoCommit;
use stones_doc::index::Newcomer;
use stones_doc::membership::{ActKind, VoidReason};
use stones_doc::{DeviceId, EntryId, IndexDoc, MemberId, NotebookId};

const DEVICES: usize = 4;

#[derive(Clone, Debug)]
enum Step {
    /// Device `by` makes an invite and admits a newcomer with it at once.
    Admit { by: usize },
    /// Device `by` removes the member of device `whom`.
    Remove { by: usize, whom: usize },
    /// Device `by` re-admits the member of device `whom`.
    Readmit { by: usize, whom: usize },
    /// Device `by` admits another newcomer with the newest invite it knows of.
    AdmitAgain { by: usize },
    /// Device `by` makes the member of device `whom` a host, or stops them being one.
    Host { by: usize, whom: usize, on: bool },
    /// Device `by` cancels the newest invite it knows of.
    Cancel { by: usize },
    /// Device `to` takes in everything device `from` has.
    Meet { from: usize, to: usize },
}

fn step() -> impl Strategy<Value = Step> {
    let d = 0..DEVICES;
    prop_oneof![
        d.clone().prop_map(|by| Step::Admit { by }),
        (d.clone(), d.clone()).prop_map(|(by, whom)| Step::Remove { by, whom }),
        (d.clone(), d.clone()).prop_map(|(by, whom)| Step::Readmit { by, whom }),
        d.clone().prop_map(|by| Step::AdmitAgain { by }),
        (d.clone(), d.clone(), any::<bool>()).prop_map(|(by, whom, on)| Step::Host {
            by,
            whom,
            on
        }),
        d.clone().prop_map(|by| Step::Cancel { by }),
        (d.clone(), d).prop_map(|(from, to)| Step::Meet { from, to }),
    ]
}

fn device(i: usize) -> DeviceId {
    DeviceId([i as u8 + 1; 32])
}

/// A notebook founded on device 0 with one member per device, copied to each device.
fn group() -> (Vec<IndexDoc>, Vec<MemberId>) {
    let mut founder =
        IndexDoc::create(NotebookId::random(), "G", "", device(0).actor(0), 0).unwrap();
    let mut members = vec![founder.found("d0", "", "", device(0), 0).unwrap()];
    for i in 1..DEVICES {
        let m = founder
            .add_member(&format!("d{i}"), "", "", None, 0)
            .unwrap();
        founder.add_device(device(i), m, "", None, 0).unwrap();
        members.push(m);
    }
    founder.doc_mut().commit();
    let copies = (0..DEVICES)
        .map(|i| {
            let doc: AutoCommit = founder.doc_mut().fork().with_actor(device(i).actor(0));
            IndexDoc::from_doc(doc)
        })
        .collect();
    (copies, members)
}

/// Admits newcomer `n` (their own name and device) through `invite`; a refusal is fine.
fn admit_newcomer(d: &mut IndexDoc, invite: EntryId, by: MemberId, n: u8) {
    let who = Newcomer {
        name: &format!("new {n}"),
        sector: "",
        device: DeviceId([100 + n; 32]),
    };
    let _ = d.admit(invite, who, Some(by), 0);
}

fn apply(docs: &mut [IndexDoc], members: &[MemberId], s: &Step, n: &mut u8) {
    match *s {
        Step::Admit { by } => {
            *n += 1;
            let invite = EntryId([*n; 16]);
            let d = &mut docs[by];
            if d.add_invite(invite, b"h", members[by], i64::MAX, 2, None, 0)
                .is_ok()
            {
                admit_newcomer(d, invite, members[by], *n);
            }
            d.doc_mut().commit();
        }
        Step::AdmitAgain { by } => {
            *n += 1;
            let d = &mut docs[by];
            if let Some(invite) = d.view().invites.last().map(|i| i.id) {
                admit_newcomer(d, invite, members[by], *n);
                d.doc_mut().commit();
            }
        }
        Step::Host { by, whom, on } => {
            let d = &mut docs[by];
            let _ = match on {
                true => d.make_host(members[whom], 0),
                false => d.unmake_host(members[whom], 0),
            };
            d.doc_mut().commit();
        }
        Step::Cancel { by } => {
            let d = &mut docs[by];
            if let Some(invite) = d.view().invites.last().map(|i| i.id) {
                let _ = d.cancel_invite(invite, 0);
                d.doc_mut().commit();
            }
        }
        Step::Remove { by, whom } => {
            let _ = docs[by].remove_member(members[whom], 0);
            docs[by].doc_mut().commit();
        }
        Step::Readmit { by, whom } => {
            let _ = docs[by].readmit_member(members[whom], 0);
            docs[by].doc_mut().commit();
        }
        Step::Meet { from, to } if from != to => {
            let mut theirs = docs[from].doc_mut().fork();
            docs[to].doc_mut().merge(&mut theirs).unwrap();
        }
        Step::Meet { .. } => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_device_ends_with_the_same_membership(steps in prop::collection::vec(step(), 1..24)) {
        let (mut docs, members) = group();
        let mut n = 0u8;
        for s in &steps {
            apply(&mut docs, &members, s, &mut n);
        }
        // Everyone meets everyone.
        for to in 0..DEVICES {
            for from in 0..DEVICES {
                apply(&mut docs, &members, &Step::Meet { from, to }, &mut n);
            }
        }
        let views: Vec<_> = docs.iter().map(|d| d.view().membership).collect();
        for v in &views[1..] {
            prop_assert_eq!(&v.members, &views[0].members);
            prop_assert_eq!(&v.devices, &views[0].devices);
            prop_assert_eq!(&v.removed, &views[0].removed);
            prop_assert_eq!(&v.hosts, &views[0].hosts);
            prop_assert_eq!(&v.invites, &views[0].invites);
        }
        let m = &views[0];
        prop_assert!(m.evaluated);
        // No device counts whose admission was voided; no removed member's device counts.
        for v in &m.void {
            if let ActKind::AddDevice { device, .. } = v.act.kind {
                prop_assert!(!m.devices.contains_key(&device), "{:?}", v);
            }
        }
        for (d, owner) in &m.devices {
            prop_assert!(!m.removed.contains(owner), "device {} of a removed member", d);
        }
        // Never more devices through an invite than its uses; a host among the members.
        for (id, t) in &m.invite_terms {
            prop_assert!(t.uses.is_none_or(|u| t.used <= u), "{:?} {:?}", id, t);
        }
        if !m.members.is_empty() {
            prop_assert!(!m.hosts.is_empty());
        }
        prop_assert!(m.hosts.is_subset(&m.members), "{:?} {:?}", m.hosts, m.members);
        // Everyone met everyone: no act waits for acts a device lacks.
        prop_assert!(m.void.iter().all(|v| v.why != VoidReason::Waiting));
    }
}
