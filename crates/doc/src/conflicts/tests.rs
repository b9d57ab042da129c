#![allow(clippy::unwrap_used)]

use super::*;
use crate::ids::DeviceId;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc};

fn device(n: u8) -> DeviceId {
    DeviceId([n; 32])
}

/// Two devices, offline, each set a title, create the same map and write the same text.
fn two_offline_devices() -> (AutoCommit, AutoCommit) {
    let mut a = crate::new_doc().with_actor(device(1).actor(0));
    a.put(ROOT, "title", "Start").unwrap();
    a.commit();
    let mut b = a.fork().with_actor(device(2).actor(0));
    a.put(ROOT, "title", "From A").unwrap();
    b.put(ROOT, "title", "From B").unwrap();
    let ma = a.put_object(ROOT, "present", ObjType::Map).unwrap();
    a.put(&ma, "ana", true).unwrap();
    let mb = b.put_object(ROOT, "present", ObjType::Map).unwrap();
    b.put(&mb, "ben", true).unwrap();
    b.put(&mb, "cy", false).unwrap();
    let ta = a.put_object(ROOT, "question", ObjType::Text).unwrap();
    a.splice_text(&ta, 0, 0, "How are you?").unwrap();
    let tb = b.put_object(ROOT, "question", ObjType::Text).unwrap();
    b.splice_text(&tb, 0, 0, "What brought you?").unwrap();
    a.commit();
    b.commit();
    a.merge(&mut b).unwrap();
    b.merge(&mut a).unwrap();
    (a, b)
}

fn at<'a>(found: &'a [Conflict], path: &str) -> &'a Conflict {
    found
        .iter()
        .find(|c| c.path.join("/") == path)
        .unwrap_or_else(|| panic!("no conflict at {path}: {found:?}"))
}

#[test]
fn every_concurrent_value_is_found_with_the_device_that_set_it() {
    let (a, _) = two_offline_devices();
    let found = find(&a);
    assert_eq!(found.len(), 3, "{found:?}");
    let title = at(&found, "title");
    let shown: Vec<&str> = title.values.iter().map(|v| v.shown.as_str()).collect();
    assert_eq!(
        shown[0],
        a.get(ROOT, "title").unwrap().unwrap().0.as_str().unwrap()
    );
    assert!(shown.contains(&"From A") && shown.contains(&"From B"));
    let devices: Vec<_> = title.values.iter().map(|v| v.device).collect();
    assert!(devices.contains(&Some(device(1))) && devices.contains(&Some(device(2))));
    let q = at(&found, "question");
    assert!(q.values.iter().any(|v| v.shown == "What brought you?"));
    assert!(
        at(&found, "present")
            .values
            .iter()
            .all(|v| v.object == Some(ObjType::Map))
    );
}

#[test]
fn a_pick_leaves_one_value_on_both_devices_and_rival_maps_are_merged_not_hidden() {
    let (mut a, mut b) = two_offline_devices();
    let title = at(&find(&a), "title").clone();
    let n = title
        .values
        .iter()
        .position(|v| v.shown == "From B")
        .unwrap()
        + 1;
    pick(&mut a, &["title".into()], n).unwrap();
    let q = at(&find(&a), "question").clone();
    let n = q
        .values
        .iter()
        .position(|v| v.shown == "How are you?")
        .unwrap()
        + 1;
    pick(&mut a, &["question".into()], n).unwrap();
    pick(&mut a, &["present".into()], 1).unwrap();
    a.commit();
    b.merge(&mut a).unwrap();
    for d in [&a, &b] {
        assert!(find(d).is_empty(), "{:?}", find(d));
        assert_eq!(
            d.get(ROOT, "title").unwrap().unwrap().0.as_str(),
            Some("From B")
        );
        let (_, t) = d.get(ROOT, "question").unwrap().unwrap();
        assert_eq!(d.text(&t).unwrap(), "How are you?");
        let (_, m) = d.get(ROOT, "present").unwrap().unwrap();
        let keys: Vec<String> = d.keys(&m).collect();
        assert_eq!(keys, ["ana", "ben", "cy"], "both devices' marks kept");
    }
}

#[test]
fn picking_a_value_that_is_not_there_is_refused_and_changes_nothing() {
    let (mut a, _) = two_offline_devices();
    let heads = a.get_heads();
    let err = pick(&mut a, &["title".into()], 3).unwrap_err().to_string();
    assert!(err.contains("pick one of 1 to 2"), "{err}");
    let err = pick(&mut a, &["nope".into()], 1).unwrap_err().to_string();
    assert!(
        err.contains("holds one value") || err.contains("no field"),
        "{err}"
    );
    assert_eq!(a.get_heads(), heads);
    assert_eq!(a.pending_ops(), 0);
}
