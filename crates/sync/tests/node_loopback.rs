//! Nodes over real iroh on 127.0.0.1: invite and join, live sync of edits made by another
//! process-like store handle on the serving home, and strangers turned away with nothing.
#![allow(clippy::unwrap_used)]

mod common;

use common::wait_for;

use iroh::endpoint::presets;
use std::path::Path;
use std::time::Duration;
use stones_doc::{Date, NewSession, SessionKind};
use stones_store::{NewMember, Notebook, Store};
use stones_sync::Engine;
use stones_sync::invite::{InviteTicket, create_invite};
use stones_sync::net::{NetConfig, NetMode, SYNC_ALPN};
use stones_sync::wire::{Msg, frame};
use tempfile::TempDir;

/// Long enough for any answer on a loaded machine; the tests wait on events, not on this.
const PATIENT: Duration = Duration::from_secs(60);

fn loopback() -> NetConfig {
    NetConfig::new(NetMode::Loopback, None)
}

fn found(home: &Path, title: &str, name: &str) -> stones_doc::NotebookId {
    let store = std::sync::Arc::new(Store::open_or_create(home).unwrap());
    let nb = Notebook::create(
        &store,
        title,
        "",
        &NewMember {
            name: name.into(),
            ..NewMember::default()
        },
    )
    .unwrap();
    nb.id()
}

fn invite(home: &Path, node: &Engine, uses: u32, valid_ms: i64) -> InviteTicket {
    let store = std::sync::Arc::new(Store::open(home).unwrap());
    let id = Notebook::list(&store).unwrap()[0].0;
    let mut nb = Notebook::open(&store, id).unwrap();
    create_invite(&mut nb, node.addr().unwrap(), uses, valid_ms, None).unwrap()
}

fn add_session(home: &Path, title: &str) {
    let store = std::sync::Arc::new(Store::open(home).unwrap());
    let id = Notebook::list(&store).unwrap()[0].0;
    let mut nb = Notebook::open(&store, id).unwrap();
    let s = NewSession {
        date: "2026-11-26".parse::<Date>().unwrap(),
        kind: SessionKind::Weekly,
        title: title.into(),
        convener: None,
    };
    nb.new_session(&s, "How are you arriving?").unwrap();
}

fn session_titles(home: &Path) -> Vec<String> {
    let Ok(store) = Store::open(home).map(std::sync::Arc::new) else {
        return Vec::new();
    };
    let Some((id, _)) = Notebook::list(&store).unwrap().into_iter().next() else {
        return Vec::new();
    };
    let nb = Notebook::open(&store, id).unwrap();
    nb.view().sessions.iter().map(|s| s.title.clone()).collect()
}

#[test]
fn invite_join_then_live_edits_flow_both_ways() {
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let nb = found(a.path(), "Stewards", "Ada");
    let node_a = Engine::start(a.path(), &loopback()).unwrap();
    let ticket = invite(a.path(), &node_a, 1, 3_600_000);
    assert!(ticket.to_text().starts_with("stones"));
    let parsed = InviteTicket::parse(&ticket.to_text()).unwrap();
    assert_eq!(parsed, ticket);

    let node_b = Engine::start(b.path(), &loopback()).unwrap();
    node_b.join(&parsed, "Bea", "council").unwrap();
    wait_for("b caught up with a", || {
        let s = node_b.status();
        !s.peers.is_empty() && s.room_caught_up()
    });
    let store_b = std::sync::Arc::new(Store::open(b.path()).unwrap());
    let view = Notebook::open(&store_b, nb).unwrap().view();
    assert_eq!(view.title, "Stewards");
    assert!(
        view.members
            .iter()
            .any(|m| m.name == "Bea" && m.sector == "council")
    );
    drop(store_b);

    // An edit made through A's engine reaches B at once; B's engine says so with an event.
    let events_b = node_b.subscribe();
    {
        let s = NewSession {
            date: "2026-11-27".parse::<Date>().unwrap(),
            kind: SessionKind::Monthly,
            title: "nudged".into(),
            convener: None,
        };
        node_a.new_session(nb, &s, "").unwrap();
    }
    wait_for("nudged session reaches b", || {
        session_titles(b.path()).contains(&"nudged".to_string())
    });
    assert!(events_b.try_iter().any(|e| matches!(
        e,
        stones_sync::EngineEvent::DocChanged {
            by: stones_sync::engine::ChangeSource::Peer(_),
            ..
        }
    )));
    // An edit committed by another store handle on A's home reaches B with no command.
    add_session(a.path(), "first meeting");
    wait_for("session reaches b", || {
        session_titles(b.path()).contains(&"first meeting".to_string())
    });
    // And one made on B's home reaches A.
    add_session(b.path(), "b's meeting");
    wait_for("session reaches a", || {
        session_titles(a.path()).contains(&"b's meeting".to_string())
    });

    // The invite had one use: a second device cannot join with it.
    let c = TempDir::new().unwrap();
    let node_c = Engine::start(c.path(), &loopback()).unwrap();
    let err = node_c
        .join_and_wait(&parsed, &stones_sync::Joiner::new("Cy", ""), PATIENT)
        .unwrap_err()
        .to_string();
    assert!(err.contains("used up"), "{err}");
    node_c.shutdown();
    node_b.shutdown();
    node_a.shutdown();
}

