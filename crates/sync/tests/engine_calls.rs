//! The engine's typed calls, as the app and the CLI make them: the check-in round (an
//! off-the-record turn keeps its place and no words), paragraphs added to notes and reflections,
//! members added and removed (never yourself), an export imported into another engine, and
//! a second process's commit reaching the engine with its event.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;
use stones_doc::export::ExportOptions;
use stones_doc::{
    Date, MemberStatus, NewSession, NotebookId, QuestionStatus, Scope, SessionKind, TextField,
    TurnChoice,
};
use stones_store::export::ExportFormat;
use stones_store::{NewMember, Notebook, Target};
use stones_sync::engine::ChangeSource;
use stones_sync::{Engine, EngineEvent, SyncError};
use tempfile::TempDir;

fn person(name: &str, sector: &str) -> NewMember {
    NewMember {
        name: name.into(),
        sector: sector.into(),
        role: String::new(),
    }
}

fn group() -> (TempDir, Engine, NotebookId, stones_doc::EntryId) {
    let home = TempDir::new().unwrap();
    let engine = Engine::open_or_create(home.path()).unwrap();
    let nb = engine
        .create_notebook("Stewards", "Togetherness", &person("Ana", "NHS"))
        .unwrap();
    let s = NewSession {
        date: "2026-12-01".parse::<Date>().unwrap(),
        kind: SessionKind::Weekly,
        title: "Tuesday".into(),
        convener: None,
    };
    let session = engine.new_session(nb, &s, "What weather?").unwrap();
    (home, engine, nb, session)
}

#[test]
fn an_off_the_record_turn_keeps_its_place_and_none_of_its_words_after_a_restart() {
    let (home, engine, nb, session) = group();
    let me = engine.me_or_err(nb).unwrap();
    let bea = engine.add_member(nb, &person("Bea", "council")).unwrap();
    // Words recorded first, then taken back off the record: the words leave the document.
    let spoke = TurnChoice::Spoke {
        text: "Sunny, tired".into(),
        scope: Scope::Export,
    };
    engine.record_turn(nb, session, bea, &spoke).unwrap();
    engine
        .record_turn(nb, session, bea, &TurnChoice::OffTheRecord)
        .unwrap();
    let spoke = TurnChoice::Spoke {
        text: "Sunny, tired".into(),
        scope: Scope::Group,
    };
    engine.record_turn(nb, session, me, &spoke).unwrap();
    engine
        .set_checkin_question(nb, session, "  What carries you?  ")
        .unwrap();
    drop(engine);

    let engine = Engine::open_or_create(home.path()).unwrap();
    let v = engine.session(nb, session).unwrap();
    assert_eq!(v.checkin_question, "What carries you?");
    let mine = v.turns.iter().find(|t| t.member == me).unwrap();
    assert_eq!(
        (mine.text.as_str(), mine.scope, mine.off_record),
        ("Sunny, tired", Scope::Group, false)
    );
    let hers = v.turns.iter().find(|t| t.member == bea).unwrap();
    assert!(
        hers.off_record,
        "the restart still knows she spoke off the record"
    );
    assert_eq!((hers.text.as_str(), hers.scope), ("", Scope::Group));
    let view = engine.view(nb).unwrap();
    let entry = view.sessions.iter().find(|e| e.id == session).unwrap();
    let shown = stones_doc::render::session_markdown(&view, entry, &v);
    assert!(shown.contains("**Bea** spoke off the record"), "{shown}");
    // Never exported, not even with the group's own entries.
    let out = home.path().join("export.json");
    let opts = ExportOptions {
        include_group: true,
        ..ExportOptions::default()
    };
    engine
        .export(nb, &opts, ExportFormat::Json, &out, false, &mut |_, _| {})
        .unwrap();
    let json = std::fs::read_to_string(&out).unwrap();
    assert!(json.contains("Sunny, tired"), "{json}");
    // Bea is named once, among the members: no turn of hers is in the export.
    assert_eq!(json.matches("\"Bea\"").count(), 1, "{json}");
}

#[test]
fn paragraphs_are_separated_by_field_and_empty_text_is_refused() {
    let (_home, engine, nb, session) = group();
    let target = Target::Session(session);
    engine
        .add_paragraph(nb, target, TextField::Notes, "one")
        .unwrap();
    engine
        .add_paragraph(nb, target, TextField::Notes, "two")
        .unwrap();
    let r = engine
        .add_reflection(nb, session, "Noticed", "", Scope::Export)
        .unwrap();
    let field = TextField::Reflection(r);
    engine.add_paragraph(nb, target, field, "First.").unwrap();
    engine.add_paragraph(nb, target, field, "Second.").unwrap();
    assert!(engine.add_paragraph(nb, target, field, "  ").is_err());
    assert!(
        !engine.has_pending(),
        "an added paragraph is committed at once"
    );
    let v = engine.session(nb, session).unwrap();
    assert_eq!(v.notes, "one\ntwo");
    assert_eq!(v.reflections[0].body, "First.\n\nSecond.");
}

#[test]
fn nobody_removes_themself_and_a_removed_member_reads_as_left() {
    let (_home, engine, nb, _session) = group();
    let me = engine.me_or_err(nb).unwrap();
    let cal = engine.add_member(nb, &person("Cal", "charity")).unwrap();
    let err = engine.remove_member(nb, me).unwrap_err();
    assert!(matches!(err, SyncError::RemoveSelf), "{err}");
    engine.remove_member(nb, cal).unwrap();
    let view = engine.view(nb).unwrap();
    let status = |id| view.status_of(view.member(id).unwrap(), Some(me));
    assert_eq!(status(me), MemberStatus::You);
    assert_eq!(status(cal), MemberStatus::Left);
}

