//! Practice features in the model: attendance kept apart from rival maps, corrections of a
//! session header that do not write other fields back, convener rotation.
#![allow(clippy::unwrap_used)]

use stones_doc::automerge::transaction::Transactable;
use stones_doc::automerge::{ActorId, ROOT};
use stones_doc::{DeviceId, IndexDoc, MemberId, NewSession, NotebookId, SessionKind, rotation};

fn actor(n: u8) -> ActorId {
    DeviceId([n; 32]).actor(0)
}

fn header(date: &str, title: &str) -> NewSession {
    NewSession {
        date: date.parse().unwrap(),
        kind: SessionKind::Weekly,
        title: title.into(),
        convener: None,
    }
}

fn fork(doc: &mut IndexDoc, n: u8) -> IndexDoc {
    IndexDoc::from_doc(doc.doc_mut().fork().with_actor(actor(n)))
}

#[test]
fn two_devices_correcting_different_header_fields_keep_both_corrections() {
    let mut a = IndexDoc::create(NotebookId::random(), "G", "", actor(1), 0).unwrap();
    let (s, _) = a
        .add_session(&header("2026-01-06", "Old"), None, 1)
        .unwrap();
    a.doc_mut().commit();
    let mut b = fork(&mut a, 2);
    a.update_session(s, &header("2026-01-06", "New title"))
        .unwrap();
    b.update_session(s, &header("2026-01-07", "Old")).unwrap();
    a.doc_mut().merge(b.doc_mut()).unwrap();
    let v = a.view();
    let e = v.session(s).unwrap();
    assert_eq!(
        (e.title.as_str(), e.date.to_string()),
        ("New title", "2026-01-07".into())
    );
}

#[test]
fn attendance_marked_in_rival_maps_on_two_devices_is_all_kept() {
    let mut a = IndexDoc::create(NotebookId::random(), "G", "", actor(1), 0).unwrap();
    let (s, _) = a.add_session(&header("2026-01-06", ""), None, 1).unwrap();
    // An older session entry without a `present` map (made before attendance existed).
    let entry = {
        let v = a.view();
        v.session(s).unwrap().id.to_hex()
    };
    let sessions = stones_doc::am::get_obj(
        a.doc(),
        &ROOT,
        "sessions",
        stones_doc::automerge::ObjType::Map,
    )
    .unwrap();
    let obj = stones_doc::am::get_obj(
        a.doc(),
        &sessions,
        &entry,
        stones_doc::automerge::ObjType::Map,
    )
    .unwrap();
    a.doc_mut().delete(&obj, "present").unwrap();
    a.doc_mut().commit();
    let mut b = fork(&mut a, 2);
    let (ann, ben) = (MemberId::random(), MemberId::random());
    a.set_attendance(s, &[ann], true).unwrap();
    b.set_attendance(s, &[ben], true).unwrap();
    a.doc_mut().merge(b.doc_mut()).unwrap();
    let mut present = a.view().session(s).unwrap().present.clone();
    present.sort();
    let mut want = vec![ann, ben];
    want.sort();
    assert_eq!(present, want, "neither device's marks are hidden");
    a.set_attendance(s, &[ben], false).unwrap();
    let v = a.view();
    assert_eq!(v.session(s).unwrap().present, [ann]);
    assert_eq!(v.session(s).unwrap().absent, [ben]);
}

#[test]
fn the_next_convener_never_convened_or_convened_longest_ago() {
    let mut a = IndexDoc::create(NotebookId::random(), "G", "", actor(1), 0).unwrap();
    let ann = a.found("Ann", "", "", DeviceId([1; 32]), 1).unwrap();
    let ben = a.add_member("Ben", "", "", Some(ann), 2).unwrap();
    let cat = a.add_member("Cat", "", "", Some(ann), 3).unwrap();
    for (date, who) in [
        ("2026-01-06", ann),
        ("2026-01-13", ben),
        ("2026-01-20", ann),
    ] {
        let mut h = header(date, "");
        h.convener = Some(who);
        a.add_session(&h, Some(ann), 4).unwrap();
    }
    assert_eq!(rotation::next_convener(&a.view()), Some((cat, None)));
    a.remove_member(cat, 5).unwrap();
    let next = rotation::next_convener(&a.view()).unwrap();
    assert_eq!(
        (next.0, next.1.map(|d| d.to_string())),
        (ben, Some("2026-01-13".into()))
    );
    assert_eq!(rotation::conveners(&a.view()).len(), 3);
}
