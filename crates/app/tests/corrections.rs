//! Corrections and withdrawal from the app, on the demo notebook's monthly day: a
//! reflection's title and a retelling's angle corrected in place, a member's sector
//! corrected; a reflection, a check-in turn and a held question withdrawn after a
//! confirmation that says what withdrawal can and cannot do — and then gone from the
//! session and from search.
#![allow(clippy::unwrap_used)]

mod common;

use common::{H, click, harness};
use egui_kittest::kittest::Queryable;
use stones_app::state::State;

/// Replaces what the field named `label` holds with `text`.
fn retype(h: &mut H, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label(label).type_text(text);
    h.run();
}

#[test]
fn titles_angles_and_members_are_corrected_and_entries_withdrawn_honestly() {
    let home = tempfile::tempdir().unwrap();
    stones_app::demo::populate(home.path()).unwrap();
    let mut h = harness(home.path(), State::default());
    h.run();
    h.get_by_label_contains("2026-11-21 monthly").click();
    h.run();
    let rt = h.state().rt.as_ref().unwrap();
    let (engine, nb) = (rt.engine.clone(), rt.notebook.unwrap());
    let s = rt.session.as_ref().unwrap().0;

    click(&mut h, "Correct the reflection “What we noticed”");
    retype(
        &mut h,
        "New title of the reflection “What we noticed”",
        "What we learnt",
    );
    click(&mut h, "Save the title");
    assert_eq!(
        engine.session(nb, s).unwrap().reflections[0].title,
        "What we learnt"
    );
    assert!(h.query_by_label("Reflection: What we learnt").is_some());

    click(&mut h, "Correct Ben's retelling");
    retype(&mut h, "New angle of Ben's retelling", "the housing office");
    click(&mut h, "Save the angle");
    assert!(
        h.query_by_label("Retold by Ben, from the housing office")
            .is_some()
    );

    click(&mut h, "Correct Dev");
    retype(&mut h, "Corrected sector", "philanthropy");
    click(&mut h, "Save the member");
    assert!(h.query_by_label("Dev (philanthropy)").is_some());

    // Withdrawing says honestly what it cannot undo, then the entry is gone.
    click(&mut h, "Withdraw the reflection “What we learnt”");
    assert!(
        h.query_by_label_contains("devices that already synced it still hold it")
            .is_some()
    );
    click(&mut h, "Yes, withdraw the reflection “What we learnt”");
    assert!(engine.session(nb, s).unwrap().reflections.is_empty());
    assert!(h.query_by_label("Reflection: What we learnt").is_none());
    let found = engine.search(nb, "trust grows slow", 10).unwrap();
    assert!(
        found.hits.iter().all(|hit| hit.item.session != Some(s)),
        "search no longer finds it in this session"
    );

    click(&mut h, "Withdraw Ada's turn");
    click(&mut h, "Yes, withdraw Ada's turn");
    let turns = engine.session(nb, s).unwrap().turns.clone();
    assert!(turns.iter().all(|t| !t.text.contains("Glad to be here")));

    let question = "What would a shorter waiting list ask of us? (resting)";
    h.get_all_by_label(question).next().unwrap().click();
    h.run();
    click(&mut h, "Withdraw the question");
    click(&mut h, "Yes, withdraw the question");
    assert!(h.query_by_label(question).is_none());
    let view = engine.view(nb).unwrap();
    assert!(
        view.questions
            .iter()
            .all(|q| !q.text.contains("waiting list"))
    );
    h.state_mut().close();
}
