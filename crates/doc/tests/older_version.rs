//! A device on the previous version meets this one. The previous version kept the check-in
//! question and a recorded turn as Text objects and replaced them by a character diff
//! (`update_text`); those writes are made here by hand, as it made them. This version reads
//! them and sets over them as whole values. Two sets made apart, one by each version: on a
//! field this version wrote (a string), both values stand whole side by side as a conflict,
//! which picking resolves to one string; on a field only the old version ever wrote (still
//! its Text), this version's value is read and the old device's edit inside the replaced
//! Text is kept only in history — never a mix either way (ARCHITECTURE.md says so).
#![allow(clippy::unwrap_used)]

use stones_doc::automerge::transaction::Transactable;
use stones_doc::automerge::{AutoCommit, ObjType, ROOT, ReadDoc};
use stones_doc::conflicts;
use stones_doc::{DeviceId, MemberId, Scope, SessionDoc, TurnChoice, am};

/// What the previous version did to set the check-in question.
fn old_set_question(doc: &mut AutoCommit, question: &str) {
    let checkin = am::get_obj(doc, &ROOT, "checkin", ObjType::Map).unwrap();
    match am::get_obj(doc, &checkin, "question", ObjType::Text) {
        Some(t) => doc.update_text(&t, question).unwrap(),
        None => {
            am::put_text(doc, &checkin, "question", question).unwrap();
        }
    }
}

/// A session document as the previous version created it (the question a Text object).
fn old_session() -> SessionDoc {
    let mut doc = stones_doc::new_doc().with_actor(DeviceId([9; 32]).actor(0));
    doc.put(ROOT, "schema", "stones/session/1").unwrap();
    let checkin = doc.put_object(ROOT, "checkin", ObjType::Map).unwrap();
    am::put_text(&mut doc, &checkin, "question", "What weather are you?").unwrap();
    doc.put_object(&checkin, "turns", ObjType::Map).unwrap();
    am::put_text(&mut doc, &ROOT, "notes", "").unwrap();
    doc.commit();
    SessionDoc::from_doc(doc)
}

#[test]
fn an_old_document_reads_and_takes_a_whole_value_over_its_text() {
    let mut s = old_session();
    assert_eq!(s.view().checkin_question, "What weather are you?");
    s.set_checkin_question("What carries you?").unwrap();
    s.doc_mut().commit();
    assert_eq!(s.view().checkin_question, "What carries you?");
    assert!(conflicts::find(s.doc()).is_empty());
}

#[test]
fn on_an_old_text_the_new_whole_value_is_read_never_a_mix() {
    let mut new = old_session();
    let mut old = SessionDoc::from_doc(new.doc_mut().fork().with_actor(DeviceId([2; 32]).actor(0)));
    new.set_checkin_question("What gave you energy this week?")
        .unwrap();
    new.doc_mut().commit();
    old_set_question(old.doc_mut(), "Which moment stayed with you?");
    old.doc_mut().commit();
    new.doc_mut().merge(old.doc_mut()).unwrap();
    old.doc_mut().merge(new.doc_mut()).unwrap();
    for d in [&new, &old] {
        assert_eq!(d.view().checkin_question, "What gave you energy this week?");
    }
}

#[test]
fn an_old_and_a_new_device_setting_the_question_apart_leave_two_whole_values() {
    let mut new = old_session();
    // This version set the question once, and the old device has it: a string now.
    new.set_checkin_question("How are you arriving?").unwrap();
    new.doc_mut().commit();
    let mut old = SessionDoc::from_doc(new.doc_mut().fork().with_actor(DeviceId([2; 32]).actor(0)));
    new.set_checkin_question("What gave you energy this week?")
        .unwrap();
    new.doc_mut().commit();
    old_set_question(old.doc_mut(), "Which moment stayed with you?");
    old.doc_mut().commit();
    new.doc_mut().merge(old.doc_mut()).unwrap();
    old.doc_mut().merge(new.doc_mut()).unwrap();

    for d in [&new, &old] {
        let q = d.view().checkin_question;
        assert!(
            q == "What gave you energy this week?" || q == "Which moment stayed with you?",
            "never a mix: {q:?}"
        );
        let found = conflicts::find(d.doc());
        let c = found
            .iter()
            .find(|c| c.path == ["checkin", "question"])
            .expect("the two values are listed");
        let mut shown: Vec<&str> = c.values.iter().map(|v| v.shown.as_str()).collect();
        shown.sort();
        assert_eq!(
            shown,
            [
                "What gave you energy this week?",
                "Which moment stayed with you?"
            ]
        );
    }
    // Keeping the old device's value writes it as one string: one value, everywhere.
    let keep = conflicts::find(new.doc())
        .into_iter()
        .find(|c| c.path == ["checkin", "question"])
        .unwrap()
        .values
        .iter()
        .position(|v| v.shown == "Which moment stayed with you?")
        .unwrap();
    let path = ["checkin".to_string(), "question".to_string()];
    conflicts::pick(new.doc_mut(), &path, keep + 1).unwrap();
    new.doc_mut().commit();
    old.doc_mut().merge(new.doc_mut()).unwrap();
    for d in [&new, &old] {
        assert_eq!(d.view().checkin_question, "Which moment stayed with you?");
        assert!(conflicts::find(d.doc()).is_empty());
        let checkin = am::get_obj(d.doc(), &ROOT, "checkin", ObjType::Map).unwrap();
        let (v, _) = d.doc().get(&checkin, "question").unwrap().unwrap();
        assert!(v.is_scalar(), "kept as one string, not a text to mix into");
    }
}

#[test]
fn a_turn_recorded_by_the_old_version_is_read_and_corrected_whole() {
    let mut s = old_session();
    let ann = MemberId::random();
    // The previous version: a turn map whose words are a Text object.
    {
        let d = s.doc_mut();
        let checkin = am::get_obj(d, &ROOT, "checkin", ObjType::Map).unwrap();
        let turns = am::get_obj(d, &checkin, "turns", ObjType::Map).unwrap();
        let t = d.put_object(&turns, ann.to_hex(), ObjType::Map).unwrap();
        am::put_text(d, &t, "text", "Tired but here").unwrap();
        d.put(&t, "passed", false).unwrap();
        d.put(&t, "scope", "group").unwrap();
        d.commit();
    }
    assert_eq!(s.view().turns[0].text, "Tired but here");
    let spoke = TurnChoice::Spoke {
        text: "Glad to be in the room".into(),
        scope: Scope::Group,
    };
    s.record_turn(ann, &spoke, None, 5).unwrap();
    s.doc_mut().commit();
    let v = s.view();
    assert_eq!(
        (v.turns.len(), v.turns[0].text.as_str()),
        (1, "Glad to be in the room")
    );
    assert!(
        !v.turns[0].off_record,
        "an old turn reads as not off the record"
    );
}
