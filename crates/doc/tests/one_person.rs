//! One person, one member: names are required, short enough to show, and unlike every other
//! member's (case and accents aside); an invite made for a member admits a device as theirs;
//! two entries already in a notebook for one person merge, and from then on her turns,
//! attendance, devices and voices count for one person under one name.
#![allow(clippy::unwrap_used)]

use stones_doc::index::Newcomer;
use stones_doc::voices::{raw_tally, voices};
use stones_doc::{
    DeviceId, DocError, EntryId, IndexDoc, NewSession, NotebookId, Scope, SessionDoc, SessionKind,
    TurnChoice,
};

fn notebook() -> (IndexDoc, stones_doc::MemberId) {
    let device = DeviceId([1; 32]);
    let mut index = IndexDoc::create(NotebookId::random(), "G", "", device.actor(0), 0).unwrap();
    let ada = index.found("Ada", "NHS", "", device, 0).unwrap();
    index.doc_mut().commit();
    (index, ada)
}

#[test]
fn a_name_the_group_has_already_is_refused_with_the_way_out() {
    let (mut index, ada) = notebook();
    index
        .add_member("Zoë Price", "council", "", Some(ada), 1)
        .unwrap();
    for same in ["zoë price", "ZOE PRICE", "  Zoe Price "] {
        let err = index
            .add_member(same, "charity", "", Some(ada), 2)
            .unwrap_err();
        assert!(
            matches!(&err, DocError::NameTaken { name, has_device: false } if name == "Zoë Price"),
            "{err}"
        );
        let words = err.to_string();
        assert!(words.starts_with("name: "), "names the field: {words}");
        assert!(words.contains("invite --for"), "says the way out: {words}");
    }
    let err = index.add_member("  ", "", "", Some(ada), 3).unwrap_err();
    assert!(err.to_string().contains("name: "), "{err}");
    let long = "n".repeat(1_000);
    let err = index.add_member(&long, "", "", Some(ada), 3).unwrap_err();
    assert!(err.to_string().contains("1000 characters"), "{err}");
    // Renaming into another's name is refused too; keeping one's own name is not.
    let err = index
        .update_member(ada, Some("zoe price"), None, None)
        .unwrap_err();
    assert!(matches!(err, DocError::NameTaken { .. }), "{err}");
    index.update_member(ada, Some("Ada"), None, None).unwrap();
    assert_eq!(index.view().members.len(), 2, "nothing was added");
}

#[test]
fn an_invite_for_a_member_makes_the_joining_device_theirs() {
    let (mut index, ada) = notebook();
    let zoe = index
        .add_member("Zoë", "council", "", Some(ada), 1)
        .unwrap();
    let invite = EntryId::random();
    index
        .add_invite(invite, b"h", ada, i64::MAX, 1, Some(zoe), 2)
        .unwrap();
    let device = DeviceId([7; 32]);
    index
        .admit_device(invite, zoe, device, Some(ada), 3)
        .unwrap();
    index.doc_mut().commit();
    let v = index.view();
    assert_eq!(v.members.len(), 2, "no second Zoë");
    assert_eq!(v.member_of_device(device), Some(zoe));
    assert_eq!(
        v.membership.devices.get(&device),
        Some(&zoe),
        "{:?}",
        v.membership
    );
    assert_eq!(v.invites[0].for_member, Some(zoe));
    // A second invite for her now that she has a device is refused.
    let err = index
        .add_invite(EntryId::random(), b"h", ada, i64::MAX, 1, Some(zoe), 4)
        .unwrap_err();
    assert!(err.to_string().contains("already has a device"), "{err}");
}

#[test]
fn two_entries_for_one_person_merge_and_count_as_one() {
    let (mut index, ada) = notebook();
    let zoe = index
        .add_member("Zoë", "council", "", Some(ada), 1)
        .unwrap();
    // A second entry made before names were checked (an older version): written by hand.
    let invite = EntryId::random();
    index
        .add_invite(invite, b"h", ada, i64::MAX, 1, None, 2)
        .unwrap();
    let twin = index
        .admit(
            invite,
            Newcomer {
                name: "Zoë (laptop)",
                sector: "council",
                device: DeviceId([5; 32]),
            },
            Some(ada),
            3,
        )
        .unwrap();
    let ns = NewSession {
        date: "2026-03-03".parse().unwrap(),
        kind: SessionKind::Weekly,
        title: String::new(),
        convener: Some(twin),
    };
    let (s, _) = index.add_session(&ns, Some(ada), 4).unwrap();
    index.set_attendance(s, &[zoe, twin], true).unwrap();
    let mut session = SessionDoc::create(s, "How are you?", DeviceId([1; 32]).actor(0), 4).unwrap();
    let spoke = |t: &str| TurnChoice::Spoke {
        text: t.into(),
        scope: Scope::Group,
    };
    session
        .record_turn(zoe, &spoke("one two"), None, 5)
        .unwrap();
    session.record_turn(twin, &spoke("three"), None, 6).unwrap();

    let err = index.merge_members(zoe, zoe).unwrap_err();
    assert!(err.to_string().contains("themselves"), "{err}");
    index.merge_members(twin, zoe).unwrap();
    let err = index.merge_members(twin, ada).unwrap_err();
    assert!(err.to_string().contains("merged already"), "{err}");

    let v = index.view();
    assert_eq!(
        v.members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["Ada", "Zoë"],
        "one entry for her"
    );
    assert_eq!(v.name_of(Some(twin)), "Zoë");
    assert_eq!(v.member_of_device(DeviceId([5; 32])), Some(zoe));
    let entry = v.session(s).unwrap();
    assert_eq!(entry.present, [zoe], "present once");
    assert_eq!(entry.convener, Some(zoe));
    let tally = raw_tally(session.doc(), &session.view()).attribute(|_| None);
    let counted = voices(&v, &[(entry, Some(tally))]);
    let her = counted.members.iter().find(|m| m.member == zoe).unwrap();
    assert_eq!((her.counts.turns, her.counts.turn_words), (2, 3));
    assert_eq!(her.counts.sessions_present, 1);
    assert!(counted.members.iter().all(|m| m.member != twin));
}
