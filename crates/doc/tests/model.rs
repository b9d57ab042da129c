//! The notebook model: edits and views, text by code point, conflicts, history, validation.
#![allow(clippy::unwrap_used)]

use stones_doc::automerge::transaction::Transactable;
use stones_doc::automerge::{ActorId, ObjType, ROOT, ReadDoc};
use stones_doc::{
    DeviceId, EntryId, IndexDoc, MemberId, NewSession, NotebookId, QuestionStatus, Scope,
    SessionDoc, SessionKind, TextField, TurnChoice, conflicts, history, load_doc, splice_field,
};

fn actor(n: u8) -> ActorId {
    DeviceId([n; 32]).actor(0)
}

#[test]
fn splices_count_code_points_not_bytes() {
    let mut s = SessionDoc::create(EntryId::random(), "", actor(1), 0).unwrap();
    let r = s
        .add_reflection("R", "café ☕ naïve", Scope::Export, None, 1)
        .unwrap();
    // After "café ☕ " (7 code points, 11 bytes) insert; then replace the "ï" (code point 14).
    splice_field(s.doc_mut(), TextField::Reflection(r), 7, 0, "très ").unwrap();
    splice_field(s.doc_mut(), TextField::Reflection(r), 14, 1, "i").unwrap();
    assert_eq!(s.view().reflections[0].body, "café ☕ très naive");
    let err = splice_field(s.doc_mut(), TextField::Reflection(r), 99, 0, "x").unwrap_err();
    assert!(err.to_string().contains("past the end"), "{err}");
}

#[test]
fn off_the_record_keeps_only_that_and_turns_default_to_group() {
    let mut s =
        SessionDoc::create(EntryId::random(), "What weather are you?", actor(1), 0).unwrap();
    let (a, b, c) = (MemberId::random(), MemberId::random(), MemberId::random());
    s.record_turn(c, &TurnChoice::OffTheRecord, None, 1)
        .unwrap();
    let off = s.view().turns.into_iter().find(|t| t.member == c).unwrap();
    assert!(off.off_record && !off.passed);
    assert_eq!((off.text.as_str(), off.scope), ("", Scope::Group));
    s.record_turn(
        a,
        &TurnChoice::Spoke {
            text: "Sunny".into(),
            scope: Scope::Group,
        },
        None,
        2,
    )
    .unwrap();
    s.record_turn(b, &TurnChoice::Passed, None, 3).unwrap();
    let mut v = s.view();
    v.turns.retain(|t| t.member != c);
    assert_eq!(v.turns.len(), 2);
    assert_eq!(
        (
            v.turns[0].member,
            v.turns[0].text.as_str(),
            v.turns[0].scope
        ),
        (a, "Sunny", Scope::Group)
    );
    assert!(v.turns[1].passed);
}

#[test]
fn retellings_stand_beside_the_story() {
    let mut s = SessionDoc::create(EntryId::random(), "", actor(1), 0).unwrap();
    let (teller, other) = (MemberId::random(), MemberId::random());
    let st = s
        .add_story(
            teller,
            "Bus stop",
            "We waited.",
            Scope::Export,
            Some(teller),
            1,
        )
        .unwrap();
    s.add_retelling(
        st,
        other,
        "the resident",
        "I waited longest.",
        Some(other),
        2,
    )
    .unwrap();
    s.add_retelling(
        st,
        teller,
        "the driver",
        "The road was shut.",
        Some(teller),
        3,
    )
    .unwrap();
    let v = s.view();
    assert_eq!(v.stories[0].text, "We waited.");
    let angles: Vec<&str> = v.stories[0]
        .retellings
        .iter()
        .map(|r| r.angle.as_str())
        .collect();
    assert_eq!(angles, ["the resident", "the driver"]);
    assert!(
        s.add_retelling(EntryId::random(), other, "x", "y", None, 4)
            .is_err()
    );
}

#[test]
fn questions_keep_status_and_a_dated_trail() {
    let mut idx = IndexDoc::create(NotebookId::random(), "G", "", actor(1), 0).unwrap();
    let m = idx.add_member("Ana", "NHS", "", None, 0).unwrap();
    let q = idx
        .add_question("How do we practise togetherness?", Some(m), None, 10)
        .unwrap();
    idx.add_question_note(q, "came up again", Some(m), None, None, 30)
        .unwrap();
    idx.set_question_status(q, QuestionStatus::Answered, Some(m), None, 20)
        .unwrap();
    let v = idx.view();
    let q = &v.questions[0];
    assert_eq!(q.status, QuestionStatus::Answered);
    let ats: Vec<i64> = q.trail.iter().map(|n| n.at).collect();
    assert_eq!(ats, [20, 30], "trail in `at` order");
    assert_eq!(q.trail[0].status, Some(QuestionStatus::Answered));
}

#[test]
fn concurrent_scalar_edits_are_all_visible_as_conflicts() {
    let mut a = IndexDoc::create(NotebookId::random(), "G", "", actor(1), 0).unwrap();
    let (s, _) = a
        .add_session(
            &NewSession {
                date: "2026-01-01".parse().unwrap(),
                kind: SessionKind::Weekly,
                title: "Start".into(),
                convener: None,
            },
            None,
            0,
        )
        .unwrap();
    a.doc_mut().commit();
    let mut b = IndexDoc::from_doc(a.doc_mut().fork().with_actor(actor(2)));
    let update = |title: &str| NewSession {
        date: "2026-01-01".parse().unwrap(),
        kind: SessionKind::Weekly,
        title: title.into(),
        convener: None,
    };
    a.update_session(s, &update("From A")).unwrap();
    b.update_session(s, &update("From B")).unwrap();
    a.doc_mut().merge(b.doc_mut()).unwrap();
    let path = ["sessions", &s.to_hex(), "title"];
    let values = conflicts::values_at(a.doc(), &path).unwrap();
    assert_eq!(values.len(), 2, "{values:?}");
    assert_eq!(
        values[0],
        a.view().session(s).unwrap().title,
        "the winner comes first"
    );
    assert!(values.contains(&"From A".to_string()) && values.contains(&"From B".to_string()));
}