#[test]
fn forged_and_expired_invites_are_refused() {
    let a = TempDir::new().unwrap();
    found(a.path(), "Stewards", "Ada");
    let node_a = Engine::start(a.path(), &loopback()).unwrap();
    let good = invite(a.path(), &node_a, 5, 3_600_000);
    let expired = invite(a.path(), &node_a, 5, -1);
    let b = TempDir::new().unwrap();
    let node_b = Engine::start(b.path(), &loopback()).unwrap();
    let mut forged = good.clone();
    forged.secret[0] ^= 1;
    let e = node_b
        .join_and_wait(&forged, &stones_sync::Joiner::new("Mallory", ""), PATIENT)
        .unwrap_err()
        .to_string();
    assert!(e.contains("forged"), "{e}");
    let e = node_b
        .join_and_wait(&expired, &stones_sync::Joiner::new("Late", ""), PATIENT)
        .unwrap_err()
        .to_string();
    assert!(e.contains("expired"), "{e}");
    assert!(session_titles(b.path()).is_empty());
    assert!(
        Notebook::list(&std::sync::Arc::new(Store::open(b.path()).unwrap()))
            .unwrap()
            .is_empty()
    );
    node_b.shutdown();
    node_a.shutdown();
}

/// Dials `addr` on the sync ALPN with `secret` (fresh if none); (bytes received, close reason).
fn probe(addr: iroh::EndpointAddr, secret: Option<[u8; 32]>) -> (usize, String) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut builder = iroh::Endpoint::builder(presets::Minimal)
            .relay_mode(iroh::RelayMode::Disabled)
            .clear_ip_transports()
            .bind_addr("127.0.0.1:0")
            .unwrap();
        if let Some(s) = secret {
            builder = builder.secret_key(iroh::SecretKey::from_bytes(&s));
        }
        let ep = builder.bind().await.unwrap();
        let conn = ep.connect(addr, SYNC_ALPN).await.unwrap();
        let mut received = 0usize;
        if let Ok((mut send, mut recv)) = conn.open_bi().await {
            let hello = Msg::Hello {
                protocol: 1,
                notebooks: vec![],
            };
            let _ = send.write_all(&frame(&hello.encode())).await;
            let mut buf = [0u8; 1024];
            while let Ok(Some(n)) = recv.read(&mut buf).await {
                received += n;
            }
        }
        let reason = conn.closed().await.to_string();
        ep.close().await;
        (received, reason)
    })
}

