//! The engine: edits and reads in mode `off` (no endpoint at all), live typing between two
//! engines over real iroh loopback on a simulated clock that never lets the coarse policy's
//! pause or run limit fire, and the caught-up state in each of its states.
#![allow(clippy::unwrap_used)]

mod common;

use common::wait_for;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use stones_doc::{Date, NewSession, Scope, SessionKind, TextField};
use stones_store::{NewMember, Target};
use stones_sync::engine::{Clock, EngineOptions};
use stones_sync::invite::InviteTicket;
use stones_sync::net::{NetConfig, NetMode};
use stones_sync::{Engine, EngineEvent, SyncState};
use tempfile::TempDir;

fn founder(name: &str) -> NewMember {
    NewMember {
        name: name.into(),
        ..NewMember::default()
    }
}

fn week() -> NewSession {
    NewSession {
        date: "2026-12-01".parse::<Date>().unwrap(),
        kind: SessionKind::Weekly,
        title: "Tuesday".into(),
        convener: None,
    }
}

/// A clock that moves only when the test says so.
fn manual_clock(start: u64) -> (Arc<AtomicU64>, Clock) {
    let now = Arc::new(AtomicU64::new(start));
    let read = now.clone();
    (now, Arc::new(move || read.load(Ordering::SeqCst)))
}

#[test]
fn an_engine_in_mode_off_edits_reads_and_keeps_its_words() {
    let home = TempDir::new().unwrap();
    let engine = Engine::open_or_create(home.path()).unwrap();
    let nb = engine
        .create_notebook("Stewards", "Practising togetherness", &founder("Ana"))
        .unwrap();
    assert_eq!(engine.sync_state(nb), SyncState::Offline);
    assert!(engine.addr().is_none(), "no endpoint in mode off");
    let session = engine
        .new_session(nb, &week(), "What weather are you today?")
        .unwrap();
    let r = engine
        .edit_session(nb, session, "add reflection", |s, ctx| {
            s.add_reflection("Noticed", "", Scope::Export, ctx.me, ctx.now_ms)
        })
        .unwrap();
    let field = TextField::Reflection(r);
    engine
        .type_text(
            nb,
            Target::Session(session),
            field,
            0,
            0,
            "Relationships are the work",
        )
        .unwrap();
    // Views are shared: the same Arc until the document changes.
    let v1 = engine.session(nb, session).unwrap();
    let v2 = engine.session(nb, session).unwrap();
    assert!(Arc::ptr_eq(&v1, &v2));
    assert_eq!(v1.reflections[0].body, "Relationships are the work");
    engine
        .type_text(nb, Target::Session(session), field, 0, 0, "≈ ")
        .unwrap();
    let v3 = engine.session(nb, session).unwrap();
    assert_eq!(v3.reflections[0].body, "≈ Relationships are the work");
    assert!(engine.has_pending());
    engine.shutdown();
    drop(engine);
    // Another engine on the same home reads every word.
    let again = Engine::open(home.path()).unwrap();
    let v = again.session(nb, session).unwrap();
    assert_eq!(v.reflections[0].body, "≈ Relationships are the work");
    assert_eq!(again.view(nb).unwrap().title, "Stewards");
}

#[test]
fn a_cursor_keeps_its_place_when_text_lands_before_it() {
    let home = TempDir::new().unwrap();
    let engine = Engine::open_or_create(home.path()).unwrap();
    let nb = engine.create_notebook("G", "", &founder("Ana")).unwrap();
    let s = engine.new_session(nb, &week(), "").unwrap();
    let t = Target::Session(s);
    engine
        .type_text(nb, t, TextField::Notes, 0, 0, "world")
        .unwrap();
    // The caret between "wo" and "rld".
    let caret = engine.cursor(nb, t, TextField::Notes, 2).unwrap();
    engine
        .type_text(nb, t, TextField::Notes, 0, 0, "hello ")
        .unwrap();
    assert_eq!(
        engine
            .cursor_position(nb, t, TextField::Notes, &caret)
            .unwrap(),
        8
    );
}

