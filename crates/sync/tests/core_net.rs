//! The protocol core on the in-memory network: any schedule of edits, connections, drops,
//! partitions and delivery orders converges to identical documents with every edit kept;
//! strangers get no content; revoked devices are disconnected.
#![allow(clippy::unwrap_used)]

mod common;

use common::group::{Group, device, group, replica};
use proptest::prelude::*;
use stones_doc::{DocId, IndexDoc, NotebookId, SessionDoc};
use stones_sync::core::SyncEvent;
use stones_sync::testnet::{Net, index_view};
use stones_sync::wire::Msg;

#[derive(Clone, Debug)]
enum Op {
    Connect(usize, usize),
    Drop(usize),
    Deliver(usize),
    Type(usize),
    NewSession(usize),
    Partition(usize),
}

fn op(n: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..n, 0..n).prop_map(|(a, b)| Op::Connect(a, b)),
        1 => any::<usize>().prop_map(Op::Drop),
        8 => any::<usize>().prop_map(Op::Deliver),
        4 => (0..n).prop_map(Op::Type),
        1 => (0..n).prop_map(Op::NewSession),
        1 => (1..n).prop_map(Op::Partition),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn any_schedule_converges_with_nothing_lost(
        n in 2usize..5,
        ops in prop::collection::vec(op(4), 0..120),
        seed in any::<u64>(),
    ) {
        let mut g = group(n);
        for o in ops {
            match o {
                Op::Connect(a, b) => {
                    let (a, b) = (a % n, b % n);
                    if a != b && !g.net.connected(a, b) {
                        g.net.connect(a, b);
                    }
                }
                Op::Drop(k) => {
                    let ids: Vec<u64> = g.net.links.keys().copied().collect();
                    if !ids.is_empty() {
                        g.net.drop_link(ids[k % ids.len()]);
                    }
                }
                Op::Deliver(c) => {
                    g.net.deliver(c);
                }
                Op::Type(d) => g.type_into_reflection(d % n),
                Op::NewSession(d) => g.new_session(d % n),
                Op::Partition(split) => {
                    let split = split % n;
                    let ids: Vec<u64> = g
                        .net
                        .links
                        .iter()
                        .filter(|(_, l)| (l.a < split) != (l.b < split))
                        .map(|(id, _)| *id)
                        .collect();
                    for id in ids {
                        g.net.drop_link(id);
                    }
                }
            }
        }
        g.heal(seed);
        g.assert_converged();
    }
}

#[test]
fn caught_up_is_reported_both_ways_after_a_full_sync() {
    let mut g = group(2);
    g.type_into_reflection(0);
    let link = g.net.connect(0, 1);
    g.net.run(|| 0);
    let c0 = stones_sync::core::ConnId(link);
    assert!(g.net.cores[0].caught_up(c0));
    assert!(g.net.cores[1].caught_up(c0));
    for d in 0..2 {
        assert!(
            g.net
                .events
                .iter()
                .any(|(who, e)| *who == d && matches!(e, SyncEvent::CaughtUp { .. })),
            "device {d} reported caught up"
        );
    }
    // A local edit makes it not caught up until the peer has it.
    g.type_into_reflection(1);
    assert!(!g.net.cores[1].caught_up(c0));
    g.net.run(|| 0);
    assert!(g.net.cores[0].caught_up(c0) && g.net.cores[1].caught_up(c0));
    g.assert_converged();
}

#[test]
fn a_stranger_receives_no_content_and_is_told_why() {
    let mut g = group(2);
    g.type_into_reflection(0);
    let stranger = replica(9);
    g.net.cores.push(stones_sync::core::Core::new(stranger));
    g.net.bytes_in.push(0);
    // The stranger claims to be joining the notebook through device 0.
    g.net.cores[2].replica.joining.insert(g.nb, device(0));
    let link = g.net.connect(2, 0);
    let mut seen_by_stranger = Vec::new();
    while let Some(l) = g.net.links.get_mut(&link) {
        if let Some(f) = l.to_a.front() {
            seen_by_stranger.push(Msg::decode(f).unwrap());
        }
        if !g.net.deliver(0) {
            break;
        }
    }
    assert!(
        g.net.cores[2].replica.docs.is_empty(),
        "no document reached the stranger"
    );
    for m in &seen_by_stranger {
        match m {
            Msg::Hello { notebooks, .. } => assert!(notebooks.is_empty()),
            Msg::Welcome { accepted, .. } => assert!(accepted.is_empty()),
            Msg::Bye { .. } => {}
            other => panic!("the stranger was sent {other:?}"),
        }
    }
    assert!(
        g.net
            .closes
            .iter()
            .any(|(_, r)| r.contains("no notebook shared"))
    );
}

