#![allow(clippy::unwrap_used)]

use super::*;
use crate::ids::{DeviceId, EntryId, NotebookId};
use crate::index::{IndexDoc, NewSession};
use crate::schema::{Scope, SessionKind};
use crate::session::{SessionDoc, TurnChoice};
use crate::text_field::TextField;
use automerge::ActorId;

fn device(n: u8) -> DeviceId {
    DeviceId([n; 32])
}

/// Three members' devices, each typing into one reflection on its own fork, merged.
#[test]
fn three_people_co_writing_one_reflection_each_get_their_words() {
    let mut a =
        SessionDoc::create(EntryId::random(), "How are you?", device(1).actor(0), 0).unwrap();
    let (ma, mb, mc) = (MemberId::random(), MemberId::random(), MemberId::random());
    let r = a
        .add_reflection("Ours", "one two three", Scope::Export, Some(ma), 1)
        .unwrap();
    a.record_turn(
        ma,
        &TurnChoice::Spoke {
            text: "fine thanks all".into(),
            scope: Scope::Group,
        },
        Some(ma),
        2,
    )
    .unwrap();
    a.record_turn(mb, &TurnChoice::Passed, Some(ma), 3).unwrap();
    a.doc_mut().commit();
    let mut b = SessionDoc::from_doc(a.doc_mut().fork().with_actor(device(2).actor(0)));
    let mut c = SessionDoc::from_doc(a.doc_mut().fork().with_actor(device(3).actor(1)));
    let end = |d: &SessionDoc| crate::text_len(d.doc(), TextField::Reflection(r)).unwrap();
    let at = end(&b);
    crate::splice_field(b.doc_mut(), TextField::Reflection(r), at, 0, " four five").unwrap();
    crate::splice_field(c.doc_mut(), TextField::Reflection(r), 0, 0, "zero ").unwrap();
    a.doc_mut().merge(b.doc_mut()).unwrap();
    a.doc_mut().merge(c.doc_mut()).unwrap();
    let body = a.view().reflections[0].body.clone();
    assert_eq!(word_count(&body), 6, "{body:?}");
    let member_of = |actor: &ActorId| match DeviceId::from_actor(actor) {
        Some(d) if d == device(1) => Some(ma),
        Some(d) if d == device(2) => Some(mb),
        Some(d) if d == device(3) => Some(mc),
        _ => None,
    };
    let t = tally_session(a.doc(), &a.view(), member_of);
    let got = |m| t.by_member.get(&m).copied().unwrap_or_default();
    assert_eq!(got(ma).written_words, 3);
    assert_eq!(got(mb).written_words, 2);
    assert_eq!(got(mc).written_words, 1);
    assert_eq!(
        (got(ma).turns, got(ma).turn_words, got(ma).passes),
        (1, 3, 0)
    );
    assert_eq!((got(mb).turns, got(mb).passes), (0, 1));
    assert_eq!(t.unattributed_words, 0);
}

#[test]
fn sectors_share_the_words_and_presence_comes_from_marks_and_turns() {
    let mut idx = IndexDoc::create(NotebookId::random(), "G", "", device(1).actor(0), 0).unwrap();
    let nurse = idx.add_member("Asha", "NHS", "", None, 1).unwrap();
    let clerk = idx.add_member("Ben", "council", "", None, 2).unwrap();
    let quiet = idx.add_member("Cy", "council", "", None, 3).unwrap();
    let header = |d: &str| NewSession {
        date: d.parse().unwrap(),
        kind: SessionKind::Weekly,
        title: String::new(),
        convener: None,
    };
    let (s1, _) = idx.add_session(&header("2026-01-06"), None, 4).unwrap();
    let (s2, _) = idx.add_session(&header("2026-01-13"), None, 5).unwrap();
    idx.set_attendance(s1, &[quiet], true).unwrap();
    let view = idx.view();
    let mut t1 = SessionTally::default();
    t1.by_member.insert(
        nurse,
        Counts {
            turns: 1,
            turn_words: 30,
            ..Counts::default()
        },
    );
    t1.by_member.insert(
        clerk,
        Counts {
            turns: 1,
            turn_words: 10,
            ..Counts::default()
        },
    );
    let e1 = view.session(s1).unwrap();
    let e2 = view.session(s2).unwrap();
    let v = voices(&view, &[(e1, Some(t1)), (e2, None)]);
    assert_eq!((v.sessions, v.missing), (2, 1));
    let row = |m| v.members.iter().find(|r| r.member == m).unwrap().counts;
    assert_eq!(row(nurse).sessions_present, 1);
    assert_eq!(
        row(quiet).sessions_present,
        1,
        "marked present, said nothing"
    );
    assert_eq!(row(quiet).words(), 0);
    let share = |s: &str| v.sectors.iter().find(|x| x.sector == s).unwrap().share;
    assert!((share("NHS") - 75.0).abs() < 1e-9);
    assert!((share("council") - 25.0).abs() < 1e-9);
    let w = Window {
        last: Some(1),
        ..Window::default()
    };
    assert_eq!(
        w.select(&view).iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![s2]
    );
    let w = Window {
        to: Some("2026-01-10".parse().unwrap()),
        ..Window::default()
    };
    assert_eq!(
        w.select(&view).iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![s1]
    );
}
