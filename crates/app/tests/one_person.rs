//! One person, one member, and words kept, in the app (egui_kittest on a real engine): a name
//! the group has already is refused next to the form with the way out; a member without a
//! device is invited to their own device and the invite says it is theirs; a turn typed but
//! not recorded is still there after the app is gone without a word (never in the notebook
//! until recorded); off the record is still said after a restart; two entries for one person
//! made on two devices apart are merged from the member list.
#![allow(clippy::unwrap_used)]

mod common;

use common::{ada, click, harness, step_until, type_into, until};
use egui_kittest::kittest::Queryable;
use stones_app::state::State;
use stones_doc::{Date, NewSession, SessionKind};
use stones_store::{NewMember, Store};
use stones_sync::Engine;
use stones_sync::net::{NetConfig, NetMode};

/// A notebook founded by Ada, with Ben added (no device) and one weekly session.
fn notebook_with_ben(home: &std::path::Path) {
    let engine = Engine::open_or_create(home).unwrap();
    NetConfig::resolve(&engine.store(), Some("loopback"), None).unwrap();
    let nb = engine.create_notebook("Stewards", "", &ada()).unwrap();
    let ben = NewMember {
        name: "Ben".into(),
        sector: "charity".into(),
        role: String::new(),
    };
    engine.add_member(nb, &ben).unwrap();
    let s = NewSession {
        date: "2026-12-01".parse::<Date>().unwrap(),
        kind: SessionKind::Weekly,
        title: "Tuesday".into(),
        convener: None,
    };
    engine.new_session(nb, &s, "What weather are you?").unwrap();
}

#[test]
fn names_invites_drafts_and_off_the_record_keep_one_person_and_their_words() {
    let home = tempfile::tempdir().unwrap();
    notebook_with_ben(home.path());
    let mut h = harness(home.path(), State::default());
    h.run();

    // The same name again: refused, saying how else to reach that person.
    type_into(&mut h, "New member's name", "ben");
    click(&mut h, "Add member");
    assert!(
        h.query_by_label_contains("there is already a member called Ben")
            .is_some()
    );
    let engine = h.state().rt.as_ref().unwrap().engine.clone();
    let nb = h.state().rt.as_ref().unwrap().notebook.unwrap();
    assert_eq!(engine.view(nb).unwrap().members.len(), 2);

    // Ben has no device: an invite made for him says it is his.
    click(&mut h, "Invite Ben to their own device");
    let shown = h.state().rt.as_ref().unwrap().invite.clone().unwrap();
    assert_eq!(shown.for_name.as_deref(), Some("Ben"));
    let ticket = stones_sync::invite::InviteTicket::parse(&shown.ticket).unwrap();
    assert_eq!(ticket.for_name.as_deref(), Some("Ben"));
    assert!(h.query_by_label_contains("For Ben's own device").is_some());

    // Half a turn typed, then the app is gone without recording it.
    type_into(&mut h, "What Ada said", "Half a thought about");
    click(&mut h, "Ben speaks off the record");
    drop(h);
    drop(engine);

    let mut h = harness(home.path(), State::default());
    h.run();
    let field = h.get_by_label("What Ada said");
    assert_eq!(field.value().as_deref(), Some("Half a thought about"));
    assert!(
        h.query_by_label_contains("Ben spoke off the record")
            .is_some(),
        "off the record is still said after a restart"
    );
    let engine = h.state().rt.as_ref().unwrap().engine.clone();
    let (session, _) = h.state().rt.as_ref().unwrap().session.clone().unwrap();
    let view = engine.session(nb, session).unwrap();
    assert!(
        view.turns.iter().all(|t| t.text.is_empty()),
        "a draft is in no document"
    );
    // Recorded: the words go into the notebook, and the draft goes.
    click(&mut h, "Record Ada's turn");
    let view = engine.session(nb, session).unwrap();
    assert!(view.turns.iter().any(|t| t.text == "Half a thought about"));
    assert!(engine.turn_drafts(nb, session).unwrap().is_empty());
    h.state_mut().close();
}

#[test]
fn two_entries_for_one_person_are_merged_from_the_member_list() {
    let (a_home, b_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let loopback = NetConfig::new(NetMode::Loopback, None);
    let nb = {
        let a = Engine::start(a_home.path(), &loopback).unwrap();
        let nb = a.create_notebook("Stewards", "", &ada()).unwrap();
        let ticket = a
            .create_invite(nb, a.addr().unwrap(), 1, 3_600_000)
            .unwrap();
        let b = Engine::start(b_home.path(), &loopback).unwrap();
        b.join(&ticket, "Bea", "council").unwrap();
        until("Bea to hold the notebook", || {
            b.view(nb).is_ok_and(|v| v.members.len() == 2)
        });
        // Apart, each adds Cy: neither can know of the other's entry.
        a.stop_network();
        b.stop_network();
        let cy = NewMember {
            name: "Cy".into(),
            sector: "funder".into(),
            role: String::new(),
        };
        a.add_member(nb, &cy).unwrap();
        b.add_member(nb, &cy).unwrap();
        a.shutdown();
        b.shutdown();
        nb
    };
    NetConfig::resolve(
        &Store::open_or_create(a_home.path()).unwrap(),
        Some("loopback"),
        None,
    )
    .unwrap();
    let b = Engine::start(b_home.path(), &loopback).unwrap();
    let mut h = harness(a_home.path(), State::default());
    h.run();
    step_until(&mut h, "Bea's Cy to reach Ada's app", |h| {
        h.query_by_label("Merge this Cy into the other").is_some()
    });
    click(&mut h, "Merge this Cy into the other");
    click(&mut h, "Yes, they are one Cy");
    let engine = h.state().rt.as_ref().unwrap().engine.clone();
    let cys = |e: &Engine| {
        e.view(nb)
            .unwrap()
            .members
            .iter()
            .filter(|m| m.name == "Cy")
            .count()
    };
    assert_eq!(cys(&engine), 1);
    step_until(&mut h, "the merge to reach Bea", |_| cys(&b) == 1);
    assert!(h.query_by_label("Merge this Cy into the other").is_none());
    h.state_mut().close();
    b.shutdown();
}
