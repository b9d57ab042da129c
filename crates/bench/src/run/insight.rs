//! Voices and conflicts over the whole 4-year notebook, each a fresh process from start to
//! result (what `stones voices` and `stones conflicts` do): with the derived cache the first
//! such process left, against the first process, which has no cache and reads every session.

use super::metric::{Goal, Metric};
use super::open::spawn_probe;
use anyhow::{Result, bail};
use std::path::Path;
use stones_doc::NotebookId;
use stones_doc::voices::Window;
use stones_store::derived_cache::Derived;

/// What the probe computes.
fn kind(what: &str) -> Result<Derived> {
    Ok(match what {
        "voices" => Derived::Voices,
        "conflicts" => Derived::Conflicts,
        _ => bail!("probe-insight --what takes voices or conflicts, not {what:?}"),
    })
}

/// In the probe process: open the home through the engine (after forgetting the cache when
/// `cold`), count voices over every session or find every conflict, say `ready`.
pub fn probe_insight(home: &Path, notebook: &str, what: &str, cold: bool) -> Result<()> {
    let id = NotebookId::from_hex(notebook)?;
    let kind = kind(what)?;
    if cold {
        stones_store::Store::open(home)?.db().clear_derived(kind)?;
    }
    let engine = stones_sync::Engine::open(home)?;
    let n = match kind {
        Derived::Voices => engine.voices(id, &Window::default())?.voices.sessions,
        _ => engine.conflicts(id)?.found.len(),
    };
    println!("ready\t0\t{n}");
    Ok(())
}

/// The fresh-process voices and conflicts metrics on a copy of a fixture home (`home`,
/// changed: its derived cache is written).
pub fn measure(home: &Path, notebook: NotebookId, runs: usize) -> Result<Vec<Metric>> {
    let hex = notebook.to_hex();
    let mut out = Vec::new();
    for (what, label) in [
        ("voices", "voices over every session"),
        ("conflicts", "conflicts in every document"),
    ] {
        let spawn = |cold: bool, runs: usize| {
            let mut args: Vec<&std::ffi::OsStr> = vec![
                "probe-insight".as_ref(),
                "--home".as_ref(),
                home.as_os_str(),
                "--notebook".as_ref(),
                hex.as_ref(),
                "--what".as_ref(),
                what.as_ref(),
            ];
            if cold {
                args.push("--cold".as_ref());
            }
            spawn_probe(&args, runs)
        };
        let cold = spawn(true, 1)?;
        let kept = spawn(false, runs)?;
        out.push(Metric {
            name: format!("{label}, fresh process: start -> result"),
            value: kept.0,
            unit: "ms",
            anchor: "the first such process (no cache: reads every session)".into(),
            anchor_value: cold.0,
            goal: Goal::AtMost(300.0),
        });
    }
    Ok(out)
}
