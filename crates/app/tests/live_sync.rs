//! The app joined to a real peer over QUIC on loopback: a second engine founds the notebook
//! and invites; the app joins with the ticket through its first-run form and the notebook
//! arrives. Then both co-write one reflection live: the peer types before the app's caret,
//! and the app's next keystroke lands where its caret was. A `stones` command on the app's
//! own home writes a check-in turn, and the app shows it. The app makes an invite.
#![allow(clippy::unwrap_used)]

mod common;

use common::{H, harness, make_invite, step_until, type_into, until};
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use stones_app::state::State;
use stones_doc::{NewSession, Scope, SessionKind, TextField};
use stones_store::{NewMember, Store, Target};
use stones_sync::Engine;
use stones_sync::net::{NetConfig, NetMode};

fn stones_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let path = dir.join(format!("stones{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: cargo build -p stones-cli",
        path.display()
    );
    path
}

fn stones(home: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(stones_bin())
        .args(args)
        .env("STONES_HOME", home)
        .env("STONES_NET", "loopback")
        .env_remove("STONES_NOTEBOOK")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stones {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_app_joins_a_peer_and_co_writes_a_reflection_live_keeping_its_caret() {
    let (a_home, b_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let loopback = NetConfig::new(NetMode::Loopback, None);
    let a = Engine::start(a_home.path(), &loopback).unwrap();
    let founder = NewMember {
        name: "Ada".into(),
        sector: "NHS".into(),
        role: "convener".into(),
    };
    let nb = a.create_notebook("Stewards", "", &founder).unwrap();
    let week = NewSession {
        date: "2026-11-26".parse().unwrap(),
        kind: SessionKind::Weekly,
        title: "First".into(),
        convener: None,
    };
    let s = a.new_session(nb, &week, "How are you arriving?").unwrap();
    let r = a.add_reflection(nb, s, "Draft", "", Scope::Group).unwrap();
    let ticket = a
        .create_invite(nb, a.addr().unwrap(), 1, 3_600_000)
        .unwrap();

    // This device chose loopback before (the app's own choices are off, lan, internet).
    NetConfig::resolve(
        &Store::open_or_create(b_home.path()).unwrap(),
        Some("loopback"),
        None,
    )
    .unwrap();
    let mut h = harness(b_home.path(), State::default());
    h.run();
    type_into(&mut h, "Invite ticket", &ticket.to_text());
    type_into(&mut h, "Your name", "Bea");
    h.get_by_label("Join").click();
    h.step(); // a spinner turns while the notebook arrives: step, do not settle

    step_until(&mut h, "the notebook to arrive", |h| {
        let rt = h.state().rt.as_ref().unwrap();
        matches!(&rt.session, Some((id, Some(v))) if *id == s && !v.reflections.is_empty())
    });
    step_until(&mut h, "caught up with Ada", |h| {
        h.query_by_label_contains("Ada: caught up").is_some()
    });

    // The app types, then moves its caret back two characters.
    let editor = "Reflection: Draft";
    h.get_by_label(editor).focus();
    h.run();
    h.get_by_label(editor).type_text("world");
    h.run();
    h.key_press(egui::Key::ArrowLeft);
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    let body = |e: &Engine| e.session(nb, s).unwrap().reflections[0].body.clone();
    until("Ada to see the app's typing", || body(&a) == "world");

    // Ada types before the caret; the app's caret stays between "wor" and "ld".
    a.type_text(
        nb,
        Target::Session(s),
        TextField::Reflection(r),
        0,
        0,
        "Hello ",
    )
    .unwrap();
    let app_body = |h: &H| {
        let rt = h.state().rt.as_ref().unwrap();
        body(&rt.engine)
    };
    step_until(&mut h, "Ada's typing to reach the app", |h| {
        app_body(h) == "Hello world"
    });
    h.get_by_label(editor).type_text("X");
    h.run();
    assert_eq!(app_body(&h), "Hello worXld");
    until("Ada to see the keystroke", || body(&a) == "Hello worXld");

    // A `stones` command on the app's own home, while the app runs.
    stones(
        b_home.path(),
        &["checkin", &s.to_hex(), "--text", "From the command line"],
    );
    step_until(&mut h, "the command's turn in the app", |h| {
        h.query_by_label("From the command line").is_some()
    });
    // An invite from the app: its ticket names this notebook, drawn as a QR code too.
    let shown = make_invite(&mut h);
    let parsed = stones_sync::invite::InviteTicket::parse(&shown).unwrap();
    assert_eq!(parsed.notebook, nb);
    assert!(h.query_by_label("QR code of the invite ticket").is_some());

    h.state_mut().close();
    a.shutdown();
}