#[test]
fn history_names_devices_and_reads_the_past() {
    let mut s = SessionDoc::create(EntryId::random(), "", actor(7), 0).unwrap();
    s.doc_mut()
        .commit_with(stones_doc::automerge::transaction::CommitOptions::default().with_time(100));
    s.add_reflection("Early", "", Scope::Export, None, 0)
        .unwrap();
    s.doc_mut().commit_with(
        stones_doc::automerge::transaction::CommitOptions::default()
            .with_time(200)
            .with_message("later"),
    );
    let h = history::history(s.doc_mut());
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].device, Some(DeviceId([7; 32])));
    assert_eq!(h[1].message.as_deref(), Some("later"));
    // Changes record seconds; history speaks milliseconds.
    assert_eq!((h[0].time_ms, h[1].time_ms), (100_000, 200_000));
    let past = history::as_of(s.doc_mut(), 150_000).unwrap();
    assert!(stones_doc::session::read_view(&past).reflections.is_empty());
    assert_eq!(s.view().reflections.len(), 1);
}

#[test]
fn foreign_shapes_are_reported_and_skipped_never_a_panic() {
    let mut idx = IndexDoc::create(NotebookId::random(), "G", "", actor(1), 0).unwrap();
    let good = idx.add_member("Ana", "NHS", "", None, 0).unwrap();
    let doc = idx.doc_mut();
    let members = doc.get(ROOT, "members").unwrap().unwrap().1;
    doc.put(&members, "not-hex", "a string where a map belongs")
        .unwrap();
    let nameless = doc
        .put_object(&members, MemberId::random().to_hex(), ObjType::Map)
        .unwrap();
    doc.put(&nameless, "sector", 42).unwrap();
    doc.put(ROOT, "sessions", "oops").unwrap();
    doc.put(ROOT, "future_field", "kept").unwrap();
    let v = idx.view();
    assert_eq!(v.members.iter().map(|m| m.id).collect::<Vec<_>>(), [good]);
    assert!(v.problems.0.len() >= 3, "{:?}", v.problems);
    assert!(v.problems.to_string().contains("sessions"));
    // Unknown fields survive a save and load, and a newer schema is noted, not refused.
    let doc = idx.doc_mut();
    doc.put(ROOT, "schema", "stones/notebook/2").unwrap();
    let mut back = load_doc(&doc.save()).unwrap();
    let back_view = IndexDoc::from_doc(back.fork()).view();
    assert_eq!(back_view.newer_schema, Some(2));
    assert!(back.get(ROOT, "future_field").unwrap().is_some());
    // Garbage bytes are an error, not a panic.
    assert!(load_doc(b"\x85\x6f\x4a\x83garbage").is_err());
    assert!(stones_doc::check_chunk(&back.save()).is_ok());
    assert!(stones_doc::check_chunk(b"\x85\x6f\x4a\x83\0\0\0\0\x01\x7f").is_err());
}

#[test]
fn a_change_whose_words_were_damaged_on_disk_is_refused_not_loaded_as_other_words() {
    use stones_doc::automerge::{ObjType, transaction::Transactable};
    let mut doc = stones_doc::new_doc();
    let text = doc.put_object(ROOT, "t", ObjType::Text).unwrap();
    doc.splice_text(&text, 0, 0, "we heard the council")
        .unwrap();
    doc.commit();
    let change = doc.save_incremental();
    assert!(stones_doc::check_chunk(&change).is_ok());
    let at = change
        .windows(7)
        .position(|w| w == b"council")
        .expect("a short text is stored as typed");
    let mut damaged = change.clone();
    damaged[at] ^= 0x20; // "Council": still valid UTF-8, still parses
    let err = stones_doc::check_chunk(&damaged).unwrap_err().to_string();
    assert!(err.contains("checksum"), "{err}");
    // A document chunk too.
    let mut saved = doc.save();
    let at = saved.windows(7).position(|w| w == b"council");
    if let Some(at) = at {
        saved[at] ^= 0x20;
        assert!(stones_doc::check_chunk(&saved).is_err());
    }
}

#[test]
fn two_devices_recording_one_members_first_turn_at_once_keep_both_turns() {
    use stones_doc::{MemberId, TurnChoice};
    let member = MemberId::random();
    let mut a = SessionDoc::create(EntryId::random(), "How are you?", actor(1), 0).unwrap();
    a.doc_mut().commit();
    let mut b = SessionDoc::from_doc(a.doc_mut().fork().with_actor(actor(2)));
    let spoke = |text: &str| TurnChoice::Spoke {
        text: text.into(),
        scope: Scope::Group,
    };
    a.record_turn(member, &spoke("Tired, but here"), None, 10)
        .unwrap();
    b.record_turn(member, &spoke("Glad to be in the room"), None, 11)
        .unwrap();
    a.doc_mut().merge(b.doc_mut()).unwrap();
    let texts: Vec<String> = a.view().turns.iter().map(|t| t.text.clone()).collect();
    assert_eq!(texts.len(), 2, "no turn is hidden: {texts:?}");
    assert!(texts.contains(&"Tired, but here".to_string()));
    assert!(texts.contains(&"Glad to be in the room".to_string()));
    assert!(a.view().turns.iter().all(|t| t.member == member));
}