#[test]
fn a_removed_members_device_gets_zero_bytes_and_is_disconnected_at_once() {
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let nb_id = found(a.path(), "Stewards", "Ada");
    let node_a = Engine::start(a.path(), &loopback()).unwrap();
    let ticket = invite(a.path(), &node_a, 1, 3_600_000);
    let node_b = Engine::start(b.path(), &loopback()).unwrap();
    node_b.join(&ticket, "Bea", "").unwrap();
    wait_for("b connected and caught up", || {
        node_b.status().peers.iter().any(|p| p.caught_up)
    });
    let events = node_b.subscribe();
    // Another process on A's home removes Bea: the running node disconnects her device.
    {
        let store = std::sync::Arc::new(Store::open(a.path()).unwrap());
        let mut nb = Notebook::open(&store, nb_id).unwrap();
        let bea = nb
            .view()
            .members
            .iter()
            .find(|m| m.name == "Bea")
            .unwrap()
            .id;
        nb.edit_index("remove member", |idx, ctx| {
            idx.remove_member(bea, ctx.now_ms)
        })
        .unwrap();
    }
    wait_for("b disconnected", || node_b.status().peers.is_empty());
    // Some connection of hers left saying why (another may have closed first for its own
    // reason, a duplicate dial say): wait for that event, not for the first one.
    let mut seen = Vec::new();
    loop {
        match events.recv_timeout(Duration::from_secs(60)) {
            Ok(stones_sync::EngineEvent::PeerLeft { reason, .. }) => {
                if reason.contains("no longer a member device") {
                    break;
                }
                seen.push(reason);
            }
            Ok(_) => {}
            Err(_) => panic!("her device was never told it was removed; it saw {seen:?}"),
        }
    }
    node_b.shutdown();
    add_session(a.path(), "after she left");
    // Her device's key is refused before any stream: zero bytes, a clear reason.
    let secret = std::sync::Arc::new(Store::open(b.path()).unwrap())
        .identity()
        .secret_bytes();
    let (received, reason) = probe(node_a.addr().unwrap(), Some(secret));
    assert_eq!(received, 0);
    assert!(reason.contains("not a member device"), "{reason}");
    assert!(!session_titles(b.path()).contains(&"after she left".to_string()));
    node_a.shutdown();
}

#[test]
fn a_member_of_one_notebook_never_receives_another() {
    let (s, x) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let shared = found(s.path(), "Shared", "Sam");
    let private = found(s.path(), "Private", "Sam");
    let node_s = Engine::start(s.path(), &loopback()).unwrap();
    let ticket = {
        let store = std::sync::Arc::new(Store::open(s.path()).unwrap());
        let mut nb = Notebook::open(&store, shared).unwrap();
        create_invite(&mut nb, node_s.addr().unwrap(), 1, 3_600_000, None).unwrap()
    };
    let node_x = Engine::start(x.path(), &loopback()).unwrap();
    node_x.join(&ticket, "Xan", "").unwrap();
    wait_for("x caught up", || {
        node_x.status().peers.iter().any(|p| p.caught_up)
    });
    node_x.shutdown();
    node_s.shutdown();
    let store_x = std::sync::Arc::new(Store::open(x.path()).unwrap());
    let docs = store_x.db().docs().unwrap();
    assert!(!docs.is_empty());
    assert!(
        docs.iter().all(|(_, nb, _)| *nb == shared),
        "only the shared notebook's documents"
    );
    assert!(docs.iter().all(|(_, nb, _)| *nb != private));
}

#[test]
fn the_port_is_kept_across_restarts_and_moved_only_when_taken() {
    let a = TempDir::new().unwrap();
    found(a.path(), "Stewards", "Ada");
    let port_of = |n: &Engine| n.addr().unwrap().ip_addrs().next().unwrap().port();
    let first = Engine::start(a.path(), &loopback()).unwrap();
    let p1 = port_of(&first);
    // One node per home: a second one (same key) is refused while the first runs.
    let err = Engine::start(a.path(), &loopback())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("already running"), "{err}");
    first.shutdown();
    let second = Engine::start(a.path(), &loopback()).unwrap();
    assert_eq!(port_of(&second), p1, "same port after a restart");
    second.shutdown();
    let squatter = std::net::UdpSocket::bind(("127.0.0.1", p1)).unwrap();
    let third = Engine::start(a.path(), &loopback()).unwrap();
    let p3 = port_of(&third);
    assert_ne!(p3, p1, "a taken port is replaced");
    third.shutdown();
    drop(squatter);
    let fourth = Engine::start(a.path(), &loopback()).unwrap();
    assert_eq!(port_of(&fourth), p3, "the new port is remembered");
    fourth.shutdown();
}

