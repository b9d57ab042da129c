//! The monthly day in the app: the demo notebook (what `--demo` opens) shows its held
//! questions with their status and trail, its learning, and the monthly day's story with its
//! two retellings; a third retelling added from the app stands beside them, each in its
//! own column; a new monthly day from its template holds re-storying and learnings sections.
#![allow(clippy::unwrap_used)]

mod common;

use common::{click, harness, type_into};
use egui_kittest::kittest::Queryable;
use stones_app::state::State;

#[test]
fn the_demo_notebook_retells_a_story_side_by_side_and_holds_its_questions() {
    let home = tempfile::tempdir().unwrap();
    stones_app::demo::populate(home.path()).unwrap();
    let mut h = harness(home.path(), State::default());
    h.run();

    // The latest session is on screen the first time; the questions are on the left.
    assert!(h.query_by_label_contains("2026-11-26 weekly").is_some());
    let power = "How do we share power between sectors? (open)";
    let shown = |h: &common::H, label: &str| h.query_all_by_label(label).count();
    assert_eq!(
        shown(&h, power),
        2,
        "on the left, and touched on the day shown"
    );
    let waiting = "What would a shorter waiting list ask of us? (resting)";
    assert_eq!(shown(&h, waiting), 2, "rested on the day shown");
    assert!(
        h.query_by_label_contains("Slow down to speed up (from 2026-11-05, 2026-11-21)")
            .is_some()
    );
    click(&mut h, "Show questions");
    click(&mut h, "resting");
    assert_eq!(shown(&h, power), 1, "the filter hides it on the left");
    click(&mut h, "Show questions");
    click(&mut h, "all");

    h.get_by_label_contains("2026-11-21 monthly").click();
    h.run();
    let heading = h.query_by_role_and_label(egui::Role::Heading, "Re-storying");
    assert!(heading.is_some(), "a monthly day re-stories");
    assert!(h.query_by_label("Told by Cleo").is_some());
    assert!(
        h.query_by_label("Retold by Ben, from the council's side")
            .is_some()
    );

    type_into(&mut h, "Angle of a new retelling", "the volunteer's side");
    click(&mut h, "Retell it");
    assert!(
        h.query_by_label("Retold by Ada, from the volunteer's side")
            .is_some()
    );
    let story = h.get_by_label("Story: The night shelter").rect();
    let ben = h.get_by_label("Retelling by Ben").rect();
    let dev = h.get_by_label("Retelling by Dev").rect();
    let ada = h.get_by_label("Retelling by Ada").rect();
    assert!(
        story.right() <= ben.left() && ben.right() <= dev.left() && dev.right() <= ada.left(),
        "side by side: {story:?} {ben:?} {dev:?} {ada:?}"
    );
    let told = h.get_by_label("Told by Cleo").rect();
    let retold = h
        .get_by_label("Retold by Ada, from the volunteer's side")
        .rect();
    assert!((told.top() - retold.top()).abs() < 1.0, "in one row");

    // A story told from the app starts empty and is typed in live.
    type_into(&mut h, "New story's title", "The bus");
    click(&mut h, "Tell a story");
    type_into(&mut h, "Story: The bus", "It came late.");
    assert!(h.query_by_label("Told by Ada").is_some());
    let rt = h.state().rt.as_ref().unwrap();
    let (s, _) = rt.session.clone().unwrap();
    let stories = rt
        .engine
        .session(rt.notebook.unwrap(), s)
        .unwrap()
        .stories
        .clone();
    assert!(
        stories
            .iter()
            .any(|st| st.title == "The bus" && st.text == "It came late.")
    );

    // The held question touched on this day opens to its trail.
    assert!(
        h.query_by_label_contains("The funder spoke last again")
            .is_none()
    );
    let touched = "How do we share power between sectors? (open)";
    h.get_all_by_label(touched).last().unwrap().click();
    h.run();
    assert!(
        h.query_by_label_contains("2026-11-21: The funder spoke last again")
            .is_some()
    );

    // A new monthly day from its template.
    h.get_by_label("Day").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Day").type_text("2026-12-19");
    h.run();
    click(&mut h, "New monthly day");
    assert!(h.query_by_label_contains("2026-12-19 monthly").is_some());
    for heading in ["Check-in", "Re-storying", "Reflections"] {
        let found = h.query_by_role_and_label(egui::Role::Heading, heading);
        assert!(found.is_some(), "{heading} section of the monthly template");
    }
    let learnings = h
        .query_all_by_role_and_label(egui::Role::Heading, "Learnings")
        .count();
    assert_eq!(learnings, 2, "on the left and in the monthly template");
    h.state_mut().close();
}
