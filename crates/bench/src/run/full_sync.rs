//! A new device joins: it redeems an invite with a member device over iroh loopback and
//! fetches the whole notebook. Time from starting the new device's node to caught up, and the
//! bytes it received against the notebook's size in the store. Anchor: the automerge sync
//! protocol run in memory over the same documents (no network, no store).

use super::metric::{Goal, Metric, median};
use super::nodes;
use crate::fixture::copy_dir;
use anyhow::{Context, Result};
use automerge::sync::{self, SyncDoc};
use std::path::Path;
use std::time::{Duration, Instant};
use stones_doc::NotebookId;
use stones_store::{Notebook, Store};
use stones_sync::invite::create_invite;

/// (time metric, bytes metric) for a new device fetching the notebook of `home`.
pub fn measure(
    home: &Path,
    notebook: NotebookId,
    store_bytes: u64,
    scratch: &Path,
    runs: usize,
) -> Result<[Metric; 2]> {
    let (mut times, mut bytes) = (Vec::new(), Vec::new());
    for run in 0..runs {
        let a = scratch.join(format!("full-a-{run}"));
        let b = scratch.join(format!("full-b-{run}"));
        copy_dir(home, &a)?;
        let node_a = nodes::start(&a)?;
        let ticket = {
            let store = node_a.open_store()?;
            let mut nb = Notebook::open(&store, notebook)?;
            create_invite(
                &mut nb,
                node_a.addr().context("a's network is on")?,
                1,
                3_600_000,
                None,
            )?
        };
        node_a.nudge();
        let started = Instant::now();
        let node_b = nodes::start(&b)?;
        node_b.join(&ticket, "New member", "charity")?;
        nodes::wait_caught_up(&node_b, node_a.device(), Duration::from_secs(120))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        bytes.push(node_b.stats().bytes_in as f64);
        node_b.shutdown();
        node_a.shutdown();
    }
    let anchor_ms = in_memory_sync_ms(home, notebook)?;
    Ok([
        Metric {
            name: "new device: full sync over iroh loopback".into(),
            value: median(&times),
            unit: "ms",
            anchor: "in-memory automerge sync of the same documents".into(),
            anchor_value: anchor_ms,
            goal: Goal::AtMost(1000.0),
        },
        Metric {
            name: "new device: bytes received".into(),
            value: median(&bytes),
            unit: "B",
            anchor: "notebook's bytes in the store".into(),
            anchor_value: store_bytes as f64,
            goal: Goal::RatioAtMost(1.1),
        },
    ])
}

/// Milliseconds the automerge sync protocol takes, in memory, to copy every document of the
/// notebook into empty documents.
pub fn in_memory_sync_ms(home: &Path, notebook: NotebookId) -> Result<f64> {
    let store = std::sync::Arc::new(Store::open(home)?);
    let mut docs = Vec::new();
    for (doc, nb, _) in store.db().docs()? {
        if nb == notebook {
            docs.push(stones_store::loaded::load_am(&store, doc)?.0);
        }
    }
    drop(store);
    let started = Instant::now();
    for mut a in docs {
        let mut b = stones_doc::new_doc();
        sync_pair(&mut a, &mut b)?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// Runs the sync protocol between two documents until neither has anything to say; returns
/// the bytes of the messages.
pub fn sync_pair(a: &mut automerge::AutoCommit, b: &mut automerge::AutoCommit) -> Result<u64> {
    let (mut sa, mut sb) = (sync::State::new(), sync::State::new());
    let mut bytes = 0u64;
    loop {
        let mut quiet = true;
        if let Some(m) = a.sync().generate_sync_message(&mut sa) {
            bytes += m.clone().encode().len() as u64;
            b.sync().receive_sync_message(&mut sb, m)?;
            quiet = false;
        }
        if let Some(m) = b.sync().generate_sync_message(&mut sb) {
            bytes += m.clone().encode().len() as u64;
            a.sync().receive_sync_message(&mut sa, m)?;
            quiet = false;
        }
        if quiet {
            return Ok(bytes);
        }
    }
}
