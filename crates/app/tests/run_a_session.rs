//! The app on a real engine and store in a temp home, driven like a member drives it
//! (egui_kittest, by the controls' accessible names): found a notebook on first run, open a
//! weekly hour from its template, take a check-in turn, speak off the record (nothing is
//! written), start a reflection and type into it live — and a fresh engine on the same home
//! then holds what was typed; an export from the top bar writes it to a file.
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
    click(&mut h, "Ben speaks off the record");
    assert!(
        h.query_by_label_contains("Ben spoke off the record")
            .is_some()
    );

    type_into(&mut h, "New reflection's title", "What we noticed");
    click(&mut h, "Start a reflection");
    type_into(&mut h, "Reflection: What we noticed", "Trust grows slowly.");

    let engine = h.state().rt.as_ref().unwrap().engine.clone();
    let view = engine.session(nb, session).unwrap();
    assert_eq!(view.turns.len(), 1, "off the record wrote nothing");
    assert_eq!(view.turns[0].text, "Glad to be here");
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