#[test]
fn a_member_unknown_to_an_older_index_is_verified_through_the_index_it_brings() {
    // 0 founds with devices 0 and 1; 1 syncs; then 0 adds device 2, which syncs from 0.
    let mut g = group(2);
    g.heal(3);
    g.edit_index(0, |index| {
        let m = index.add_member("newcomer", "", "", None, 2_000).unwrap();
        index
            .add_device(device(2), m, "laptop", None, 2_000)
            .unwrap();
    })
    .unwrap();
    for l in g.net.links.keys().copied().collect::<Vec<_>>() {
        g.net.drop_link(l);
    }
    let mut newcomer = replica(2);
    newcomer.joining.insert(g.nb, device(0));
    g.net.cores.push(stones_sync::core::Core::new(newcomer));
    g.net.bytes_in.push(0);
    g.net.connect(2, 0);
    g.net.run(|| 0);
    g.type_into_reflection(2);
    let links: Vec<u64> = g.net.links.keys().copied().collect();
    for l in links {
        g.net.drop_link(l);
    }
    // Device 1 (whose index predates the newcomer) dials the newcomer: it is heard out,
    // learns who it is from the index it brings, and then they sync everything.
    g.net.connect(1, 2);
    g.net.run(|| 0);
    assert!(g.net.connected(1, 2), "the connection stays once verified");
    let v = index_view(&g.net.cores[1].replica, g.nb).unwrap();
    assert!(v.devices.iter().any(|d| d.id == device(2)));
    let text = format!(
        "{:?}",
        SessionDoc::from_doc(
            g.net.cores[1]
                .replica
                .doc_mut(g.first_session)
                .unwrap()
                .clone()
        )
        .view()
    );
    assert!(
        text.contains(g.tokens.last().unwrap().as_str()),
        "the newcomer's edit reached device 1"
    );
    // And the newcomer dialling device 1 instead would have been refused by it.
    assert!(!g.net.cores[1].replica.docs.is_empty());
}

#[test]
fn a_dialled_stranger_gets_nothing_and_gives_nothing() {
    let mut g = group(2);
    g.heal(9);
    // A stranger holding some other notebook is dialled by device 1.
    let mut other = group(1);
    let stranger = other.net.cores.remove(0).replica;
    g.net.cores.push(stones_sync::core::Core::new(stranger));
    g.net.bytes_in.push(0);
    let before = g.net.cores[2].replica.docs.len();
    let ours = g.net.cores[1].replica.docs.len();
    let link = g.net.connect(1, 2);
    g.net.run(|| 0);
    assert!(!g.net.links.contains_key(&link), "the connection ended");
    assert_eq!(
        g.net.cores[2].replica.docs.len(),
        before,
        "the stranger received no document"
    );
    assert_eq!(
        g.net.cores[1].replica.docs.len(),
        ours,
        "device 1 took none of the stranger's"
    );
    assert!(index_view(&g.net.cores[2].replica, g.nb).is_none());
}

#[test]
fn removing_a_member_disconnects_their_device_at_once() {
    let mut g = group(3);
    g.heal(5);
    g.assert_converged();
    assert!(g.net.connected(0, 2));
    // Device 0 removes member 2; the index change reaches device 1 too.
    g.remove_member_of(0, 2);
    g.net.local_changed(0, &[g.index]);
    g.net.run(|| 0);
    assert!(
        !g.net.connected(0, 2),
        "device 0 dropped the removed device"
    );
    assert!(
        !g.net.connected(1, 2),
        "device 1 dropped it once the removal arrived"
    );
    let v = index_view(&g.net.cores[1].replica, g.nb).unwrap();
    assert!(v.members.iter().any(|m| m.left_at.is_some()));
    // Later edits by the others do not reach the removed device.
    g.type_into_reflection(0);
    g.net.connect(0, 2);
    g.net.run(|| 0);
    let text = format!(
        "{:?}",
        SessionDoc::from_doc(
            g.net.cores[2]
                .replica
                .doc_mut(g.first_session)
                .unwrap()
                .clone()
        )
        .view()
    );
    assert!(!text.contains(g.tokens.last().unwrap().as_str()));
}

