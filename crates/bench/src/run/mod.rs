//! `stones-bench run`: every metric of design §10 on a fixture, each with its anchor measured
//! in the same run. The fixture is never changed: every metric works on copies of its homes
//! in a scratch folder on the same disk.

mod app_frames;
mod app_harness;
mod app_start;
mod converge;
mod full_sync;
mod insight;
mod keystroke;
mod live;
mod live_keys;
pub mod metric;
mod nodes;
mod open;
mod reconnect;
mod search;

pub use app_start::probe_app;
pub use converge::probe_peer;
pub use insight::probe_insight;
pub use open::{probe_open, probe_raw};
pub use search::probe_search;

use crate::fixture::{copy_dir, home_dir, read_info, size};
use anyhow::Result;
use metric::{Goal, Metric};
use std::path::Path;
use stones_store::Store;

/// How much of each metric to do.
#[derive(Clone, Copy, Debug)]
pub struct Effort {
    /// Runs of the whole-process and sync metrics (median taken).
    pub runs: usize,
    pub keys: usize,
    pub live_edits: usize,
    pub converge_rounds: usize,
    /// Sessions the app opens, and rounds of the search queries typed into it.
    pub app_sessions: usize,
    pub app_search_rounds: usize,
}

impl Effort {
    pub fn full() -> Self {
        Effort {
            runs: 5,
            keys: 300,
            live_edits: 200,
            converge_rounds: 5,
            app_sessions: 40,
            app_search_rounds: 3,
        }
    }

    /// A smoke run: every metric once, small.
    pub fn quick() -> Self {
        Effort {
            runs: 1,
            keys: 30,
            live_edits: 10,
            converge_rounds: 1,
            app_sessions: 2,
            app_search_rounds: 1,
        }
    }
}

/// The groups of metrics, by the name `--only` takes.
pub const GROUPS: &[&str] = &[
    "history",
    "open",
    "search",
    "insight",
    "keystroke",
    "full-sync",
    "reconnect",
    "live",
    "converge",
    "app",
];

/// Runs the metrics on the fixture in `fixture` (all, or the groups named in `only`);
/// `progress` gets each metric as it is measured.
pub fn run(
    fixture: &Path,
    effort: Effort,
    only: &[String],
    progress: &mut dyn FnMut(&Metric),
) -> Result<Vec<Metric>> {
    if let Some(bad) = only.iter().find(|o| !GROUPS.contains(&o.as_str())) {
        anyhow::bail!("--only {bad}: expected one of {}", GROUPS.join(", "));
    }
    let wanted = |g: &str| only.is_empty() || only.iter().any(|o| o == g);
    let info = read_info(fixture)?;
    // On the same disk as the fixture (not a memory file system): fsync must cost what it costs.
    let scratch = tempfile::Builder::new()
        .prefix(".stones-bench-run-")
        .tempdir_in(fixture)?;
    let work = scratch.path();
    let home = work.join("home-01");
    copy_dir(&home_dir(fixture, 0), &home)?;
    let mut out = Vec::new();
    let mut add = |m: Metric, out: &mut Vec<Metric>| {
        progress(&m);
        out.push(m);
    };

    let stored = {
        let store = std::sync::Arc::new(Store::open(&home)?);
        size::measure(&store, info.notebook)?
    };
    if wanted("history") {
        add(
            Metric {
                name: "history size: changes stored".into(),
                value: stored.changes as f64,
                unit: "changes",
                anchor: "one change per typed burst".into(),
                anchor_value: info.bursts as f64,
                goal: Goal::RatioAtMost(0.2),
            },
            &mut out,
        );
    }
    if wanted("open") {
        for m in open::measure(&home, info.notebook, work, (effort.runs * 2).max(3))? {
            add(m, &mut out);
        }
    }
    if wanted("search") {
        let searching = work.join("searching");
        copy_dir(&home, &searching)?;
        let rounds = (effort.keys / 12).max(3);
        for m in search::measure(&searching, info.notebook, rounds, (effort.runs * 2).max(3))? {
            add(m, &mut out);
        }
    }
    if wanted("insight") {
        let counting = work.join("counting");
        copy_dir(&home, &counting)?;
        for m in insight::measure(&counting, info.notebook, (effort.runs * 2).max(3))? {
            add(m, &mut out);
        }
    }
    if wanted("keystroke") {
        let typing = work.join("typing");
        copy_dir(&home, &typing)?;
        let m = keystroke::measure(&typing, info.notebook, effort.keys, effort.runs.max(3))?;
        add(m, &mut out);
    }
    if wanted("full-sync") {
        for m in full_sync::measure(&home, info.notebook, stored.bytes, work, effort.runs)? {
            add(m, &mut out);
        }
    }
    if wanted("reconnect") {
        let (members, sessions) = (info.members, info.sessions);
        for m in reconnect::measure(fixture, info.notebook, members, sessions, work, effort.runs)? {
            add(m, &mut out);
        }
    }
    if wanted("live") {
        for m in live::measure(fixture, info.notebook, work, effort.live_edits)? {
            add(m, &mut out);
        }
    }
    if wanted("converge") {
        let devices = info.members.min(12);
        let m = converge::measure(
            fixture,
            info.notebook,
            devices,
            work,
            effort.converge_rounds,
        )?;
        add(m, &mut out);
    }
    if wanted("app") {
        let using = work.join("app");
        copy_dir(&home, &using)?;
        add(
            app_start::measure(&using, info.notebook, (effort.runs * 2).max(3))?,
            &mut out,
        );
        let app_effort = app_frames::AppEffort {
            keys: effort.keys,
            sessions: effort.app_sessions,
            search_rounds: effort.app_search_rounds,
        };
        for m in app_frames::measure(&using, info.notebook, &app_effort)? {
            add(m, &mut out);
        }
    }
    Ok(out)
}
