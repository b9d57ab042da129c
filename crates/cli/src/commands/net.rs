//! Network commands: invite, join, serve, sync. Each opens the engine on the home and starts
//! its network in the chosen mode; the waiting (joined and fetched, a sync round settled)
//! is the engine's, this file parses arguments and prints.

use super::{Env, open};
use anyhow::{Result, anyhow, bail};
use std::io::Write;
use std::str::FromStr;
use std::time::Duration;
use stones_store::Store;
use stones_sync::invite::InviteTicket;
use stones_sync::net::{self, NetConfig};
use stones_sync::node::status;
use stones_sync::{Engine, EngineEvent, Joiner, SettleOptions, SyncError, Unsettled};

fn config(env: &Env, store: &Store) -> Result<NetConfig> {
    Ok(NetConfig::resolve(
        store,
        env.net.as_deref(),
        env.relay.as_deref(),
    )?)
}

pub fn invite(env: &Env, uses: u32, expires: &str, for_member: Option<&str>) -> Result<()> {
    let valid_for_ms = stones_sync::invite::parse_validity_ms(expires)?;
    let (engine, nb) = open(env)?;
    let store = engine.store();
    let addr = net::local_addr(&store, &config(env, &store)?)?;
    let ticket = match for_member {
        Some(who) => {
            let view = engine.view(nb)?;
            let member = crate::resolve::member(&view, who)?;
            let ticket = engine.create_invite_for(nb, addr, valid_for_ms, member)?;
            eprintln!(
                "an invite for {}'s own device (one use)",
                view.name_of(Some(member))
            );
            ticket
        }
        None => engine.create_invite(nb, addr, uses, valid_for_ms)?,
    };
    println!("{}", ticket.to_text());
    Ok(())
}

/// Who joins, from `--name`, `--as` and `--sector`.
pub fn joiner(name: Option<String>, as_member: Option<String>, sector: &str) -> Joiner {
    match as_member {
        Some(n) => Joiner {
            as_member: true,
            ..Joiner::new(&n, sector)
        },
        None => Joiner::new(name.as_deref().unwrap_or_default(), sector),
    }
}

/// The ticket given, or read from standard input (nothing, or `-`).
fn ticket_text(given: Option<&str>) -> Result<String> {
    match given {
        Some(t) if t != "-" => {
            eprintln!(
                "warning: an invite's secret given on the command line can be read by other \
                 users of this computer while it runs; pipe it in instead (`stones join < ticket`)"
            );
            Ok(t.to_string())
        }
        _ => {
            let mut text = String::new();
            let stdin = std::io::stdin();
            if std::io::IsTerminal::is_terminal(&stdin) {
                eprint!("paste the invite ticket, then press Enter: ");
                stdin.read_line(&mut text)?;
            } else {
                std::io::Read::read_to_string(&mut stdin.lock(), &mut text)?;
            }
            Ok(text.trim().to_string())
        }
    }
}

pub fn join(env: &Env, ticket: Option<&str>, who: Joiner, timeout: u64) -> Result<()> {
    let ticket = InviteTicket::parse(&ticket_text(ticket)?)?;
    if who.name.is_empty() && ticket.for_name.is_none() {
        bail!(
            "name: say who you are with --name (or --as NAME for a member added before you had a device)"
        );
    }
    if let Some(name) = &ticket.for_name {
        eprintln!("this invite is for {name}'s own device");
    }
    let engine = env.engine_or_create("create")?;
    engine.start_network(&config(env, &engine.store())?)?;
    eprintln!("joining: asking the inviting device to let this device in…");
    let fetched = engine.join_and_fetch(&ticket, &who, Duration::from_secs(timeout), &mut || {
        eprintln!("joined: fetching the notebook…")
    });
    engine.shutdown();
    match fetched {
        Ok(nb) => println!("{nb}"),
        Err(SyncError::Unsettled(Unsettled::Behind { .. })) => bail!(
            "joined, but the notebook did not finish syncing in {timeout} s; run `stones sync` later"
        ),
        Err(e) => return Err(e.into()),
    }
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
        EngineEvent::ChangesRefused {
            peer,
            notebook,
            changes,
            reason,
        } => eprintln!("refused {changes} changes of notebook {notebook} from {peer}: {reason}"),
        EngineEvent::RefusedByPeer {
            peer,
            notebook,
            changes,
            reason,
        } => eprintln!("peer {peer} refused {changes} changes of notebook {notebook}: {reason}"),
        EngineEvent::Error { message, .. } => eprintln!("error: {message}"),
        _ => {}
    }
}

pub fn sync(env: &Env, peers: &[String], timeout: u64) -> Result<()> {
    if stones_sync::node::lock::NodeLock::take(&env.home).is_err() {
        if !peers.is_empty() {
            bail!(
                "a node is already running for this home (the app or `stones serve`): it syncs for this device; stop it to dial --peer yourself"
            );
        }
        eprintln!("a node is already running for this home; waiting for it to be caught up");
        let store = env.store()?;
        return match status::wait_for_running_node(&store, Duration::from_secs(timeout)) {
            Ok(peers) => {
                for p in peers {
                    println!("caught-up\t{p}");
                }
                Ok(())
            }
            Err(_) => bail!("the running node was not caught up with any peer within {timeout} s"),
        };
    }
    let engine = env.engine()?;
    engine.ensure_can_sync()?;
    let cfg = config(env, &engine.store())?;
    let events = engine.subscribe();
    engine.start_network(&cfg)?;
    for p in peers {
        let t = iroh_tickets::endpoint::EndpointTicket::from_str(p.trim())
            .map_err(|e| anyhow!("--peer {p:?} is not an endpoint ticket: {e}"))?;
        engine.dial(t.endpoint_addr().clone())?;
    }
    let opts = SettleOptions {
        timeout: Duration::from_secs(timeout),
        ..SettleOptions::default()
    };
    // Refusals are said as they happen: changes a peer would not take (or we would not).
    let say_refusals = || {
        for e in events.try_iter() {
            if matches!(
                e,
                EngineEvent::ChangesRefused { .. } | EngineEvent::RefusedByPeer { .. }
            ) {
                log_event(&e);
            }
        }
    };
    let outcome = engine.sync_until_settled(opts, &mut |connected, done| {
        say_refusals();
        eprintln!("syncing: {connected} peer(s) connected, {done} caught up");
    });
    say_refusals();
    let st = engine.stats();
    engine.shutdown();
    match outcome {
        Ok(peers) => {
            for p in peers {
                println!("caught-up\t{p}");
            }
            println!(
                "traffic\tsent\t{}\treceived\t{}\tdocuments\t{}\tloaded\t{}",
                st.bytes_out,
                st.bytes_in,
                st.docs_synced.len(),
                st.docs_loaded
            );
            Ok(())
        }
        Err(SyncError::Unsettled(Unsettled::NoTarget)) => bail!(
            "no member device to sync with: give --peer ENDPOINT_TICKET (printed by `stones serve`)"
        ),
        Err(e) => Err(e.into()),
    }
}
