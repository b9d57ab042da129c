//! Network commands: invite, join, serve, sync, and the network part of `status`. Each
//! starts a `Node` on the home in the chosen mode; the node's worker owns the syncing.

use super::{Env, open};
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::str::FromStr;
use std::time::{Duration, Instant};
use stones_store::{Notebook, Store};
use stones_sync::invite::{InviteTicket, create_invite};
use stones_sync::net::{self, NetConfig};
use stones_sync::node::status;
use stones_sync::{Engine, EngineEvent};

fn config(env: &Env, store: &Store) -> Result<NetConfig> {
    Ok(NetConfig::resolve(
        store,
        env.net.as_deref(),
        env.relay.as_deref(),
    )?)
}

/// Parses 90s, 30m, 12h or 7d into milliseconds.
fn duration_ms(text: &str) -> Result<i64> {
    let t = text.trim();
    let (num, unit) = t.split_at(t.len().saturating_sub(1));
    let n: i64 = num
        .parse()
        .map_err(|_| anyhow!("--expires {text:?}: use a number and s, m, h or d, like 7d"))?;
    let unit_ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => bail!("--expires {text:?}: use a number and s, m, h or d, like 7d"),
    };
    Ok(n.saturating_mul(unit_ms))
}

pub fn invite(env: &Env, uses: u32, expires: &str) -> Result<()> {
    let store = env.store()?;
    let cfg = config(env, &store)?;
    let addr = net::local_addr(&store, &cfg)?;
    let mut nb = open(env, &store)?;
    let ticket = create_invite(&mut nb, addr, uses, duration_ms(expires)?)?;
    println!("{}", ticket.to_text());
    Ok(())
}

