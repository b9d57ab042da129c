//! The export model and its rebuilt documents: reading a rebuilt document gives back the
//! exported view, and a rebuild without group-scope entries holds none, not even in history.
#![allow(clippy::unwrap_used)]

use stones_doc::export::{ExportModel, ExportOptions, rebuild_index, rebuild_session};
use stones_doc::{
    DeviceId, IndexDoc, NewSession, NotebookId, QuestionStatus, Scope, SessionDoc, SessionKind,
    TurnChoice,
};

fn notebook() -> (IndexDoc, Vec<SessionDoc>, NotebookId) {
    let actor = DeviceId([3; 32]).actor(0);
    let nb = NotebookId::random();
    let mut index = IndexDoc::create(nb, "Stewards", "Together", actor.clone(), 10).unwrap();
    let ana = index
        .add_member("Ana", "NHS", "convener", None, 11)
        .unwrap();
    let ben = index
        .add_member("Ben", "council", "", Some(ana), 12)
        .unwrap();
    index.remove_member(ben, 500).unwrap();
    let mut sessions = Vec::new();
    for (i, day) in ["2026-11-26", "2026-12-03"].iter().enumerate() {
        let new = NewSession {
            date: day.parse().unwrap(),
            kind: SessionKind::Weekly,
            title: format!("week {i}"),
            convener: Some(ana),
        };
        let (sid, _) = index.add_session(&new, Some(ana), 20 + i as i64).unwrap();
        let mut s = SessionDoc::create(sid, "How are you?", actor.clone(), 30).unwrap();
        let spoke = |text: &str, scope| TurnChoice::Spoke {
            text: text.into(),
            scope,
        };
        s.record_turn(ana, &spoke("well", Scope::Export), Some(ana), 31)
            .unwrap();
        s.record_turn(ben, &spoke("a private worry", Scope::Group), Some(ben), 32)
            .unwrap();
        s.add_reflection(
            "Noticed",
            "line one\n\nline two",
            Scope::Export,
            Some(ana),
            33,
        )
        .unwrap();
        s.add_reflection(
            "Inside only",
            "kept in the room",
            Scope::Group,
            Some(ben),
            34,
        )
        .unwrap();
        let st = s
            .add_story(ana, "Bridge", "We met.", Scope::Export, Some(ana), 35)
            .unwrap();
        s.add_retelling(st, ben, "council", "From our side.", Some(ben), 36)
            .unwrap();
        s.doc_mut().commit();
        let q = index
            .add_question("What holds us?", Some(ana), Some(sid), 40)
            .unwrap();
        index
            .set_question_status(q, QuestionStatus::Resting, Some(ben), Some(sid), 41)
            .unwrap();
        index
            .add_learning("Slow", "is fine", &[sid], Some(ana), 42)
            .unwrap();
        sessions.push(s);
    }
    index.doc_mut().commit();
    (index, sessions, nb)
}

/// Each session entry with its document's view (sessions were made in date order).
fn pairs(
    view: &stones_doc::NotebookView,
    sessions: &[SessionDoc],
) -> Vec<(stones_doc::SessionEntry, stones_doc::SessionView)> {
    view.sessions
        .iter()
        .zip(sessions.iter())
        .map(|(e, s)| (e.clone(), s.view()))
        .collect()
}

fn model(include_group: bool) -> (ExportModel, NotebookId) {
    let (index, sessions, nb) = notebook();
    let view = index.view();
    let pairs = pairs(&view, &sessions);
    let opts = ExportOptions {
        include_group,
        ..ExportOptions::default()
    };
    (ExportModel::build(&view, &pairs, &opts), nb)
}

#[test]
fn rebuilt_documents_read_back_as_the_exported_views() {
    for include_group in [false, true] {
        let (m, nb) = model(include_group);
        let actor = DeviceId([9; 32]).actor(0);
        let index = rebuild_index(&m.notebook, nb, &m.left_out, actor.clone(), 99).unwrap();
        let mut back = IndexDoc::from_doc(index).view();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(
            back.earlier_left_out,
            if include_group {
                Default::default()
            } else {
                m.left_out
            }
        );
        back.problems = Default::default();
        back.earlier_left_out = m.notebook.earlier_left_out;
        assert_eq!(back, m.notebook);
        for s in &m.sessions {
            let doc = rebuild_session(s.entry.id, &s.view, actor.clone(), 99).unwrap();
            let mut v = SessionDoc::from_doc(doc).view();
            assert!(v.problems.is_empty(), "{:?}", v.problems);
            v.problems = Default::default();
            assert_eq!(v, s.view);
        }
    }
}

#[test]
fn without_the_flag_group_entries_are_counted_and_absent_even_from_history() {
    let (m, nb) = model(false);
    assert_eq!(
        (m.left_out.turns, m.left_out.reflections, m.left_out.stories),
        (2, 2, 0)
    );
    let actor = DeviceId([9; 32]).actor(0);
    for s in &m.sessions {
        let mut doc = rebuild_session(s.entry.id, &s.view, actor.clone(), 99).unwrap();
        assert_eq!(doc.get_changes(&[]).len(), 1, "one change, no history");
        let all = format!("{:?}", SessionDoc::from_doc(doc.clone()).view());
        assert!(!all.contains("a private worry") && !all.contains("kept in the room"));
        // Nor in any earlier state: there is none, and the one change holds only what is shown.
        let raw = stones_doc::load_doc(&doc.save()).unwrap();
        assert_eq!(format!("{:?}", SessionDoc::from_doc(raw).view()), all);
    }
    let index = rebuild_index(&m.notebook, nb, &m.left_out, actor, 99).unwrap();
    assert!(IndexDoc::from_doc(index).view().devices.is_empty());
    let (with, _) = model(true);
    assert_eq!(with.left_out.total(), 0);
    assert!(format!("{:?}", with.sessions).contains("a private worry"));
}

#[test]
fn session_filters_narrow_questions_and_learnings() {
    let (index, sessions, _) = notebook();
    let view = index.view();
    let pairs = pairs(&view, &sessions);
    let second = view.sessions[1].date;
    let opts = ExportOptions {
        from: Some(second),
        ..ExportOptions::default()
    };
    let m = ExportModel::build(&view, &pairs, &opts);
    assert_eq!(m.sessions.len(), 1);
    assert_eq!(m.sessions[0].entry.date, second);
    assert_eq!(
        m.notebook.questions.len(),
        1,
        "only the question raised in that session"
    );
    assert_eq!(m.notebook.learnings.len(), 1);
}
