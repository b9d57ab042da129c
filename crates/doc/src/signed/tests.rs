//! Signing, checking and screening: forged and unsigned changes are refused with what
//! builds on them; honest ones, concurrent or later, are kept.

use super::*;
use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use std::collections::HashMap;

fn key(i: u8) -> [u8; 32] {
    [i; 32]
}

fn device(i: u8) -> DeviceId {
    DeviceId(SigningKey::from_bytes(&key(i)).verifying_key().to_bytes())
}

/// A document written by device `i`, one change per value.
fn doc_of(i: u8, values: &[&str]) -> AutoCommit {
    let mut am = crate::new_doc();
    am.set_actor(device(i).actor(0));
    for v in values {
        am.put(ROOT, *v, *v).unwrap();
        am.commit();
    }
    am
}

/// Signatures of every change in `am` by the key each actor names (the honest case), where
/// `keys` holds that device's secret.
fn signed_by(am: &mut AutoCommit, keys: &[u8]) -> HashMap<ChangeHash, Signature> {
    let by_device: HashMap<DeviceId, [u8; 32]> =
        keys.iter().map(|i| (device(*i), key(*i))).collect();
    metas_of(am)
        .into_iter()
        .filter_map(|m| {
            let secret = by_device.get(&DeviceId::from_actor(&m.actor)?)?;
            Some((m.hash, sign(secret, &m.hash)))
        })
        .collect()
}

#[test]
fn a_signature_checks_only_with_the_key_its_actor_names() {
    let mut am = doc_of(1, &["a"]);
    let c = am.get_last_local_change().unwrap();
    let good = sign(&key(1), &c.hash());
    assert_eq!(check(c.actor_id(), &c.hash(), Some(&good)), Ok(()));
    assert_eq!(check(c.actor_id(), &c.hash(), None), Err(Unsigned::Missing));
    let other = sign(&key(2), &c.hash());
    assert_eq!(
        check(c.actor_id(), &c.hash(), Some(&other)),
        Err(Unsigned::Forged)
    );
    let mut flipped = good;
    flipped[10] ^= 1;
    assert_eq!(
        check(c.actor_id(), &c.hash(), Some(&flipped)),
        Err(Unsigned::Forged)
    );
    let short = ActorId::from(vec![1u8, 2, 3]);
    assert_eq!(
        check(&short, &c.hash(), Some(&good)),
        Err(Unsigned::NoDevice)
    );
}

/// Device 2 writes a change under device 1's actor id (it cannot sign it as 1), then an
/// honest change of its own on top; device 3 writes concurrently and honestly.
fn forged_history() -> (AutoCommit, ChangeHash, ChangeHash, ChangeHash) {
    let mut base = doc_of(1, &["base"]);
    let mut forger = base.fork();
    forger.set_actor(device(1).actor(0));
    forger.put(ROOT, "forged", "yes").unwrap();
    forger.commit();
    let forged = forger.get_heads()[0];
    forger.set_actor(device(2).actor(0));
    forger.put(ROOT, "after", "yes").unwrap();
    forger.commit();
    let after = forger.get_heads()[0];
    let mut honest = base.fork();
    honest.set_actor(device(3).actor(0));
    honest.put(ROOT, "honest", "yes").unwrap();
    honest.commit();
    let honest_head = honest.get_heads()[0];
    forger.merge(&mut honest).unwrap();
    (forger, forged, after, honest_head)
}

#[test]
fn a_forged_change_and_what_builds_on_it_are_refused_the_rest_kept() {
    let (mut all, forged, after, honest) = forged_history();
    let mut sigs = signed_by(&mut all, &[2, 3]);
    // The forger signs its forgery with its own key: still not device 1's signature.
    sigs.insert(forged, sign(&key(2), &forged));
    let metas = metas_of(&mut all);
    let none = Refused::default();
    let refused = screen(
        &metas,
        |_| false,
        Rules::signed(false),
        |h| sigs.get(h).copied(),
        &none,
    )
    .refused;
    assert_eq!(
        refused.len(),
        4,
        "the unsigned base, and all that builds on it"
    );
    // With device 1's honest base signed too, only the forgery and what builds on it go.
    let base = all.get_changes(&[])[0].hash();
    sigs.insert(base, sign(&key(1), &base));
    let screened = screen(
        &metas,
        |_| false,
        Rules::signed(false),
        |h| sigs.get(h).copied(),
        &none,
    );
    assert_eq!(screened.accepted.len(), 2, "the base and the honest change");
    let refused = screened.refused;
    assert_eq!(refused.len(), 2);
    assert_eq!(refused.changes[&forged].1, Unsigned::Forged);
    assert_eq!(refused.changes[&after].1, Unsigned::BuildsOnRefused);
    assert!(!refused.changes.contains_key(&honest));
    assert!(!refused.changes.contains_key(&base));
    assert_eq!(refused.reason(), Some(&Unsigned::Forged));
}