#[test]
fn a_stranger_gets_zero_bytes_and_a_clear_reason() {
    let a = TempDir::new().unwrap();
    found(a.path(), "Stewards", "Ada");
    add_session(a.path(), "private things");
    let node_a = Engine::start(a.path(), &loopback()).unwrap();
    let (received, reason) = probe(node_a.addr().unwrap(), None);
    assert_eq!(received, 0, "a stranger must receive no bytes at all");
    assert!(reason.contains("not a member device"), "{reason}");
    node_a.shutdown();
}

#[test]
fn any_member_device_that_has_the_invite_can_let_the_newcomer_in() {
    let (a, b, c) = (
        TempDir::new().unwrap(),
        TempDir::new().unwrap(),
        TempDir::new().unwrap(),
    );
    let nb_id = found(a.path(), "Stewards", "Ada");
    let node_a = Engine::start(a.path(), &loopback()).unwrap();
    let first = invite(a.path(), &node_a, 1, 3_600_000);
    let node_b = Engine::start(b.path(), &loopback()).unwrap();
    node_b.join(&first, "Bea", "").unwrap();
    wait_for("b caught up", || {
        node_b.status().peers.iter().any(|p| p.caught_up)
    });
    // Ada makes a second invite; it reaches Bea's device live with the index.
    let second = invite(a.path(), &node_a, 1, 3_600_000);
    wait_for("the invite reaches b", || {
        let store = std::sync::Arc::new(Store::open(b.path()).unwrap());
        let view = Notebook::open(&store, nb_id).unwrap().view();
        view.invites.iter().any(|i| i.id == second.invite)
    });
    // Ada's device goes away; Cy redeems the invite with Bea's device instead.
    node_a.shutdown();
    let via_b = InviteTicket {
        addr: node_b.addr().unwrap(),
        ..second
    };
    let node_c = Engine::start(c.path(), &loopback()).unwrap();
    node_c.join(&via_b, "Cy", "charity").unwrap();
    wait_for("c caught up with b", || {
        node_c.status().peers.iter().any(|p| p.caught_up)
    });
    let store_c = std::sync::Arc::new(Store::open(c.path()).unwrap());
    let view = Notebook::open(&store_c, nb_id).unwrap().view();
    let names: Vec<&str> = view.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Ada", "Bea", "Cy"]);
    node_c.shutdown();
    node_b.shutdown();
}

#[test]
fn a_new_device_gets_sessions_whole_and_stores_them_without_replaying_them() {
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let nb = found(a.path(), "Stewards", "Ada");
    for i in 0..4 {
        add_session(a.path(), &format!("week {i}"));
    }
    let node_a = Engine::start(a.path(), &loopback()).unwrap();
    let ticket = invite(a.path(), &node_a, 1, 3_600_000);
    let node_b = Engine::start(b.path(), &loopback()).unwrap();
    node_b.join(&ticket, "Bea", "council").unwrap();
    wait_for("b caught up with a", || {
        let s = node_b.status();
        !s.peers.is_empty() && s.room_caught_up()
    });
    wait_for("a caught up with b", || {
        let s = node_a.status();
        !s.peers.is_empty() && s.room_caught_up()
    });
    assert!(
        node_b.stats().docs_loaded <= 1,
        "the new device replayed {} documents",
        node_b.stats().docs_loaded
    );
    node_b.shutdown();
    node_a.shutdown();
    let store_b = std::sync::Arc::new(Store::open(b.path()).unwrap());
    let mut notebook = Notebook::open(&store_b, nb).unwrap();
    let sessions = notebook.view().sessions.clone();
    assert_eq!(sessions.len(), 4);
    for s in &sessions {
        let chunks = store_b.db().read_chunks(s.doc, 0).unwrap();
        assert_eq!(chunks.len(), 1, "one chunk for {}", s.title);
        assert_eq!(chunks[0].kind, stones_store::chunks::SNAPSHOT);
        notebook.session(s.id).unwrap();
    }
    assert_eq!(session_titles(b.path()).len(), 4);
}
