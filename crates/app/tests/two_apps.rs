//! Two apps in one test process, each on its own home and engine, connected over real iroh
//! QUIC on loopback: Ada founds a notebook in her app and makes an invite there; Bea pastes
//! the ticket into hers and the notebook arrives. Ada types a reflection in pieces and each
//! piece shows in Bea's editor while Ada is still typing; Bea adds a word and both pages say
//! who wrote how much; both top bars then say they are
//! caught up with the other by name; when Bea's app closes, Ada's says nobody is there.
#![allow(clippy::unwrap_used)]

mod common;

use common::{H, click, harness, make_invite, step_both_until, type_into};
use egui_kittest::kittest::Queryable;
use stones_app::state::State;
use stones_store::Store;
use stones_sync::net::NetConfig;

/// A home whose device chose loopback before (the app's own choices are off, lan, internet;
/// tests stay on 127.0.0.1).
fn loopback_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(home.path()).unwrap();
    NetConfig::resolve(&store, Some("loopback"), None).unwrap();
    home
}

/// What the editor named `label` shows now, if it is on screen.
fn editor_text(h: &H, label: &str) -> Option<String> {
    h.query_by_label(label).and_then(|n| n.value())
}

#[test]
fn two_apps_co_write_live_and_say_who_is_there() {
    let (a_home, b_home) = (loopback_home(), loopback_home());
    let mut a = harness(a_home.path(), State::default());
    a.run();
    type_into(&mut a, "Notebook title", "Stewards");
    type_into(&mut a, "Your name", "Ada");
    type_into(&mut a, "Your sector", "NHS");
    click(&mut a, "Create the notebook");
    click(&mut a, "New weekly hour");
    type_into(&mut a, "New reflection's title", "Draft");
    click(&mut a, "Start a reflection");
    let ticket = make_invite(&mut a);

    let mut b = harness(b_home.path(), State::default());
    b.run();
    type_into(&mut b, "Invite ticket", &ticket);
    type_into(&mut b, "Your name", "Bea");
    type_into(&mut b, "Your sector", "Council");
    b.get_by_label("Join").click();
    b.step(); // a spinner turns while the notebook arrives: step, do not settle
    let editor = "Reflection: Draft";
    step_both_until(&mut a, &mut b, "the notebook to reach Bea", |_, b| {
        editor_text(b, editor).is_some()
    });

    // Ada types in pieces; Bea sees each piece before the next one is typed.
    a.get_by_label(editor).focus();
    a.run();
    let mut typed = String::new();
    for piece in ["Trust ", "grows ", "slowly."] {
        a.get_by_label(editor).type_text(piece);
        a.run();
        typed.push_str(piece);
        step_both_until(&mut a, &mut b, &format!("Bea to see {typed:?}"), |_, b| {
            editor_text(b, editor).as_deref() == Some(typed.as_str())
        });
    }

    // Bea adds a word at the end; both pages then say who wrote the reflection.
    b.get_by_label(editor).focus();
    b.run();
    b.key_press(egui::Key::End);
    b.get_by_label(editor).type_text(" Together");
    b.run();
    let who = "Started by Ada; written by Ada (3 words), Bea (1 word)";
    step_both_until(&mut a, &mut b, "both pages to say who wrote it", |a, b| {
        a.query_by_label(who).is_some() && b.query_by_label(who).is_some()
    });

    step_both_until(&mut a, &mut b, "both to say caught up", |a, b| {
        a.query_by_label("Bea: caught up").is_some()
            && b.query_by_label("Ada: caught up").is_some()
            && a.query_by_label("Caught up with 1").is_some()
            && b.query_by_label("Caught up with 1").is_some()
    });

    // Bea's app closes: Ada's top bar no longer claims anyone is caught up.
    b.state_mut().close();
    drop(b);
    common::step_until(&mut a, "Ada to see that Bea has gone", |a| {
        a.query_by_label("Nobody else is connected").is_some()
    });
    assert!(a.query_by_label("Bea: caught up").is_none());
    assert!(a.query_by_label_contains("Caught up with").is_none());
    a.state_mut().close();
}