#[test]
fn a_member_of_one_notebook_never_receives_a_byte_naming_another() {
    let mut g = group(2);
    // Device 0 also holds a second notebook that device 1 is not a member of.
    let other = group(1);
    let (other_nb, other_docs): (NotebookId, Vec<DocId>) = (
        other.nb,
        other.net.cores[0].replica.docs.keys().copied().collect(),
    );
    for (doc, (nb, kind, am)) in &other.net.cores[0].replica.docs {
        g.net.cores[0].replica.insert(*nb, *doc, *kind, am.clone());
    }
    let link = g.net.connect(1, 0);
    let mut to_member = Vec::new();
    loop {
        if let Some(f) = g.net.links.get(&link).and_then(|l| l.to_a.front()) {
            to_member.push(f.clone());
        }
        if !g.net.deliver(0) {
            break;
        }
    }
    assert!(!to_member.is_empty());
    for f in &to_member {
        assert!(
            !f.windows(16).any(|w| w == other_nb.0),
            "a frame named the other notebook"
        );
        for d in &other_docs {
            assert!(
                !f.windows(16).any(|w| w == d.0),
                "a frame named its document"
            );
        }
    }
    assert!(
        g.net.cores[1]
            .replica
            .docs
            .values()
            .all(|(nb, _, _)| *nb == g.nb)
    );
    assert!(g.net.cores[0].caught_up(stones_sync::core::ConnId(link)));
}

/// Through a chain of devices (0 — 1 — 2 — 3), with the removal and the edit written after it
/// reaching device 1 in one batch and devices 2 and 3 served first whenever they have
/// something to say, the edit never reaches the removed device 3. Eight rounds (random ids,
/// so the documents' order varies).
#[test]
fn what_was_written_after_a_removal_never_overtakes_it_on_the_way() {
    for round in 0..8 {
        let mut g = group(4);
        g.heal(round + 11);
        g.assert_converged();
        // A chain: 0 — 1 — 2 — 3, so what 0 writes reaches 3 only through 1 and 2.
        let chain = |a: usize, b: usize| matches!((a.min(b), a.max(b)), (0, 1) | (1, 2) | (2, 3));
        let off: Vec<u64> = g
            .net
            .links
            .iter()
            .filter(|(_, l)| !chain(l.a, l.b))
            .map(|(id, _)| *id)
            .collect();
        for id in off {
            g.net.drop_link(id);
        }
        // Device 0 removes member 3, then writes.
        g.remove_member_of(0, 3);
        g.net.cores[0].local_changed(&[g.index]);
        g.net.pump(0);
        g.type_into_reflection(0);
        let after = g.tokens.last().unwrap().clone();
        // Device 1 takes in everything device 0 sent as one batch.
        let from_0 = |net: &Net| net.queues().iter().position(|q| (q.1, q.2) == (0, 1));
        while let Some(i) = from_0(&g.net) {
            let (conn, _, frame) = g.net.take_frame(i).unwrap();
            g.net.cores[1].received(conn, &frame);
        }
        g.net.pump(1);
        // The worst order: whatever devices 2 and 3 say to each other is delivered at once.
        while g.net.pending() > 0 {
            let pick = (g.net.queues().iter())
                .position(|q| matches!((q.1, q.2), (2, 3) | (3, 2)))
                .unwrap_or(0);
            g.net.deliver(pick);
        }
        let held = g.net.cores[3]
            .replica
            .doc_mut(g.first_session)
            .unwrap()
            .clone();
        let text = format!("{:?}", SessionDoc::from_doc(held).view());
        assert!(
            !text.contains(&after),
            "round {round}: the removed device got {after}"
        );
    }
}

/// A peer's change can be shown before this device's own write: `take_doc_updates` hands
/// the `DocUpdated` event out as soon as the change is merged in memory, and the later
/// `take_output` (which writes first) does not repeat it.
#[test]
fn a_peer_change_is_announced_before_the_write_and_only_once() {
    let mut g = group(2);
    g.heal(3);
    g.assert_converged();
    let before = g.net.events.len();
    let mut early = Vec::new();
    let session = g.first_session;
    let updated = |e: &SyncEvent| matches!(e, SyncEvent::DocUpdated { doc, .. } if *doc == session);
    // Device 0 edits; frames are delivered one by one, and device 1 is asked what it may
    // show as soon as each is taken in, before its outputs (and its write) are taken.
    let token_at = g.counter;
    g.type_into_reflection(0);
    assert!(g.counter > token_at, "device 0 typed");
    let mut guard = 0;
    while let Some((conn, dest, frame)) = g.net.take_frame(0) {
        guard += 1;
        assert!(guard < 10_000, "the network never went quiet");
        g.net.cores[dest].received(conn, &frame);
        if dest == 1 {
            early.extend(g.net.cores[1].take_doc_updates());
        }
        g.net.pump(dest);
    }
    assert_eq!(early.iter().filter(|e| updated(e)).count(), 1, "{early:?}");
    let repeated = g.net.events[before..]
        .iter()
        .any(|(d, e)| *d == 1 && updated(e));
    assert!(!repeated, "take_output announced it again");
}

