//! Live editing: two member devices connected over iroh loopback; one commits a small edit
//! from a second store handle on its home (as another process would) and nudges its node; the time until the other device's node reports the document updated (received,
//! applied, durable in its store). Anchor: a 64-byte round trip between two plain iroh
//! endpoints on the same loopback.

use super::metric::{Goal, Metric, median, percentile};
use super::nodes;
use crate::fixture::{copy_dir, home_dir};
use anyhow::{Context, Result, bail};
use iroh::endpoint::presets;
use iroh::{Endpoint, RelayMode, SecretKey};
use std::path::Path;
use std::time::{Duration, Instant};
use stones_doc::{NotebookId, Scope, TextField};
use stones_store::{Notebook, Target};
use stones_sync::EngineEvent;
use stones_sync::engine::ChangeSource;

/// (p50, p99) of `edits` live edits, and the keystroke → peer's view pair beside them.
pub fn measure(
    fixture: &Path,
    notebook: NotebookId,
    scratch: &Path,
    edits: usize,
) -> Result<[Metric; 4]> {
    let (a, b) = (scratch.join("live-a"), scratch.join("live-b"));
    copy_dir(&home_dir(fixture, 0), &a)?;
    copy_dir(&home_dir(fixture, 1), &b)?;
    nodes::settle_disk()?;
    let node_b = nodes::start(&b)?;
    let node_a = nodes::start(&a)?;
    node_a.dial(node_b.addr().context("b's network is on")?)?;
    nodes::wait_caught_up(&node_a, node_b.device(), Duration::from_secs(60))?;
    let events = node_b.subscribe();
    let store = node_a.open_store()?;
    let mut nb = Notebook::open(&store, notebook)?;
    let (session, doc) = nb
        .view()
        .sessions
        .last()
        .map(|s| (s.id, s.doc))
        .context("the fixture has sessions")?;
    let reflection = nb.edit_session(session, "reflection", |d, ctx| {
        d.add_reflection("live", "", Scope::Group, ctx.me, ctx.now_ms)
    })?;
    node_a.nudge();
    std::thread::sleep(Duration::from_millis(300));
    while events.try_recv().is_ok() {}
    let mut samples = Vec::new();
    for i in 0..edits {
        nb.append_text(
            Target::Session(session),
            TextField::Reflection(reflection),
            &format!("w{i:04} "),
        )?;
        let started = Instant::now();
        nb.commit_pending()?;
        node_a.nudge();
        loop {
            match events.recv_timeout(Duration::from_secs(10)) {
                Ok(EngineEvent::DocChanged {
                    doc: d,
                    by: ChangeSource::Peer(_),
                    ..
                }) if d == doc => break,
                Ok(_) => continue,
                Err(_) => bail!("live edit {i} never arrived"),
            }
        }
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(nb);
    drop(store);
    node_a.shutdown();
    node_b.shutdown();
    let rtt = iroh_round_trip_ms(200)?;
    let [key_p50, key_p99] = super::live_keys::measure(fixture, notebook, scratch, edits, rtt)?;
    let metric = |name: &str, value: f64, goal| Metric {
        name: name.into(),
        value,
        unit: "ms",
        anchor: "iroh 64 B round trip, loopback (median)".into(),
        anchor_value: rtt,
        goal,
    };
    Ok([
        metric(
            "live edit p50: commit -> peer has it",
            median(&samples),
            Goal::None,
        ),
        metric(
            "live edit p99: commit -> peer has it",
            percentile(&samples, 99.0),
            Goal::AtMost(20.0),
        ),
        key_p50,
        key_p99,
    ])
}

const ECHO_ALPN: &[u8] = b"stones-bench/echo/1";

async fn loopback_endpoint() -> Result<Endpoint> {
    let key: [u8; 32] = rand::random();
    Ok(Endpoint::builder(presets::Minimal)
        .secret_key(SecretKey::from_bytes(&key))
        .alpns(vec![ECHO_ALPN.to_vec()])
        .clear_address_lookup()
        .relay_mode(RelayMode::Disabled)
        .portmapper_config(iroh::endpoint::PortmapperConfig::Disabled)
        .clear_ip_transports()
        .bind_addr("127.0.0.1:0".parse::<std::net::SocketAddr>()?)?
        .bind()
        .await?)
}

/// Median ms of `n` 64-byte round trips on one stream between two loopback endpoints.
pub fn iroh_round_trip_ms(n: usize) -> Result<f64> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let server = loopback_endpoint().await?;
        let client = loopback_endpoint().await?;
        let accept = server.clone();
        tokio::spawn(async move {
            let Some(incoming) = accept.accept().await else {
                return;
            };
            let Ok(conn) = async { incoming.accept()?.await.map_err(anyhow::Error::from) }.await
            else {
                return;
            };
            if let Ok((mut send, mut recv)) = conn.accept_bi().await {
                let mut buf = [0u8; 64];
                while recv.read_exact(&mut buf).await.is_ok() {
                    if send.write_all(&buf).await.is_err() {
                        break;
                    }
                }
            }
        });
        let conn = client.connect(server.addr(), ECHO_ALPN).await?;
        let (mut send, mut recv) = conn.open_bi().await?;
        let mut samples = Vec::new();
        let mut buf = [0u8; 64];
        for i in 0..n + 10 {
            let started = Instant::now();
            send.write_all(&[7u8; 64]).await?;
            recv.read_exact(&mut buf).await?;
            if i >= 10 {
                samples.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        conn.close(0u32.into(), b"done");
        client.close().await;
        server.close().await;
        Ok(median(&samples))
    })
}