#[test]
fn held_questions_and_learnings_keep_their_trail() {
    let (_home, engine, nb, session) = group();
    let q = engine
        .add_question(nb, "What is care here?", Some(session))
        .unwrap();
    engine
        .add_question_note(nb, q, "It is time, mostly", Some(session))
        .unwrap();
    engine
        .set_question_status(nb, q, QuestionStatus::Resting, None)
        .unwrap();
    engine
        .add_learning(nb, "Slow down", "Time is care", &[session])
        .unwrap();
    let view = engine.view(nb).unwrap();
    let held = view.questions.iter().find(|x| x.id == q).unwrap();
    assert_eq!(held.status, QuestionStatus::Resting);
    assert!(held.trail.iter().any(|n| n.note == "It is time, mostly"));
    assert_eq!(view.learnings[0].from_sessions, vec![session]);
}

#[test]
fn an_export_imported_by_another_engine_opens_there_with_its_words() {
    let (_home, engine, nb, session) = group();
    engine
        .add_reflection(
            nb,
            session,
            "Noticed",
            "Relationships are the work",
            Scope::Export,
        )
        .unwrap();
    let out = TempDir::new().unwrap();
    let folder = out.path().join("export");
    let mut calls = Vec::new();
    let report = engine
        .export(
            nb,
            &ExportOptions {
                include_group: true,
                ..ExportOptions::default()
            },
            ExportFormat::Automerge,
            &folder,
            false,
            &mut |done, total| calls.push((done, total)),
        )
        .unwrap();
    assert_eq!(report.sessions, 1);
    assert_eq!(calls, vec![(1, 1)], "progress after each session");
    // The same folder again is refused without force, replaced with it.
    for force in [false, true] {
        let again = engine.export(
            nb,
            &ExportOptions::default(),
            ExportFormat::Automerge,
            &folder,
            force,
            &mut |_, _| {},
        );
        assert_eq!(again.is_ok(), force, "force: {force}");
    }

    let other_home = TempDir::new().unwrap();
    let other = Engine::open_or_create(other_home.path()).unwrap();
    let events = other.subscribe();
    assert_eq!(other.import(&folder).unwrap(), nb);
    assert!(
        other
            .notebooks()
            .iter()
            .any(|(id, t)| *id == nb && t == "Stewards")
    );
    let got = other.session(nb, session).unwrap();
    assert_eq!(got.reflections[0].body, "Relationships are the work");
    let announced = events
        .try_iter()
        .any(|e| matches!(e, EngineEvent::DocChanged { notebook, .. } if notebook == nb));
    assert!(
        announced,
        "an imported notebook is announced like a local change"
    );
    let err = other.import(&folder).unwrap_err().to_string();
    assert!(err.contains("already holds"), "{err}");
}

#[test]
fn a_second_process_commit_reaches_the_engine_with_an_event() {
    let (home, engine, nb, session) = group();
    let events = engine.subscribe();
    // Another process on the same home: its own store handle and writer slot.
    let store = std::sync::Arc::new(stones_store::Store::open(home.path()).unwrap());
    let mut other = Notebook::open(&store, nb).unwrap();
    other
        .edit_session(session, "add reflection", |s, ctx| {
            s.add_reflection(
                "From the CLI",
                "beside the app",
                Scope::Export,
                ctx.me,
                ctx.now_ms,
            )
        })
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        match events.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(EngineEvent::DocChanged {
                notebook,
                by: ChangeSource::OtherProcess,
                ..
            }) if notebook == nb => {
                break;
            }
            Ok(_) => {}
            Err(e) => panic!("no change from the other process: {e}"),
        }
    }
    let v = engine.session(nb, session).unwrap();
    assert!(v.reflections.iter().any(|r| r.title == "From the CLI"));
}

/// An export that keeps history carries the index changes' signatures, so the notebook
/// imported elsewhere can pass them on (peers refuse unsigned index changes).
#[test]
fn an_export_with_history_carries_the_index_signatures_to_the_import() {
    let (_home, engine, nb, _session) = group();
    let out = TempDir::new().unwrap();
    let folder = out.path().join("export");
    let opts = ExportOptions {
        include_group: true,
        ..ExportOptions::default()
    };
    engine
        .export(
            nb,
            &opts,
            ExportFormat::Automerge,
            &folder,
            false,
            &mut |_, _| {},
        )
        .unwrap();
    let other_home = TempDir::new().unwrap();
    let other = Engine::open_or_create(other_home.path()).unwrap();
    other.import(&folder).unwrap();
    let index = other.read(nb, |n| Ok(n.index_doc())).unwrap();
    let store = other.store();
    let (mut am, _, _) = stones_store::loaded::load_am(&store, index).unwrap();
    let metas = stones_doc::signed::metas_of(&mut am);
    assert!(!metas.is_empty());
    let held: std::collections::BTreeMap<_, _> =
        store.db().signatures(index).unwrap().into_iter().collect();
    for m in &metas {
        let sig = held.get(&m.hash);
        assert!(
            stones_doc::signed::check(&m.actor, &m.hash, sig).is_ok(),
            "change {} came without its signature",
            m.hash
        );
    }
}
