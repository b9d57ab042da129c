//! Internet mode without the internet: a local iroh-relay on 127.0.0.1, two nodes in
//! `internet` mode pointed at it, the invite carrying only the relay (no direct address).
//! The nodes bind 127.0.0.1 and run without mDNS or port mapping (network rules).
#![allow(clippy::unwrap_used)]

use iroh::{EndpointAddr, RelayUrl, TransportAddr};
use iroh_relay::server::{RelayConfig, Server, ServerConfig};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};
use stones_store::{NewMember, Notebook, Store};
use stones_sync::Engine;
use stones_sync::invite::create_invite;
use stones_sync::net::{NetConfig, NetMode};
use tempfile::TempDir;

#[test]
fn two_nodes_find_each_other_through_a_local_relay_and_sync() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let mut cfg = ServerConfig::default();
        cfg.relay = Some(RelayConfig::new((Ipv4Addr::LOCALHOST, 0)));
        Server::spawn(cfg).await.unwrap()
    });
    let url: RelayUrl = format!("http://{}", server.http_addr().unwrap())
        .parse()
        .unwrap();
    let cfg = NetConfig {
        bind_ip: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        mdns: false,
        portmapper: false,
        ..NetConfig::new(NetMode::Internet, Some(url.clone()))
    };

    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let store_a = std::sync::Arc::new(Store::open_or_create(a.path()).unwrap());
    let nb_id = Notebook::create(
        &store_a,
        "Across town",
        "",
        &NewMember {
            name: "Ada".into(),
            ..NewMember::default()
        },
    )
    .unwrap()
    .id();
    let node_a = Engine::start(a.path(), &cfg).unwrap();
    let full = node_a.addr().unwrap();
    assert!(
        full.relay_urls().any(|u| *u == url),
        "a is connected to the local relay: {full:?}"
    );
    let relay_only = EndpointAddr::from_parts(full.id, [TransportAddr::Relay(url.clone())]);
    assert_eq!(relay_only.ip_addrs().count(), 0);
    let mut nb = Notebook::open(&store_a, nb_id).unwrap();
    let ticket = create_invite(&mut nb, relay_only, 1, 3_600_000, None).unwrap();
    drop(nb);

    let node_b = Engine::start(b.path(), &cfg).unwrap();
    node_b.join(&ticket, "Bea", "funder").unwrap();
    let start = Instant::now();
    while !(node_b.status().peers.iter().any(|p| p.caught_up)) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "b never caught up through the relay"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let store_b = std::sync::Arc::new(Store::open(b.path()).unwrap());
    let view = Notebook::open(&store_b, nb_id).unwrap().view();
    assert_eq!(view.title, "Across town");
    assert!(view.members.iter().any(|m| m.name == "Bea"));
    node_b.shutdown();
    node_a.shutdown();
    drop(server);
}
