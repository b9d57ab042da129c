//! A conflict made by two engines offline, resolved in the app: Ada and Bea, both members,
//! retitle the same session while apart; when they meet (real iroh QUIC on loopback) Ada's
//! app marks the session's title, shows both values side by side with who set each, and
//! keeps Bea's; then neither device holds the conflict any more, and both show that title.
#![allow(clippy::unwrap_used)]

mod common;

use common::{harness, step_until, until};
use egui_kittest::kittest::Queryable;
use stones_app::state::State;
use stones_doc::{EntryId, NewSession, NotebookId, SessionKind};
use stones_store::Store;
use stones_sync::Engine;
use stones_sync::net::{NetConfig, NetMode};

fn retitle(e: &Engine, nb: NotebookId, s: EntryId, title: &str) {
    let entry = NewSession {
        date: "2026-11-21".parse().unwrap(),
        kind: SessionKind::Monthly,
        title: title.into(),
        convener: None,
    };
    e.update_session(nb, s, &entry).unwrap();
}

#[test]
fn a_conflict_made_offline_is_shown_side_by_side_and_one_value_kept_everywhere() {
    let (a_home, b_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let loopback = NetConfig::new(NetMode::Loopback, None);
    let (nb, s) = {
        let a = Engine::start(a_home.path(), &loopback).unwrap();
        let ada = common::ada();
        let nb = a.create_notebook("Stewards", "", &ada).unwrap();
        let day = NewSession {
            date: "2026-11-21".parse().unwrap(),
            kind: SessionKind::Monthly,
            title: "Day".into(),
            convener: None,
        };
        let s = a.new_session(nb, &day, "How are you arriving?").unwrap();
        let ticket = a
            .create_invite(nb, a.addr().unwrap(), 1, 3_600_000)
            .unwrap();
        let b = Engine::start(b_home.path(), &loopback).unwrap();
        b.join(&ticket, "Bea", "council").unwrap();
        until("Bea to hold the session", || {
            b.view(nb).is_ok_and(|v| v.session(s).is_some()) && b.session(nb, s).is_ok()
        });
        // Apart, each retitles the session.
        a.stop_network();
        b.stop_network();
        retitle(&a, nb, s, "Spring day");
        retitle(&b, nb, s, "Spring gathering");
        a.commit_pending().unwrap();
        b.commit_pending().unwrap();
        a.shutdown();
        b.shutdown();
        (nb, s)
    };
    // This device chose loopback before: the app starts its network on opening.
    NetConfig::resolve(
        &Store::open_or_create(a_home.path()).unwrap(),
        Some("loopback"),
        None,
    )
    .unwrap();
    let b = Engine::start(b_home.path(), &loopback).unwrap();
    let mut h = harness(a_home.path(), State::default());
    h.run();

    let marker = "Conflict: 2 values were written at the same time for the title of session";
    step_until(&mut h, "the conflict to reach the app", |h| {
        h.query_by_label_contains(marker).is_some()
    });
    h.get_by_label_contains(marker).click();
    h.run();
    let ada = h.get_by_label("Keep “Spring day”, set by Ada").rect();
    let bea = h.get_by_label("Keep “Spring gathering”, set by Bea").rect();
    assert!(
        ada.right() <= bea.left() || bea.right() <= ada.left(),
        "side by side"
    );
    assert!(
        h.query_by_label_contains("1 conflict(s) to choose")
            .is_some(),
        "the top bar counts it"
    );

    h.get_by_label("Keep “Spring gathering”, set by Bea")
        .click();
    h.run();
    assert!(
        h.query_by_label_contains(marker).is_none(),
        "chosen here at once"
    );
    let title = |e: &Engine| e.view(nb).unwrap().session(s).unwrap().title.clone();
    let rt = h.state().rt.as_ref().unwrap();
    assert_eq!(title(&rt.engine), "Spring gathering");
    step_until(&mut h, "the choice to reach Bea", |_| {
        b.conflicts(nb).unwrap().found.is_empty() && title(&b) == "Spring gathering"
    });
    assert!(h.state().rt.as_ref().unwrap().conflicts.is_empty());
    h.state_mut().close();
    b.shutdown();
}
