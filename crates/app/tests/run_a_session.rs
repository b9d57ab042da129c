//! The app on a real engine and store in a temp home, driven like a member drives it
//! (egui_kittest, by the controls' accessible names): found a notebook on first run, open a
//! weekly hour from its template, take a check-in turn (and let it leave the group), speak
//! off the record (only that is kept, no words), hold a question and move it on, start a reflection and type into it live — and a fresh engine on the same home
//! then holds what was typed; an export from the top bar writes it to a file. A damaged
//! session says so while the rest stays usable.
#![allow(clippy::unwrap_used)]

mod common;

use common::{click, harness, type_into};
use egui_kittest::kittest::Queryable;
use stones_app::state::State;
use stones_sync::Engine;

#[test]
fn a_convener_founds_a_notebook_and_runs_a_check_in_and_a_reflection() {
    let home = tempfile::tempdir().unwrap();
    let mut h = harness(home.path(), State::default());
    h.run();
    assert!(
        h.query_by_label_contains("Nothing is sent over any network until you choose")
            .is_some()
    );
    click(&mut h, "Only this computer");
    assert!(h.state().rt.as_ref().unwrap().mode_chosen);
    type_into(&mut h, "Notebook title", "Stewards");
    type_into(&mut h, "What the group is for", "Working as one");
    type_into(&mut h, "Your name", "Ada");
    type_into(&mut h, "Your sector", "NHS");
    click(&mut h, "Create the notebook");
    let nb = h
        .state()
        .rt
        .as_ref()
        .unwrap()
        .notebook
        .expect("a notebook is open");

    // A member without a device, then a weekly hour from its template.
    type_into(&mut h, "New member's name", "Ben");
    click(&mut h, "Add member");
    type_into(&mut h, "Day", "");
    click(&mut h, "New weekly hour");
    let (session, _) = h
        .state()
        .rt
        .as_ref()
        .unwrap()
        .session
        .clone()
        .expect("on screen");
    for heading in ["Check-in", "Notes", "Reflections"] {
        let found = h.query_by_role_and_label(egui::Role::Heading, heading);
        assert!(found.is_some(), "{heading} section");
    }
    let restorying = h.query_by_role_and_label(egui::Role::Heading, "Re-storying");
    assert!(restorying.is_none(), "not in a weekly hour");

    type_into(&mut h, "What Ada said", "Glad to be here");
    click(&mut h, "Record Ada's turn");
    click(&mut h, "Let Ada's turn leave the group");
    click(&mut h, "Ben speaks off the record");
    assert!(
        h.query_by_label_contains("Ben spoke off the record")
            .is_some()
    );

    type_into(&mut h, "New reflection's title", "What we noticed");
    click(&mut h, "Start a reflection");
    type_into(&mut h, "Reflection: What we noticed", "Trust grows slowly.");

    // A question held from this session, then a trail note and a status change.
    type_into(&mut h, "A new question to hold", "How do we share power?");
    click(&mut h, "Hold this question");
    let header = "How do we share power? (open)";
    assert_eq!(
        h.get_all_by_label(header).count(),
        2,
        "in the sidebar and touched here"
    );
    h.get_all_by_label(header).next().unwrap().click();
    h.run();
    type_into(&mut h, "Trail note", "Budgets first");
    click(&mut h, "Add the note");
    click(&mut h, "resting");

    let engine = h.state().rt.as_ref().unwrap().engine.clone();
    let index = engine.view(nb).unwrap();
    let q = &index.questions[0];
    assert_eq!(q.raised_in, Some(session));
    assert_eq!(q.status, stones_doc::QuestionStatus::Resting);
    assert!(
        q.trail
            .iter()
            .any(|n| n.note == "Budgets first" && n.session == Some(session))
    );
    let view = engine.session(nb, session).unwrap();
    assert_eq!(view.turns.len(), 2);
    let turn_of = |name: &str| {
        let m = index.members.iter().find(|m| m.name == name).unwrap().id;
        view.turns.iter().find(|t| t.member == m).unwrap()
    };
    let ada = turn_of("Ada");
    assert_eq!(
        (ada.scope, ada.text.as_str()),
        (stones_doc::Scope::Export, "Glad to be here")
    );
    let ben = turn_of("Ben");
    assert!(ben.off_record, "that Ben spoke off the record is kept");
    assert_eq!(
        (ben.text.as_str(), ben.scope),
        ("", stones_doc::Scope::Group)
    );
    assert_eq!(view.reflections[0].title, "What we noticed");
    assert_eq!(view.reflections[0].body, "Trust grows slowly.");
    drop(view);
    drop(engine);

    // Export from the top bar: JSON with what the group kept to itself, off the UI thread.
    let out = home.path().join("notebook.json");
    click(&mut h, "Export");
    click(&mut h, "JSON (one file)");
    click(&mut h, "Include what the group kept to itself");
    type_into(&mut h, "Export to (folder or file)", out.to_str().unwrap());
    h.get_by_label("Write the export").click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while h.state().rt.as_ref().unwrap().export.is_some() || !out.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the export did not finish"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let json = std::fs::read_to_string(&out).unwrap();
    assert!(json.contains("Trust grows slowly."), "{json}");
    assert!(json.contains("Glad to be here"));
    let said = h.state().notices.texts().join(" | ");
    assert!(said.contains("Exported 1 session(s)"), "{said}");

    // Closed and opened again: the store holds what was typed, and the app opens onto it.
    let state = h.state().state.clone();
    h.state_mut().close();
    drop(h);
    {
        let engine = Engine::open(home.path()).unwrap();
        let view = engine.session(nb, session).unwrap();
        assert_eq!(view.reflections[0].body, "Trust grows slowly.");
        engine.shutdown();
    }
    let mut h = harness(home.path(), state);
    h.run();
    let rt = h.state().rt.as_ref().unwrap();
    assert_eq!(rt.notebook, Some(nb));
    assert_eq!(rt.session.as_ref().map(|s| s.0), Some(session));
    assert!(h.query_by_label("Glad to be here").is_some());
}