pub fn join(env: &Env, ticket: &str, name: &str, sector: &str, timeout: u64) -> Result<()> {
    if name.trim().is_empty() {
        bail!("your name must not be empty");
    }
    let ticket = InviteTicket::parse(ticket)?;
    let cfg = {
        let store = Store::open_or_create(&env.home)
            .with_context(|| format!("cannot create a store in {}", env.home.display()))?;
        if Notebook::list(&store)?
            .iter()
            .any(|(id, _)| *id == ticket.notebook)
        {
            bail!("this device already holds notebook {}", ticket.notebook);
        }
        config(env, &store)?
    };
    let node = Engine::start(&env.home, &cfg)?;
    eprintln!("joining: asking the inviting device to let this device in…");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(timeout);
    if let Err(e) = node.join_and_wait(&ticket, name, sector, Duration::from_secs(timeout)) {
        node.shutdown();
        return Err(e.into());
    }
    eprintln!("joined: fetching the notebook…");
    let inviter = net::device_id(&ticket.addr.id);
    while !node
        .status()
        .peers
        .iter()
        .any(|p| p.device == inviter && p.caught_up)
    {
        if Instant::now() > deadline {
            node.shutdown();
            bail!(
                "joined, but the notebook did not finish syncing in {timeout} s; run `stones sync` later"
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    node.shutdown();
    println!("{}", ticket.notebook);
    Ok(())
}

pub fn serve(env: &Env) -> Result<()> {
    let cfg = {
        let store = env.store()?;
        status::clear(&store)?;
        config(env, &store)?
    };
    let node = Engine::start(&env.home, &cfg)?;
    let events = node.subscribe();
    let ticket = node
        .ticket()
        .ok_or_else(|| anyhow!("the network did not start"))?;
    println!("listening {ticket}");
    std::io::stdout().flush()?;
    // Log what happens (ids and reasons only, never content) until asked to stop; then say
    // goodbye to every peer. A kill without warning loses nothing either: all is on disk.
    std::thread::spawn(move || {
        for e in events {
            log_event(&e);
        }
    });
    node.wait_for_stop_signal();
    eprintln!("stopping: saying goodbye to peers");
    node.shutdown();
    Ok(())
}

fn log_event(e: &EngineEvent) {
    match e {
        EngineEvent::PeerConnected { peer } => eprintln!("peer {peer} connected"),
        EngineEvent::CaughtUp { peer, notebook } => {
            eprintln!("caught up with {peer} on notebook {notebook}")
        }
        EngineEvent::PeerLeft { peer, reason } => {
            eprintln!("peer {peer} disconnected: {reason}")
        }
        EngineEvent::Refused {
            peer,
            notebook: Some(notebook),
            reason,
        } => eprintln!("peer {peer} refused notebook {notebook}: {reason}"),
        EngineEvent::Error { message, .. } => eprintln!("error: {message}"),
        _ => {}
    }
}

/// How long a first dial may run before `sync` stops waiting for that peer.
const PATIENCE: Duration = Duration::from_secs(3);

pub fn sync(env: &Env, peers: &[String], timeout: u64) -> Result<()> {
    let cfg = {
        let store = env.store()?;
        refuse_if_removed(&store)?;
        config(env, &store)?
    };
    if stones_sync::node::lock::NodeLock::take(&env.home).is_err() {
        if !peers.is_empty() {
            bail!(
                "a node is already running for this home (the app or `stones serve`): it syncs for this device; stop it to dial --peer yourself"
            );
        }
        return wait_for_running_node(env, timeout);
    }
    let node = Engine::start(&env.home, &cfg)?;
    let events = node.subscribe();
    for p in peers {
        let t = iroh_tickets::endpoint::EndpointTicket::from_str(p.trim())
            .map_err(|e| anyhow!("--peer {p:?} is not an endpoint ticket: {e}"))?;
        node.dial(t.endpoint_addr().clone())?;
    }
    let discovering = cfg.mdns;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(timeout);
    let mut refused: Vec<String> = Vec::new();
    let mut last_progress = Instant::now();
    let outcome = loop {
        while let Ok(e) = events.try_recv() {
            if let EngineEvent::Refused { peer, reason, .. } = &e {
                refused.push(format!("{peer}: {reason}"));
            }
        }
        if !refused.is_empty() {
            break Err(anyhow!("refused by {}", refused.join("; ")));
        }
        let s = node.status();
        let targets = node.dial_targets();
        if targets.is_empty() && s.peers.is_empty() && !discovering {
            break Err(anyhow!(
                "no member device to sync with: give --peer ENDPOINT_TICKET (printed by `stones serve`)"
            ));
        }
        // Every target was tried: the ones reached are connected, the rest gave up or
        // kept us waiting long enough to count as unreachable.
        let settled = targets.iter().all(|t| {
            s.peers.iter().any(|p| p.device == t.device)
                || (t.attempts > 0 && !t.busy)
                || t.since.is_some_and(|at| at.elapsed() >= PATIENCE)
        });
        // On a LAN, give mDNS a moment to find every device in the room, not just the first.
        let looked_around = !discovering || started.elapsed() >= PATIENCE;
        if settled && looked_around && !s.peers.is_empty() && s.room_caught_up() {
            for p in &s.peers {
                println!("caught-up\t{}", p.device);
            }
            break Ok(());
        }
        if Instant::now() > deadline {
            if s.peers.is_empty() {
                let why: Vec<String> = targets
                    .iter()
                    .map(|t| {
                        format!(
                            "{}: {}",
                            t.device,
                            t.last_error.as_deref().unwrap_or("no answer")
                        )
                    })
                    .collect();
                break Err(anyhow!(
                    "no member device reachable in {timeout} s ({})",
                    why.join("; ")
                ));
            }
            let behind: Vec<String> = s
                .peers
                .iter()
                .filter(|p| !p.caught_up)
                .map(|p| p.device.to_string())
                .collect();
            break Err(anyhow!(
                "not caught up after {timeout} s with: {}",
                behind.join(", ")
            ));
        }
        if last_progress.elapsed() >= Duration::from_secs(1) {
            let done = s.peers.iter().filter(|p| p.caught_up).count();
            eprintln!(
                "syncing: {} peer(s) connected, {done} caught up",
                s.peers.len()
            );
            last_progress = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let st = node.stats();
    node.shutdown();
    if outcome.is_ok() {
        println!(
            "traffic\tsent\t{}\treceived\t{}\tdocuments\t{}\tloaded\t{}",
            st.bytes_out,
            st.bytes_in,
            st.docs_synced.len(),
            st.docs_loaded
        );
    }
    outcome
}

/// Another process's node (the app or `serve`) syncs this home: wait until what it last
/// reported says every connected peer is caught up.
fn wait_for_running_node(env: &Env, timeout: u64) -> Result<()> {
    eprintln!("a node is already running for this home; waiting for it to be caught up");
    let store = env.store()?;
    let deadline = Instant::now() + Duration::from_secs(timeout);
    loop {
        if let Some(report) = status::load(&store)?
            && report.is_fresh(Store::now_ms())
            && report.status.room_caught_up()
        {
            for p in &report.status.peers {
                println!("caught-up\t{}", p.device);
            }
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the running node was not caught up with any peer within {timeout} s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A device removed from every notebook it holds cannot sync any more: say so plainly.
fn refuse_if_removed(store: &std::sync::Arc<Store>) -> Result<()> {
    let me = store.device();
    let mut removed = Vec::new();
    let list = Notebook::list(store)?;
    for (id, title) in &list {
        let view = Notebook::open(store, *id)?.view();
        if !stones_sync::access::is_active_device(&view, me) {
            removed.push(title.clone());
        }
    }
    if !list.is_empty() && removed.len() == list.len() {
        bail!(
            "this device was removed from {}: it keeps what it already had, but can no longer sync",
            removed.join(", ")
        );
    }
    Ok(())
}

/// The network lines of `stones status`.
pub fn status_lines(env: &Env, store: &Store) -> Result<()> {
    let cfg = NetConfig::resolve(store, None, None)?;
    let _ = env;
    println!("net\t{}", cfg.mode.as_str());
    if let Some(r) = &cfg.relay {
        println!("relay\t{r}");
    }
    match status::load(store)? {
        Some(report) if report.is_fresh(Store::now_ms()) => {
            let (at, s) = (report.at, report.status);
            for p in &s.peers {
                let state = if p.caught_up { "caught-up" } else { "syncing" };
                println!("peer\t{}\t{state}", p.device);
            }
            let room = if s.peers.is_empty() {
                "no-peers"
            } else if s.room_caught_up() {
                "caught-up"
            } else {
                "syncing"
            };
            let ago = (Store::now_ms() - at).max(0) / 1000;
            println!("room\t{room}\tas of {ago} s ago (what the last running node saw)");
        }
        Some(_) => println!("room\tno-node\tno node is running for this home"),
        None => println!("room\tnever-synced"),
    }
    Ok(())
}
