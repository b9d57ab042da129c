//! The app under egui_kittest for the integration tests: a harness over a real engine on a
//! home, and the member's gestures by accessible name.
#![allow(dead_code, clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::time::{Duration, Instant};
use stones_app::StonesApp;
use stones_app::state::State;

/// The app under test.
pub type H = Harness<'static, StonesApp>;

/// The app on `home`, each frame running logic then drawing, as eframe does.
pub fn harness(home: &std::path::Path, state: State) -> Harness<'static, StonesApp> {
    let app = StonesApp::open(home, state, egui::Context::default());
    Harness::builder()
        .with_size([1300.0, 1000.0])
        .build_ui_state(
            |ui, app: &mut StonesApp| {
                app.logic_step(ui.ctx());
                app.root_ui(ui);
            },
            app,
        )
}

/// Focuses the field named `label` and types `text` into it.
pub fn type_into(h: &mut Harness<'_, StonesApp>, label: &str, text: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Clicks the control named `label` (scrolled into view first, as a member would).
pub fn click(h: &mut Harness<'_, StonesApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// Steps the app until `done` holds (the network answers in its own time; 60 s at most).
pub fn step_until(h: &mut H, what: &str, mut done: impl FnMut(&mut H) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(h) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run();
}

/// Steps two apps in turn until `done` holds for the pair (60 s at most).
pub fn step_both_until(a: &mut H, b: &mut H, what: &str, mut done: impl FnMut(&H, &H) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(a, b) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        a.step();
        b.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    a.run();
    b.run();
}

/// Waits, without an app to step, until `done` holds (60 s at most).
pub fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Opens the invite window, makes an invite there and returns its ticket as shown.
pub fn make_invite(h: &mut H) -> String {
    click(h, "Invite");
    click(h, "Make an invite");
    h.run();
    let rt = h.state().rt.as_ref().unwrap();
    rt.invite.clone().expect("an invite on screen").ticket
}

/// Ada, the founding convener most tests start with.
pub fn ada() -> stones_store::NewMember {
    stones_store::NewMember {
        name: "Ada".into(),
        sector: "NHS".into(),
        role: "convener".into(),
    }
}

/// A home whose device chose loopback before (the app's own choices are off, lan, internet;
/// tests stay on 127.0.0.1).
pub fn loopback_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let store = stones_store::Store::open_or_create(home.path()).unwrap();
    stones_sync::net::NetConfig::resolve(&store, Some("loopback"), None).unwrap();
    home
}

/// What the editor named `label` shows now, if it is on screen.
pub fn editor_text(h: &H, label: &str) -> Option<String> {
    h.query_by_label(label).and_then(|n| n.value())
}

/// Two apps on loopback homes: Ada founds a notebook, opens a weekly hour and starts a
/// reflection titled `title`, then invites Bea, who joins from her app; returns once the
/// reflection's editor is on Bea's screen. The homes live as long as the first value.
pub fn reflection_shared_by_two_apps(
    title: &str,
) -> ((tempfile::TempDir, tempfile::TempDir), H, H) {
    let (a_home, b_home) = (loopback_home(), loopback_home());
    let mut a = harness(a_home.path(), State::default());
    a.run();
    type_into(&mut a, "Notebook title", "Stewards");
    type_into(&mut a, "Your name", "Ada");
    type_into(&mut a, "Your sector", "NHS");
    click(&mut a, "Create the notebook");
    click(&mut a, "New weekly hour");
    type_into(&mut a, "New reflection's title", title);
    click(&mut a, "Start a reflection");
    let ticket = make_invite(&mut a);

    let mut b = harness(b_home.path(), State::default());
    b.run();
    type_into(&mut b, "Invite ticket", &ticket);
    type_into(&mut b, "Your name", "Bea");
    type_into(&mut b, "Your sector", "Council");
    b.get_by_label("Join").click();
    b.step(); // a spinner turns while the notebook arrives: step, do not settle
    let editor = format!("Reflection: {title}");
    step_both_until(&mut a, &mut b, "the notebook to reach Bea", |_, b| {
        editor_text(b, &editor).is_some()
    });
    ((a_home, b_home), a, b)
}
