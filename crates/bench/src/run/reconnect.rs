//! Reconnect after a week: device A (member 1) synced with device B (member 2) last week,
//! then stayed away while ten members held a session on their own devices. A reconnects to
//! B over iroh loopback: time from dialling to caught up, and the bytes both ways against
//! the bytes of the changes A was missing (as automerge stores them). Anchor for the time:
//! the automerge sync protocol in memory over the documents that differ.

use super::full_sync::sync_pair;
use super::metric::{Goal, Metric, median};
use super::nodes;
use crate::fixture::{copy_dir, home_dir, session::Group};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use stones_doc::{DocId, NotebookId, TextField};
use stones_store::{Notebook, Store, Target};

/// (time metric, bytes metric).
pub fn measure(
    fixture: &Path,
    notebook: NotebookId,
    members: usize,
    sessions: usize,
    scratch: &Path,
    runs: usize,
) -> Result<[Metric; 2]> {
    let week = scratch.join("week");
    let homes: Vec<PathBuf> = (0..members).map(|i| home_dir(&week, i)).collect();
    for (i, h) in homes.iter().enumerate() {
        copy_dir(&home_dir(fixture, i), h)?;
    }
    last_week(&homes[0], &homes[1], notebook)?;
    {
        let stores: Vec<std::sync::Arc<Store>> = homes
            .iter()
            .map(|h| Store::open(h).map(std::sync::Arc::new))
            .collect::<stones_store::Result<_>>()?;
        let mut group = Group::resume(&stores, notebook, 7)?;
        group.away = vec![0];
        group.session(sessions)?;
    }
    let (missing, differing) = missing_bytes(&homes[0], &homes[1], notebook)?;
    let anchor_ms = in_memory_ms(&homes[0], &homes[1], &differing)?;
    let (mut times, mut bytes) = (Vec::new(), Vec::new());
    for run in 0..runs {
        let a = scratch.join(format!("reconnect-a-{run}"));
        let b = scratch.join(format!("reconnect-b-{run}"));
        copy_dir(&homes[0], &a)?;
        copy_dir(&homes[1], &b)?;
        let (ms, traffic) = reconnect(&a, &b)?;
        times.push(ms);
        bytes.push(traffic as f64);
    }
    Ok([
        Metric {
            name: "reconnect after a week (one session held without this device)".into(),
            value: median(&times),
            unit: "ms",
            anchor: format!(
                "in-memory automerge sync of the {} differing documents",
                differing.len()
            ),
            anchor_value: anchor_ms,
            goal: Goal::AtMost(150.0),
        },
        Metric {
            name: "reconnect after a week: bytes both ways".into(),
            value: median(&bytes),
            unit: "B",
            anchor: "bytes of the missing changes".into(),
            anchor_value: missing as f64,
            goal: Goal::RatioAtMost(1.2),
        },
    ])
}

/// Last week: B wrote a line in the latest session's notes, and A and B synced (so each keeps
/// a sync state for the documents they exchanged, as after any real meeting).
fn last_week(a: &Path, b: &Path, notebook: NotebookId) -> Result<()> {
    {
        let store = std::sync::Arc::new(Store::open(b)?);
        let mut nb = Notebook::open(&store, notebook)?;
        let latest = nb
            .view()
            .sessions
            .last()
            .map(|s| s.id)
            .context("sessions")?;
        nb.append_text(
            Target::Session(latest),
            TextField::Notes,
            "Notes from last week.",
        )?;
        nb.edit_index("learning", |d, ctx| {
            d.add_learning("Last week", "", &[latest], ctx.me, ctx.now_ms)
        })?;
        nb.commit_pending()?;
    }
    reconnect(a, b).map(|_| ())
}

/// Starts both nodes, A dials B: (ms from dial to caught up, bytes both ways at A).
fn reconnect(a: &Path, b: &Path) -> Result<(f64, u64)> {
    let node_b = nodes::start(b)?;
    let node_a = nodes::start(a)?;
    let addr = node_b.addr().context("b's network is on")?;
    let started = Instant::now();
    node_a.dial(addr)?;
    nodes::wait_caught_up(&node_a, node_b.device(), Duration::from_secs(60))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let traffic = nodes::traffic(&node_a);
    node_a.shutdown();
    node_b.shutdown();
    Ok((ms, traffic))
}

/// Bytes of the changes each side lacks (compressed, as stored), and the documents that
/// differ.
fn missing_bytes(a: &Path, b: &Path, notebook: NotebookId) -> Result<(u64, Vec<DocId>)> {
    let (sa, sb) = (
        std::sync::Arc::new(Store::open(a)?),
        std::sync::Arc::new(Store::open(b)?),
    );
    let docs: std::collections::BTreeSet<DocId> = [&sa, &sb]
        .iter()
        .map(|s| s.db().docs())
        .collect::<stones_store::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .filter(|(_, nb, _)| *nb == notebook)
        .map(|(d, ..)| d)
        .collect();
    let (mut total, mut differing) = (0u64, Vec::new());
    for doc in docs {
        let mut da = load_or_empty(&sa, doc)?;
        let mut db = load_or_empty(&sb, doc)?;
        let mut changes = da.get_changes_added(&mut db);
        changes.extend(db.get_changes_added(&mut da));
        if !changes.is_empty() {
            differing.push(doc);
        }
        total += changes
            .iter_mut()
            .map(|c| c.bytes().len() as u64)
            .sum::<u64>();
    }
    Ok((total, differing))
}

fn load_or_empty(store: &Store, doc: DocId) -> Result<automerge::AutoCommit> {
    match stones_store::loaded::load_am(store, doc) {
        Ok((am, ..)) => Ok(am),
        Err(stones_store::StoreError::NotFound { .. }) => Ok(stones_doc::new_doc()),
        Err(e) => Err(e.into()),
    }
}

fn in_memory_ms(a: &Path, b: &Path, docs: &[DocId]) -> Result<f64> {
    let (sa, sb) = (
        std::sync::Arc::new(Store::open(a)?),
        std::sync::Arc::new(Store::open(b)?),
    );
    let mut pairs = Vec::new();
    for d in docs {
        pairs.push((load_or_empty(&sa, *d)?, load_or_empty(&sb, *d)?));
    }
    let started = Instant::now();
    for (da, db) in &mut pairs {
        sync_pair(da, db)?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}
