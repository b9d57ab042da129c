//! History and "as of" in the app, for a session edited on two days: the timeline shows a
//! block for each day with who and what; reading the session as of the first day shows it
//! as it was then, read only under a banner, without the second day's words. (The clock is
//! moved with the store's test-only shift, so this file holds one test.)
#![allow(clippy::unwrap_used)]

mod common;

use common::{click, harness, type_into};
use egui_kittest::kittest::Queryable;
use stones_app::state::State;
use stones_doc::{NewSession, Scope, SessionKind};
use stones_store::local_time::{format_ms, now_ms, shift_clock_for_tests};
use stones_sync::Engine;

#[test]
fn a_session_edited_on_two_days_has_a_timeline_and_reads_as_it_was() {
    let home = tempfile::tempdir().unwrap();
    let day_one = format_ms(now_ms())[..10].to_string();
    {
        let engine = Engine::open_or_create(home.path()).unwrap();
        let ada = common::ada();
        let nb = engine.create_notebook("Stewards", "", &ada).unwrap();
        let s = NewSession {
            date: day_one.parse().unwrap(),
            kind: SessionKind::Weekly,
            title: String::new(),
            convener: None,
        };
        let s = engine.new_session(nb, &s, "How are you arriving?").unwrap();
        engine
            .add_reflection(nb, s, "Draft", "First draft.", Scope::Group)
            .unwrap();
        engine.commit_pending().unwrap();
        engine.shutdown();
    }

    // Three days later, Ada opens the app and adds to the reflection.
    shift_clock_for_tests(3 * 86_400_000);
    let day_two = format_ms(now_ms())[..10].to_string();
    let mut h = harness(home.path(), State::default());
    h.run();
    let editor = "Reflection: Draft";
    h.get_by_label(editor).focus();
    h.run();
    h.key_press(egui::Key::End);
    h.get_by_label(editor).type_text(" More on day two.");
    h.run();
    let rt = h.state().rt.as_ref().unwrap();
    rt.engine.commit_pending().unwrap();

    click(&mut h, "History of this session");
    assert!(
        h.query_by_role_and_label(egui::Role::Heading, "History of this session")
            .is_some()
    );
    let newer = h.get_by_label_contains(&format!("Ada · {day_two}")).rect();
    let older = h.get_by_label_contains(&format!("Ada · {day_one}")).rect();
    assert!(newer.top() < older.top(), "newest first");
    assert!(
        h.query_by_label_contains("typing").is_some(),
        "what was done"
    );

    type_into(&mut h, "As of (a day, or a day and a time)", &day_one);
    click(&mut h, "Show it as it was");
    let banner = format!("As it was on {day_one} 23:59 — read only");
    assert!(h.query_by_label_contains(&banner).is_some(), "{banner}");
    assert!(h.query_by_label("First draft.").is_some());
    assert!(
        h.query_by_label_contains("day two").is_none(),
        "not yet then"
    );
    assert!(
        h.query_by_label(editor).is_none(),
        "nothing to edit in the past"
    );

    click(&mut h, "Back to now");
    let now = h.get_by_label(editor).value().unwrap();
    assert_eq!(now, "First draft. More on day two.");

    // A moment that is not one says so.
    click(&mut h, "History of this session");
    type_into(&mut h, "As of (a day, or a day and a time)", " tomorrow");
    click(&mut h, "Show it as it was");
    let said = h.state().notices.texts().join("\n");
    assert!(said.contains("is not a moment"), "{said}");
    h.state_mut().close();
}
