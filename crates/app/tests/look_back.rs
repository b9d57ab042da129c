//! Looking back from the app: the search box finds an accented word, typed without its
//! accent, in a session nobody has opened in this run, and choosing the hit opens that
//! session with the entry on screen; the story so far lists an open question and a
//! learning; the voices page says what the library counts, for the sessions chosen.
#![allow(clippy::unwrap_used)]

mod common;

use common::{H, harness, step_until};
use egui_kittest::kittest::Queryable;
use stones_app::state::State;
use stones_doc::{EntryId, NewSession, Scope, SessionKind};
use stones_sync::Engine;

/// A home with a notebook of `weeks` weekly sessions; the oldest holds a reflection about the
/// café, written after a long body of other text so that it sits low on its page.
fn notebook_home(weeks: usize) -> (tempfile::TempDir, EntryId) {
    let home = tempfile::tempdir().unwrap();
    let engine = Engine::open_or_create(home.path()).unwrap();
    let ada = common::ada();
    let nb = engine.create_notebook("Stewards", "", &ada).unwrap();
    let mut first = None;
    for w in 0..weeks {
        let s = NewSession {
            date: format!("2026-10-{:02}", 1 + 7 * w).parse().unwrap(),
            kind: SessionKind::Weekly,
            title: String::new(),
            convener: None,
        };
        let id = engine.new_session(nb, &s, "How are you arriving?").unwrap();
        let long = "We talked a long while.\n".repeat(30);
        engine
            .add_reflection(nb, id, "Before", &long, Scope::Group)
            .unwrap();
        if w == 0 {
            let text = "Le café était fermé, so we met outside.";
            engine
                .add_reflection(nb, id, "Outside", text, Scope::Group)
                .unwrap();
            first = Some(id);
        }
    }
    engine.commit_pending().unwrap();
    engine.shutdown();
    (home, first.unwrap())
}

/// Types into the search box and steps (a spinner turns until the answer comes).
fn search_for(h: &mut H, text: &str) {
    h.get_by_label("Search the notebook").focus();
    h.run();
    h.get_by_label("Search the notebook").type_text(text);
    h.step();
}

fn on_screen(h: &H) -> Option<EntryId> {
    h.state()
        .rt
        .as_ref()
        .unwrap()
        .session
        .as_ref()
        .map(|(s, _)| *s)
}

#[test]
fn search_finds_an_accented_word_in_an_unopened_session_and_opens_it() {
    let (home, oldest) = notebook_home(3);
    let mut h = harness(home.path(), State::default());
    h.run();
    assert_ne!(
        on_screen(&h),
        Some(oldest),
        "the latest session opens first"
    );

    search_for(&mut h, "FERME cafe");
    step_until(&mut h, "the search to answer", |h| {
        h.query_by_label_contains("fermé, so we met outside")
            .is_some()
    });
    assert!(
        h.query_by_label_contains("2026-10-01 · weekly").is_some(),
        "grouped by session"
    );
    h.get_by_label_contains("fermé, so we met outside").click();
    h.run();
    assert_eq!(on_screen(&h), Some(oldest), "the hit's session is open");
    let found = h.state().rt.as_ref().unwrap().found.clone().unwrap();
    assert_eq!(found.query, "FERME cafe");
    // The reflection found is scrolled into the window.
    let editor = h.get_by_label("Reflection: Outside").rect();
    assert!(
        editor.top() >= 0.0 && editor.bottom() <= 1000.0,
        "on screen: {editor:?}"
    );

    // Escape closes the results; a query with no match says so.
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().forms.search.is_empty());
    assert!(h.query_by_label_contains("Search results").is_none());
    search_for(&mut h, "zebra");
    step_until(&mut h, "the empty answer", |h| {
        h.query_by_label_contains("Nothing found for").is_some()
    });
    h.state_mut().close();
}

#[test]
fn the_story_so_far_and_the_voices_say_what_the_library_says() {
    let home = tempfile::tempdir().unwrap();
    stones_app::demo::populate(home.path()).unwrap();
    let mut h = harness(home.path(), State::default());
    h.run();

    common::click(&mut h, "The story so far");
    assert!(
        h.query_by_role_and_label(egui::Role::Heading, "The story so far")
            .is_some()
    );
    // Lines of the digest (the sidebar words them differently).
    let open = "How do we share power between sectors? — held for";
    assert!(
        h.query_by_label_contains(open).is_some(),
        "an open question"
    );
    let learnt = "Slow down to speed up (from 2026-11-05 (weekly), 2026-11-21 (monthly))";
    assert!(h.query_by_label_contains(learnt).is_some(), "a learning");

    common::click(&mut h, "Voices");
    let rt = h.state().rt.as_ref().unwrap();
    let (engine, nb) = (rt.engine.clone(), rt.notebook.unwrap());
    let library = |last: usize| {
        let window = stones_doc::voices::Window {
            last: Some(last),
            ..Default::default()
        };
        engine.voices(nb, &window).unwrap().voices
    };
    // Four sessions, so the slider starts at all four.
    for m in &library(4).members {
        let line = stones_app::ui::member_line(m);
        assert!(h.query_by_label(&line).is_some(), "{line}");
    }
    let cleo = library(4)
        .members
        .into_iter()
        .find(|m| m.name == "Cleo")
        .unwrap();
    assert_eq!(cleo.counts.passes, 4, "Cleo passed in every demo session");
    // The last two sessions only.
    let slider = h.get_by_role_and_label(egui::Role::Slider, "Last sessions counted");
    slider.focus();
    h.run();
    h.key_press(egui::Key::ArrowLeft);
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().forms.voices_last, 2);
    for m in &library(2).members {
        let line = stones_app::ui::member_line(m);
        assert!(h.query_by_label(&line).is_some(), "{line}");
    }
    for s in &library(2).sectors {
        let line = stones_app::ui::sector_line(s);
        assert!(h.query_by_label(&line).is_some(), "{line}");
    }
    h.state_mut().close();
}