#[test]
fn a_mistyped_ticket_is_a_clear_error_and_nothing_changes() {
    let home = tempfile::tempdir().unwrap();
    let mut h = harness(home.path(), State::default());
    h.run();
    type_into(&mut h, "Invite ticket", "stones-invite-not-really");
    type_into(&mut h, "Your name", "Bea");
    click(&mut h, "Join");
    let texts = h.state().notices.texts().join(" | ");
    assert!(!texts.is_empty(), "an error is shown");
    assert!(h.state().rt.as_ref().unwrap().notebook.is_none());
    assert!(
        h.query_by_label("Create the notebook").is_some(),
        "still on first run"
    );
}

#[test]
fn a_damaged_session_says_so_and_the_rest_stays_usable() {
    let home = tempfile::tempdir().unwrap();
    let (nb, damaged, fine) = {
        let engine = Engine::open_or_create(home.path()).unwrap();
        let founder = stones_store::NewMember {
            name: "Ada".into(),
            sector: "NHS".into(),
            role: String::new(),
        };
        let nb = engine.create_notebook("Stewards", "", &founder).unwrap();
        let mut ids = Vec::new();
        for day in ["2026-11-05", "2026-11-12"] {
            let s = stones_doc::NewSession {
                date: day.parse().unwrap(),
                kind: stones_doc::SessionKind::Weekly,
                title: String::new(),
                convener: None,
            };
            ids.push(
                engine
                    .new_session(nb, &s, &format!("Question of {day}?"))
                    .unwrap(),
            );
        }
        let doc = engine.view(nb).unwrap().session(ids[0]).unwrap().doc;
        stones_store::testing::append_raw_chunk(&engine.store(), doc, b"not automerge").unwrap();
        engine.shutdown();
        (nb, ids[0], ids[1])
    };
    let mut h = harness(home.path(), State::default());
    h.run();
    assert!(
        h.query_by_label("Question of 2026-11-12?").is_some(),
        "the latest opens"
    );
    h.get_by_label_contains("2026-11-05 weekly").click();
    h.run();
    assert!(h.query_by_label_contains("could not be read").is_some());
    // The rest is usable: another session opens and takes a turn.
    h.get_by_label_contains("2026-11-12 weekly").click();
    h.run();
    type_into(&mut h, "What Ada said", "Still here");
    click(&mut h, "Record Ada's turn");
    let engine = h.state().rt.as_ref().unwrap().engine.clone();
    assert_eq!(
        engine.session(nb, fine).unwrap().turns[0].text,
        "Still here"
    );
    assert!(engine.session(nb, damaged).is_err());
}
