//! Search on the 4-year notebook: queries in a warm process (the engine open, the search
//! cache in memory) against the first query of that process, which has no cache yet and
//! reads every session; and a fresh process from start to results (what `stones search`
//! does) against a fresh process's cold open.

use super::metric::{Goal, Metric, percentile};
use super::open::spawn_probe;
use anyhow::Result;
use std::path::Path;
use std::time::Instant;
use stones_doc::NotebookId;

/// The queries timed: common and rare words, two-word ANDs, case, one that matches nothing.
pub(super) const QUERIES: &[&str] = &[
    "stewardship",
    "waiting list",
    "courage silence",
    "commissioning partnership",
    "DISCHARGE",
    "grateful tired",
    "neighbourhood volunteers",
    "nothing-matches-this",
];

/// In the probe process: open the home through the engine, search, say `ready <hits>`.
pub fn probe_search(home: &Path, notebook: &str, query: &str) -> Result<()> {
    let id = NotebookId::from_hex(notebook)?;
    let engine = stones_sync::Engine::open(home)?;
    let found = engine.search(id, query, 20)?;
    println!("ready\t0\t{}", found.hits.len());
    Ok(())
}

/// The warm and fresh-process search metrics on a copy of a fixture home (`home`, changed:
/// its search cache is written).
pub fn measure(
    home: &Path,
    notebook: NotebookId,
    rounds: usize,
    runs: usize,
) -> Result<[Metric; 2]> {
    let engine = stones_sync::Engine::open(home)?;
    let started = Instant::now();
    let first = engine.search(notebook, QUERIES[0], 20)?;
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        !first.hits.is_empty(),
        "the fixture should hold {:?}",
        QUERIES[0]
    );
    let mut samples = Vec::new();
    for _ in 0..rounds {
        for q in QUERIES {
            let started = Instant::now();
            engine.search(notebook, q, 20)?;
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    engine.shutdown();
    drop(engine);
    let hex = notebook.to_hex();
    let spawn = |probe: &str, extra: &[&str]| {
        use std::ffi::OsStr;
        let mut args = vec![OsStr::new(probe), OsStr::new("--home"), home.as_os_str()];
        let rest = ["--notebook", hex.as_str()]
            .into_iter()
            .chain(extra.iter().copied());
        args.extend(rest.map(OsStr::new));
        spawn_probe(&args, runs)
    };
    let fresh = spawn("probe-search", &["--query", "waiting list"])?;
    let open = spawn("probe-open", &[])?;
    Ok([
        Metric {
            name: format!(
                "search, warm process: query -> results (p99 of {})",
                samples.len()
            ),
            value: percentile(&samples, 99.0),
            unit: "ms",
            anchor: "that process's first query (no cache yet: reads every session)".into(),
            anchor_value: first_ms,
            goal: Goal::AtMost(20.0),
        },
        Metric {
            name: "search, fresh process: start -> results".into(),
            value: fresh.0,
            unit: "ms",
            anchor: "cold open of a fresh process (latest session's view ready)".into(),
            anchor_value: open.0,
            goal: Goal::AtMost(150.0),
        },
    ])
}
