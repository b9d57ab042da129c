//! Cold open and memory: a fresh process opens the notebook the way the app does (the
//! engine on the home: the store, the index, the latest session's view) and reports when its
//! view is ready, with its peak RSS from the kernel. The anchor is a fresh process doing raw `Automerge::load` of all the
//! notebook's documents as one document (every change, concatenated).

use super::metric::{Goal, Metric, median, peak_rss_mb};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;
use stones_doc::NotebookId;
use stones_store::Store;

/// In the probe process: open the home through the engine (network off, as the app starts
/// before the device's mode is known), read the latest session, say `ready <peak MB>`.
pub fn probe_open(home: &Path, notebook: &str) -> Result<()> {
    let id = NotebookId::from_hex(notebook)?;
    let engine = stones_sync::Engine::open(home)?;
    let latest = engine.view(id)?.sessions.last().map(|s| s.id);
    let turns = match latest {
        Some(s) => engine.session(id, s)?.turns.len(),
        None => 0,
    };
    println!("ready\t{}\t{turns}", peak_rss_mb());
    Ok(())
}

/// In the probe process: load every change of the notebook as one automerge document.
pub fn probe_raw(file: &Path) -> Result<()> {
    let bytes = std::fs::read(file)?;
    let doc = automerge::Automerge::load(&bytes)?;
    println!("ready\t{}\t{}", peak_rss_mb(), doc.get_heads().len());
    Ok(())
}

/// Writes every change of a home's notebook into one automerge document, saved to `out`.
/// Documents share actor ids (device ‖ writer slot), so each document's actors are renamed
/// (and the change hashes they depend on re-linked) to keep every (actor, seq) unique: the
/// same data, as if the notebook had been one document.
pub fn write_one_document(home: &Path, notebook: NotebookId, out: &Path) -> Result<()> {
    let store = std::sync::Arc::new(Store::open(home)?);
    let mut one = automerge::Automerge::new();
    for (doc, nb, _) in store.db().docs()? {
        if nb != notebook {
            continue;
        }
        let (mut am, _, _) = stones_store::loaded::load_am(&store, doc)?;
        let changes = am.get_changes(&[]);
        let mut hashes = std::collections::HashMap::new();
        let renamed: Vec<(String, String)> = changes
            .iter()
            .map(|c| c.actor_id().to_hex_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|old| {
                let new = blake3::hash(format!("{doc}{old}").as_bytes())
                    .to_hex()
                    .to_string();
                (old, new)
            })
            .collect();
        let mut moved = Vec::with_capacity(changes.len());
        for c in &changes {
            let mut e = c.decode();
            e.hash = None;
            e.deps = e
                .deps
                .iter()
                .map(|d| hashes.get(d).copied().context("a dependency comes first"))
                .collect::<Result<_>>()?;
            let mut json = serde_json::to_string(&e)?;
            for (old, new) in &renamed {
                json = json.replace(old.as_str(), new);
            }
            let e: automerge::ExpandedChange = serde_json::from_str(&json)?;
            let new = automerge::Change::from(e);
            hashes.insert(c.hash(), new.hash());
            moved.push(new);
        }
        one.apply_changes(moved)?;
    }
    std::fs::write(out, one.save())?;
    Ok(())
}

/// Runs a probe `runs` times: (median ms from spawn to ready, median peak MB).
pub(super) fn spawn_probe(args: &[&std::ffi::OsStr], runs: usize) -> Result<(f64, f64)> {
    let exe = std::env::current_exe()?;
    let (mut times, mut rss) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let mut child = Command::new(&exe)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .context("starting a probe process")?;
        let out = child.stdout.take().context("probe stdout")?;
        let mut line = String::new();
        BufReader::new(out).read_line(&mut line)?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let status = child.wait()?;
        let mut f = line.trim().split('\t');
        if !status.success() || f.next() != Some("ready") {
            bail!("the probe failed ({status}): {line}");
        }
        times.push(ms);
        rss.push(f.next().and_then(|v| v.parse().ok()).unwrap_or(0.0));
    }
    Ok((median(&times), median(&rss)))
}

/// Cold open and peak RSS of home `home` against the one-document anchor.
pub fn measure(
    home: &Path,
    notebook: NotebookId,
    scratch: &Path,
    runs: usize,
) -> Result<[Metric; 2]> {
    let one = scratch.join("one-document.automerge");
    write_one_document(home, notebook, &one)?;
    let hex = notebook.to_hex();
    let ours = spawn_probe(
        &[
            "probe-open".as_ref(),
            "--home".as_ref(),
            home.as_os_str(),
            "--notebook".as_ref(),
            hex.as_ref(),
        ],
        runs,
    )?;
    let raw = spawn_probe(
        &["probe-raw".as_ref(), "--file".as_ref(), one.as_os_str()],
        runs,
    )?;
    Ok([
        Metric {
            name: "cold open: process start -> latest session's view ready".into(),
            value: ours.0,
            unit: "ms",
            anchor: "raw Automerge::load of all documents as one, fresh process".into(),
            anchor_value: raw.0,
            goal: Goal::AtMost(150.0),
        },
        Metric {
            name: "peak RSS with the notebook open".into(),
            value: ours.1,
            unit: "MB",
            anchor: "raw Automerge::load of all documents as one".into(),
            anchor_value: raw.1,
            goal: Goal::AtMost(100.0),
        },
    ])
}
