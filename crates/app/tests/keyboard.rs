//! The whole round from the keyboard alone: Tab to "New weekly hour" and press Enter, Tab
//! to the convener's check-in field and type, record the turn, start a reflection and type
//! into it — no pointer event at all — and the store then holds what was typed. The text
//! size shortcuts change the setting that is kept between runs, and F1 lists the shortcuts.
#![allow(clippy::unwrap_used)]

mod common;

use common::{H, harness};
use egui_kittest::kittest::{By, NodeT, Queryable};
use stones_app::state::State;
use stones_sync::Engine;

/// The name of the control that has the keyboard focus.
fn focused(h: &H) -> Option<String> {
    h.query_all(By::new().predicate(|n| n.is_focused()))
        .next()
        .and_then(|n| n.accesskit_node().label())
}

/// Presses Tab until the control named `label` has the focus (the whole window at most).
fn tab_to(h: &mut H, label: &str) {
    for _ in 0..300 {
        if focused(h).as_deref() == Some(label) {
            return;
        }
        h.key_press(egui::Key::Tab);
        h.run();
    }
    panic!("Tab never reached {label:?} (last focus: {:?})", focused(h));
}

fn press(h: &mut H, key: egui::Key) {
    h.key_press(key);
    h.run();
}

#[test]
fn a_session_a_turn_and_a_reflection_from_the_keyboard_alone() {
    let home = tempfile::tempdir().unwrap();
    let nb = {
        let e = Engine::open_or_create(home.path()).unwrap();
        let ada = common::ada();
        let nb = e.create_notebook("Stewards", "", &ada).unwrap();
        e.shutdown();
        nb
    };
    let mut h = harness(home.path(), State::default());
    h.run();

    tab_to(&mut h, "New weekly hour");
    press(&mut h, egui::Key::Enter);
    let rt = h.state().rt.as_ref().unwrap();
    let (s, _) = rt.session.clone().expect("a session opened");

    tab_to(&mut h, "What Ada said");
    h.get_by_label("What Ada said")
        .type_text("Here by keyboard");
    h.run();
    tab_to(&mut h, "Record Ada's turn");
    press(&mut h, egui::Key::Enter);

    tab_to(&mut h, "New reflection's title");
    h.get_by_label("New reflection's title").type_text("Keys");
    h.run();
    tab_to(&mut h, "Start a reflection");
    press(&mut h, egui::Key::Space);
    tab_to(&mut h, "Reflection: Keys");
    h.get_by_label("Reflection: Keys")
        .type_text("Typed without a mouse.");
    h.run();

    let rt = h.state().rt.as_ref().unwrap();
    rt.engine.commit_pending().unwrap();
    let session = rt.engine.session(nb, s).unwrap();
    assert_eq!(session.turns[0].text, "Here by keyboard");
    assert_eq!(session.reflections[0].body, "Typed without a mouse.");

    // Text size from the keyboard, kept in the persisted state; the help lists shortcuts.
    let before = h.state().state.clamped_scale();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Equals);
    h.run();
    assert!(h.state().state.clamped_scale() > before);
    press(&mut h, egui::Key::F1);
    assert!(h.query_by_label("Ctrl+F").is_some());
    assert!(h.query_by_label("search the notebook").is_some());
    h.state_mut().close();
}
