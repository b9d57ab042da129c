//! Twelve devices, one process each, on loopback: every device dials every other; once the
//! room is caught up, each adds one learning to the index at the same moment, and the time
//! until every device holds all twelve is measured (from the parent telling them to edit to
//! the last one reporting it has them all).
//!
//! The child side is `stones-bench probe-peer`: it prints `addr <ticket>`, reads
//! `peers <ticket>…`, prints `ready` when caught up with all of them, then for each
//! `edit <round>` line adds its learning and prints `converged <round>` when it holds every
//! device's learning of that round; `stop` ends it.

use super::metric::{Goal, Metric, median};
use super::nodes;
use crate::fixture::{copy_dir, home_dir};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::str::FromStr;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use stones_doc::NotebookId;
use stones_store::Notebook;

const PREFIX: &str = "converge-round-";

struct Peer {
    child: Child,
    stdin: ChildStdin,
}

/// Median ms over `rounds` rounds for `devices` processes to converge after one edit each.
pub fn measure(
    fixture: &Path,
    notebook: NotebookId,
    devices: usize,
    scratch: &Path,
    rounds: usize,
) -> Result<Metric> {
    let exe = std::env::current_exe()?;
    let (tx, lines) = channel::<(usize, String)>();
    let mut peers = Vec::new();
    for i in 0..devices {
        let home = scratch.join(format!("converge-{i:02}"));
        copy_dir(&home_dir(fixture, i), &home)?;
        let mut child = Command::new(&exe)
            .args(["probe-peer", "--notebook", &notebook.to_hex(), "--home"])
            .arg(&home)
            .arg("--devices")
            .arg(devices.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("starting a peer process")?;
        let stdin = child.stdin.take().context("peer stdin")?;
        let stdout = child.stdout.take().context("peer stdout")?;
        let stderr = child.stderr.take().context("peer stderr")?;
        forward_lines(stdout, i, "", tx.clone());
        forward_lines(stderr, i, "error ", tx.clone());
        peers.push(Peer { child, stdin });
    }
    let result = run_rounds(&mut peers, &lines, rounds);
    for p in &mut peers {
        let _ = writeln!(p.stdin, "stop");
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    for p in &mut peers {
        while p.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = p.child.kill();
        let _ = p.child.wait();
    }
    let samples = result?;
    Ok(Metric {
        name: format!("{devices} devices (one process each) converge after one edit each"),
        value: median(&samples),
        unit: "ms",
        anchor: "-".into(),
        anchor_value: 0.0,
        goal: Goal::AtMost(2000.0),
    })
}

/// Sends each line a peer prints to `tx`, tagged with the peer and `prefix`.
fn forward_lines(
    from: impl std::io::Read + Send + 'static,
    peer: usize,
    prefix: &'static str,
    tx: std::sync::mpsc::Sender<(usize, String)>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(|l| l.ok()) {
            // On stderr only the final error matters; diagnostics (STONES_LOG) pass through.
            if !prefix.is_empty() && !line.starts_with("Error") {
                eprintln!("peer {peer}: {line}");
                continue;
            }
            if tx.send((peer, format!("{prefix}{line}"))).is_err() {
                break;
            }
        }
    });
}

fn run_rounds(
    peers: &mut [Peer],
    lines: &Receiver<(usize, String)>,
    rounds: usize,
) -> Result<Vec<f64>> {
    let n = peers.len();
    let tickets = expect_all(lines, n, "addr", Duration::from_secs(30))?;
    for (i, p) in peers.iter_mut().enumerate() {
        let others: Vec<&str> = tickets
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, t)| t.as_str())
            .collect();
        writeln!(p.stdin, "peers {}", others.join(" "))?;
    }
    expect_all(lines, n, "ready", Duration::from_secs(120))?;
    let mut samples = Vec::new();
    for round in 0..rounds {
        let started = Instant::now();
        for p in peers.iter_mut() {
            writeln!(p.stdin, "edit {round}")?;
        }
        expect_all(lines, n, "converged", Duration::from_secs(60))?;
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(samples)
}