/// Two member devices, A (the founder) and B (joined with an invite), both on loopback,
/// A's commit policy on a clock that only moves when the test moves it.
fn two_connected_engines(
    clock: Clock,
) -> (TempDir, TempDir, Engine, Engine, stones_doc::NotebookId) {
    let (a_home, b_home) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let cfg = NetConfig::new(NetMode::Loopback, None);
    let a = Engine::open_with(a_home.path(), EngineOptions { clock: Some(clock) }).unwrap();
    let nb = a.create_notebook("Stewards", "", &founder("Ana")).unwrap();
    a.new_session(nb, &week(), "").unwrap();
    a.start_network(&cfg).unwrap();
    assert_eq!(
        a.sync_state(nb),
        SyncState::Alone,
        "network on, nobody there"
    );
    let ticket: InviteTicket = a
        .create_invite(nb, a.addr().unwrap(), 1, 3_600_000)
        .unwrap();
    let b = Engine::start(b_home.path(), &cfg).unwrap();
    let events = b.subscribe();
    b.join(&ticket, "Bea", "council").unwrap();
    wait_for("b joins", || {
        events
            .try_iter()
            .any(|e| matches!(e, EngineEvent::Joined { .. }))
    });
    wait_for("both caught up", || {
        a.sync_state(nb) == SyncState::CaughtUp && b.sync_state(nb) == SyncState::CaughtUp
    });
    (a_home, b_home, a, b, nb)
}

#[test]
fn continuous_typing_reaches_the_peer_before_any_coarse_commit_could_fire() {
    let (now, clock) = manual_clock(1_000_000);
    let (_ah, _bh, a, b, nb) = two_connected_engines(clock);
    let session = a.view(nb).unwrap().sessions[0].id;
    let t = Target::Session(session);
    assert!(a.is_live(nb), "a peer shares the notebook");
    // A types a key every 150 ms of its clock, never pausing: the coarse policy would
    // commit only after a 2 s pause or 10 s of typing; 30 keys take 4.5 s and never pause.
    let text = "relationships are the work!!!";
    for (i, ch) in text.chars().enumerate() {
        a.type_text(nb, t, TextField::Notes, i, 0, &ch.to_string())
            .unwrap();
        now.fetch_add(150, Ordering::SeqCst);
        a.nudge();
        let want: String = text.chars().take(i + 1).collect();
        wait_for("the key on b", || {
            b.session(nb, session).is_ok_and(|v| v.notes == want)
        });
        // Typing committed, peer has it: caught up both ways.
        wait_for("a caught up", || a.sync_state(nb) == SyncState::CaughtUp);
    }
    // While typing waits uncommitted, A is not caught up.
    a.type_text(nb, t, TextField::Notes, 0, 0, "~").unwrap();
    assert!(matches!(a.sync_state(nb), SyncState::Syncing { .. }));
    now.fetch_add(150, Ordering::SeqCst);
    a.nudge();
    wait_for("caught up again", || {
        a.sync_state(nb) == SyncState::CaughtUp
    });
    b.shutdown();
    wait_for("a alone", || a.sync_state(nb) == SyncState::Alone);
    assert!(!a.is_live(nb));
    a.shutdown();
}

#[test]
fn without_a_peer_typing_waits_for_the_coarse_policy() {
    let (now, clock) = manual_clock(5_000_000);
    let home = TempDir::new().unwrap();
    let a = Engine::open_with(home.path(), EngineOptions { clock: Some(clock) }).unwrap();
    let nb = a.create_notebook("G", "", &founder("Ana")).unwrap();
    let s = a.new_session(nb, &week(), "").unwrap();
    a.type_text(nb, Target::Session(s), TextField::Notes, 0, 0, "k")
        .unwrap();
    now.fetch_add(150, Ordering::SeqCst);
    a.nudge();
    std::thread::sleep(Duration::from_millis(100));
    assert!(a.has_pending(), "no live peer: no commit after 150 ms");
    now.fetch_add(2_000, Ordering::SeqCst);
    a.nudge();
    wait_for("the pause commits", || !a.has_pending());
}