#[test]
fn a_forged_index_change_is_refused_by_every_device_and_the_rest_still_syncs() {
    let mut g = group(3);
    g.heal(5);
    g.assert_converged();
    // Device 1, a member, writes an index change under device 0's author id (it cannot
    // sign as device 0): a new member "by member 0", with a stranger's device. Then it
    // types honestly.
    let am = g.net.cores[1].replica.doc_mut(g.index).unwrap();
    let mut index = IndexDoc::from_doc(am.fork());
    index.doc_mut().set_actor(device(0).actor(0));
    let mallory = index.add_member("Mallory", "", "", None, 3_000).unwrap();
    index
        .add_device(device(9), mallory, "laptop", None, 3_000)
        .unwrap();
    let mut forged = index.doc().clone();
    forged.commit();
    let forged_hash = forged.get_heads()[0];
    am.merge(&mut forged).unwrap();
    g.net.local_changed(1, &[g.index]);
    g.type_into_reflection(1);
    g.net.run(|| 0);

    for receiver in [0, 2] {
        let r = &mut g.net.cores[receiver].replica;
        let held = r.doc_mut(g.index).unwrap();
        assert!(
            held.get_change_meta_by_hash(&forged_hash).is_none(),
            "device {receiver} took the forged change"
        );
        let view = index_view(r, g.nb).unwrap();
        assert!(
            !stones_sync::access::is_active_device(&view, device(9)),
            "device {receiver} lets the forged device in"
        );
        assert!(view.members.iter().all(|m| m.name != "Mallory"));
        let refused = g.net.events.iter().any(|(d, e)| {
            *d == receiver
                && matches!(e, SyncEvent::ChangesRefused { peer, reason, .. }
                    if *peer == device(1) && reason.contains("signature"))
        });
        assert!(
            refused,
            "device {receiver} did not say it refused the forgery"
        );
    }
    // The forger was told why, by each device it sent the forgery to.
    let told: Vec<stones_doc::DeviceId> = g
        .net
        .events
        .iter()
        .filter_map(|(d, e)| match e {
            SyncEvent::RefusedByPeer { peer, reason, .. }
                if *d == 1 && reason.contains("signature") =>
            {
                Some(*peer)
            }
            _ => None,
        })
        .collect();
    assert!(
        told.contains(&device(0)) && told.contains(&device(2)),
        "{told:?}"
    );
    // Everyone stays connected, and the rest of what device 1 sent arrived everywhere.
    assert!(g.net.connected(0, 2) && g.net.connected(1, 2) && g.net.connected(0, 1));
    let token = g.tokens.last().unwrap().clone();
    for receiver in [0, 2] {
        let am = g.net.cores[receiver]
            .replica
            .doc_mut(g.first_session)
            .unwrap();
        let text = format!("{:?}", SessionDoc::from_doc(am.clone()).view());
        assert!(text.contains(&token), "device {receiver} lacks the typing");
    }
    // The honest devices agree on the index.
    let heads = |g: &mut Group, d: usize| {
        let mut h = g.net.cores[d].replica.doc_mut(g.index).unwrap().get_heads();
        h.sort();
        h
    };
    assert_eq!(heads(&mut g, 0), heads(&mut g, 2));
}

/// A removal that lands between our hello and the peer's welcome still holds: the welcome
/// is judged by the index as it is when it arrives (without the recheck, device 0 opened
/// the notebook to the device it had just removed and sent it the session).
#[test]
fn a_removal_between_hello_and_welcome_is_not_overtaken() {
    let mut g = group(3);
    g.heal(3);
    for l in g.net.links.keys().copied().collect::<Vec<_>>() {
        g.net.drop_link(l);
    }
    g.type_into_reflection(0);
    let written = g.tokens.last().unwrap().clone();
    g.net.connect(0, 2); // hellos in flight both ways
    // Device 0 hears device 2's hello (and welcomes it) before it removes member 2.
    let from_2 = g
        .net
        .queues()
        .iter()
        .position(|q| (q.1, q.2) == (2, 0))
        .unwrap();
    assert!(g.net.deliver(from_2));
    g.remove_member_of(0, 2);
    g.net.local_changed(0, &[g.index]);
    g.net.run(|| 0);
    let text = match g.net.cores[2].replica.doc_mut(g.first_session) {
        Some(am) => format!("{:?}", SessionDoc::from_doc(am.clone()).view()),
        None => String::new(),
    };
    assert!(!text.contains(&written), "the removed device got {written}");
    assert!(!g.net.connected(0, 2));
}