/// Waits for one line starting with `word` from every peer; returns the rest of each line.
fn expect_all(
    lines: &Receiver<(usize, String)>,
    n: usize,
    word: &str,
    timeout: Duration,
) -> Result<Vec<String>> {
    let mut got: Vec<Option<String>> = vec![None; n];
    let deadline = Instant::now() + timeout;
    while got.iter().any(Option::is_none) {
        let left = deadline.saturating_duration_since(Instant::now());
        let (i, line) = lines
            .recv_timeout(left)
            .with_context(|| format!("waiting for every peer to say {word:?}"))?;
        if let Some(rest) = line.strip_prefix(word) {
            got[i] = Some(rest.trim().to_string());
        } else if line.starts_with("error") {
            bail!("peer {i}: {line}");
        }
    }
    Ok(got.into_iter().flatten().collect())
}

/// The child: one device's node, driven by lines on stdin.
pub fn probe_peer(home: &Path, notebook: &str, devices: usize) -> Result<()> {
    let notebook = NotebookId::from_hex(notebook)?;
    let node = nodes::start(home)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "addr {}", node.ticket().context("the network is on")?)?;
    out.flush()?;
    let store = node.open_store()?;
    let mut nb = Notebook::open(&store, notebook)?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let mut words = line.split_whitespace();
        match words.next() {
            Some("peers") => {
                let mut ids = Vec::new();
                for t in words {
                    let t = iroh_tickets_parse(t)?;
                    ids.push(stones_sync::net::device_id(&t.id));
                    node.dial(t)?;
                }
                let wait = Instant::now() + Duration::from_secs(100);
                for id in ids {
                    nodes::wait_caught_up(&node, id, wait - Instant::now())?;
                }
                writeln!(out, "ready")?;
            }
            Some("edit") => {
                let round = words.next().unwrap_or("0");
                let tag = format!("{PREFIX}{round}");
                let me = node.device().to_hex();
                let events = node.subscribe();
                nb.edit_index("learning", |d, ctx| {
                    d.add_learning(&format!("{tag} {me}"), "", &[], ctx.me, ctx.now_ms)
                })?;
                node.nudge();
                let deadline = Instant::now() + Duration::from_secs(30);
                let mut fresh = true;
                let mut have = 0;
                loop {
                    if Instant::now() > deadline {
                        let fresh_count =
                            count_tagged(&mut Notebook::open(&store, notebook)?, &tag)?;
                        bail!(
                            "round {round}: {have} of {devices} devices' edits arrived in 30 s (store has {fresh_count})"
                        );
                    }
                    // Only a refresh that brought something new can change the count.
                    if nb.refresh()? || fresh {
                        fresh = false;
                        have = count_tagged(&mut nb, &tag)?;
                        if have >= devices {
                            break;
                        }
                    }
                    let _ = events.recv_timeout(Duration::from_millis(10));
                }
                writeln!(out, "converged {round}")?;
            }
            Some("stop") | None => break,
            Some(other) => writeln!(out, "error unknown command {other}")?,
        }
        out.flush()?;
    }
    drop(nb);
    drop(store);
    node.shutdown();
    Ok(())
}

/// Learnings whose title starts with `tag`, read straight from the index document (the
/// full index view costs tens of milliseconds; twelve processes re-reading it after every
/// update would measure the harness, not the sync).
fn count_tagged(nb: &mut Notebook, tag: &str) -> Result<usize> {
    let am = nb.am_of(stones_store::Target::Index)?;
    let prefix = format!("{tag} ");
    Ok(stones_doc::index::learning_titles(am)
        .iter()
        .filter(|t| t.starts_with(&prefix))
        .count())
}

fn iroh_tickets_parse(t: &str) -> Result<iroh::EndpointAddr> {
    let ticket = iroh_tickets::endpoint::EndpointTicket::from_str(t)
        .map_err(|e| anyhow::anyhow!("{t:?} is not an endpoint ticket: {e}"))?;
    Ok(ticket.endpoint_addr().clone())
}
