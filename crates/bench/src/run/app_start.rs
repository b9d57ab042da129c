//! App start: a fresh process builds the real app on a fixture home the way eframe does and
//! runs its first frame; the clock stops when that frame shows the latest session's page
//! (its reflection editor is in the AccessKit tree) and is tessellated. The anchor is a
//! fresh process's cold open through the engine alone (`probe-open`), in the same run.

use super::app_harness::{app_on, tessellate_ms};
use super::metric::{Goal, Metric, peak_rss_mb};
use super::open::spawn_probe;
use anyhow::{Context, Result, ensure};
use egui_kittest::kittest::Queryable;
use std::ffi::OsStr;
use std::path::Path;
use stones_doc::NotebookId;

/// In the probe process: the app's first frame on `home`; says `ready <peak MB> <turns>`
/// once it shows the latest session.
pub fn probe_app(home: &Path) -> Result<()> {
    let h = app_on(home);
    tessellate_ms(&h);
    let app = h.state();
    if let Some(e) = &app.open_error {
        anyhow::bail!("the app could not open the home: {e}");
    }
    let rt = app.rt.as_ref().context("the app has no engine")?;
    let view = rt.view.as_ref().context("no notebook is open")?;
    let latest = view.sessions.last().map(|s| s.id);
    let shown = rt.session.as_ref().map(|(s, _)| *s);
    ensure!(
        latest.is_some() && shown == latest,
        "the first frame does not show the latest session"
    );
    let turns = rt
        .session
        .as_ref()
        .and_then(|(_, v)| v.as_ref())
        .map_or(0, |v| v.turns.len());
    ensure!(
        h.query_by_label_contains("Reflection: ").is_some(),
        "the latest session's page is not drawn (no reflection editor)"
    );
    println!("ready\t{}\t{turns}", peak_rss_mb());
    Ok(())
}

/// App start against the engine's cold open, medians of `runs` fresh processes each.
pub fn measure(home: &Path, notebook: NotebookId, runs: usize) -> Result<Metric> {
    let hex = notebook.to_hex();
    let app = spawn_probe(
        &[
            OsStr::new("probe-app"),
            OsStr::new("--home"),
            home.as_os_str(),
        ],
        runs,
    )?;
    let open = spawn_probe(
        &[
            OsStr::new("probe-open"),
            OsStr::new("--home"),
            home.as_os_str(),
            OsStr::new("--notebook"),
            OsStr::new(&hex),
        ],
        runs,
    )?;
    Ok(Metric {
        name: "app start -> first frame showing the latest session (headless, fresh process)"
            .into(),
        value: app.0,
        unit: "ms",
        anchor: "cold open through the engine alone, fresh process".into(),
        anchor_value: open.0,
        goal: Goal::AtMost(500.0),
    })
}