#[test]
fn a_sync_message_keeps_the_honest_changes_and_claims_no_refused_head() {
    let (mut sender, forged, after, honest) = forged_history();
    let mut sigs = signed_by(&mut sender, &[1, 2, 3]);
    sigs.remove(&forged);
    let mut ours = crate::new_doc();
    let mut their_state = automerge::sync::State::new();
    let mut our_state = automerge::sync::State::new();
    let mut refused = Refused::default();
    let mut total = 0;
    // Run the protocol to quiescence: it must end (no asking again for a refused change).
    for round in 0..20 {
        let mut quiet = true;
        if let Some(mut m) = sender.sync().generate_sync_message(&mut their_state) {
            quiet = false;
            total += screen_sync_message(
                &mut ours,
                true,
                &mut m,
                |h| sigs.get(h).copied(),
                &mut refused,
            )
            .unwrap()
            .refused
            .len();
            assert!(m.heads.iter().all(|h| !refused.changes.contains_key(h)));
            ours.sync().receive_sync_message(&mut our_state, m).unwrap();
        }
        if let Some(m) = ours.sync().generate_sync_message(&mut our_state) {
            quiet = false;
            sender
                .sync()
                .receive_sync_message(&mut their_state, m)
                .unwrap();
        }
        if quiet {
            break;
        }
        assert!(round < 19, "the sync never went quiet");
    }
    assert_eq!(total, 2, "the forgery and the change built on it");
    assert!(refused.changes.contains_key(&after));
    assert!(ours.get_change_meta_by_hash(&honest).is_some());
    assert!(ours.get_change_meta_by_hash(&forged).is_none());
    assert!(ours.get(ROOT, "forged").unwrap().is_none());
    assert_eq!(
        ours.get(ROOT, "honest").unwrap().unwrap().0.as_str(),
        Some("yes")
    );
    // What we believe they hold is what we hold: caught up, as far as we accept.
    assert_eq!(our_state.their_heads.unwrap(), ours.get_heads());
}

#[test]
fn a_whole_document_keeps_only_what_is_signed() {
    let (mut sender, forged, after, honest) = forged_history();
    let mut sigs = signed_by(&mut sender, &[1, 2, 3]);
    sigs.remove(&forged);
    let mut incoming = crate::load_doc(&sender.save()).unwrap();
    let mut refused = Refused::default();
    let (now, heads) = screen_whole(
        None,
        true,
        &mut incoming,
        |h| sigs.get(h).copied(),
        &mut refused,
    )
    .unwrap();
    assert_eq!(now.refused.len(), 2);
    assert!(incoming.get_change_meta_by_hash(&forged).is_none());
    assert!(incoming.get_change_meta_by_hash(&after).is_none());
    assert_eq!(heads, incoming.get_heads());
    assert!(heads.contains(&honest));
    // All signed: taken as it is.
    let sigs = signed_by(&mut sender, &[1, 2, 3]);
    let mut again = crate::load_doc(&sender.save()).unwrap();
    let (now, heads) = screen_whole(
        None,
        true,
        &mut again,
        |h| sigs.get(h).copied(),
        &mut Refused::default(),
    )
    .unwrap();
    assert!(now.refused.is_empty());
    assert_eq!(now.accepted.len(), 4);
    assert_eq!(heads, sender.get_heads());
}

/// Every change of `am` as screening reads it (ops included).
fn read_all(am: &mut AutoCommit) -> Vec<ChangeMeta> {
    am.get_changes(&[])
        .iter()
        .map(|c| ChangeMeta::read(c, true))
        .collect()
}

#[test]
fn a_signed_change_that_overwrites_the_root_is_refused_a_new_key_is_not() {
    let mut am = doc_of(1, &["notebook_id"]);
    let base = am.get_heads();
    // Device 2, honestly signed, overwrites the notebook id; device 3 adds a new root key.
    let mut over = am.fork();
    over.set_actor(device(2).actor(0));
    over.put(ROOT, "notebook_id", "mine now").unwrap();
    over.commit();
    let mut added = am.fork();
    added.set_actor(device(3).actor(0));
    added
        .put_object(ROOT, "acts", automerge::ObjType::Map)
        .unwrap();
    added.commit();
    let mut deleted = am.fork();
    deleted.set_actor(device(3).actor(1));
    deleted.delete(ROOT, "notebook_id").unwrap();
    deleted.commit();
    am.merge(&mut over).unwrap();
    am.merge(&mut added).unwrap();
    am.merge(&mut deleted).unwrap();
    let sigs = signed_by(&mut am, &[1, 2, 3]);
    let metas = read_all(&mut am);
    let held = |h: &ChangeHash| base.contains(h);
    let s = screen(
        &metas,
        held,
        Rules::signed(true),
        |h| sigs.get(h).copied(),
        &Refused::default(),
    );
    let why: Vec<&Unsigned> = s.refused.changes.values().map(|(_, w)| w).collect();
    assert_eq!(why, vec![&Unsigned::OverwritesRoot; 2], "{s:?}");
    assert_eq!(s.accepted.len(), 1, "adding a missing root map is allowed");
}

#[test]
fn a_second_history_of_the_document_is_refused() {
    let mut am = doc_of(1, &["a"]);
    let base = am.get_heads();
    let mut other = doc_of(2, &["b"]); // a first change of its own: no dependencies
    am.merge(&mut other).unwrap();
    let sigs = signed_by(&mut am, &[1, 2]);
    let metas = read_all(&mut am);
    let s = screen(
        &metas,
        |h| base.contains(h),
        Rules::signed(true),
        |h| sigs.get(h).copied(),
        &Refused::default(),
    );
    assert_eq!(s.refused.len(), 1);
    assert_eq!(s.refused.reason(), Some(&Unsigned::SecondRoot));
    // Arriving together at a device new to the document: both roots go.
    let s = screen(
        &metas,
        |_| false,
        Rules::signed(false),
        |h| sigs.get(h).copied(),
        &Refused::default(),
    );
    assert_eq!(s.refused.len(), 2);
}
