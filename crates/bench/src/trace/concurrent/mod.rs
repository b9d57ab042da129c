//! `stones-bench trace` for *concurrent* traces (several people typing one text at once):
//! one device per agent, each with its own real store, typing through the reflection path
//! and syncing through the protocol core whenever a transaction has seen another agent's
//! work; against raw automerge replaying the same transactions exactly in memory.

mod devices;
mod pair;
mod raw;
mod read;

use anyhow::{Result, bail};
use read::ConcurrentTrace;
use serde_json::Value;
use std::path::Path;

/// What a concurrent replay found.
pub struct ConcurrentReport {
    pub txns: usize,
    pub agents: usize,
    /// Characters in the final text every device holds.
    pub end_chars: usize,
    /// Whether the whole trace ran (then the final text is the trace's `endContent`).
    pub whole: bool,
    pub ours_ms: f64,
    pub raw_ms: f64,
    pub syncs: usize,
    pub sync_bytes: u64,
    /// Characters a person typed after, or deleted, that another's edit had already
    /// deleted on their device (the exact replay did not have that delete yet).
    pub gone: usize,
    /// Transactions typed on a device that held more than their parents (typed by
    /// character, not by position).
    pub ahead: usize,
}

/// Replays the trace in `v` (read from `file`), its first `limit` transactions when given,
/// with the devices' homes under `scratch`.
pub fn replay(
    v: &Value,
    file: &Path,
    limit: Option<usize>,
    scratch: &Path,
) -> Result<ConcurrentReport> {
    let trace = ConcurrentTrace::parse(v, file, limit)?;
    let whole = ConcurrentTrace::is_whole(v, &trace);
    let timed = raw::replay(&trace, false)?;
    let planned = raw::replay(&trace, true)?;
    let expected = if whole {
        trace.end.clone()
    } else {
        planned.texts.first().cloned().unwrap_or_default()
    };
    if let Some((a, _)) = timed
        .texts
        .iter()
        .enumerate()
        .find(|(_, t)| **t != expected)
    {
        bail!("raw automerge: agent {a}'s final text differs from the exact replay's end");
    }
    let plan = planned.plan.unwrap_or_default();
    let ours = devices::replay(&trace, &plan, scratch)?;
    for (a, t) in ours.texts.iter().enumerate() {
        if *t != expected {
            bail!(
                "device {a}'s final reflection differs from the trace's end ({} chars, expected {})",
                t.chars().count(),
                expected.chars().count()
            );
        }
    }
    Ok(ConcurrentReport {
        txns: trace.txns.len(),
        agents: trace.agents,
        end_chars: expected.chars().count(),
        whole,
        ours_ms: ours.ms,
        raw_ms: timed.ms,
        syncs: ours.syncs,
        sync_bytes: ours.sync_bytes,
        gone: ours.gone,
        ahead: ours.ahead,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: &Value, limit: Option<usize>) -> ConcurrentReport {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        replay(v, Path::new("trace"), limit, &dir.path().join("homes"))
            .unwrap_or_else(|e| panic!("{e:#}"))
    }

    /// The first thousand transactions of a real two-person trace: both devices end with
    /// the exact replay's text (`replay` fails otherwise), after real syncs, with hundreds
    /// of transactions typed on a device that already held the other's later work.
    #[test]
    fn a_real_concurrent_trace_prefix_converges_to_the_exact_replay_on_every_device() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/friendsforever.json.gz");
        let v = crate::trace::read_json(&file).unwrap_or_else(|e| panic!("{e:#}"));
        let r = run(&v, Some(1000));
        assert_eq!((r.txns, r.agents, r.whole), (1000, 2, false));
        assert!(r.end_chars > 800, "{} chars", r.end_chars);
        assert!(r.syncs > 20 && r.sync_bytes > 0, "{} syncs", r.syncs);
        assert!(r.ahead > 100, "{} typed ahead", r.ahead);
    }

    /// One person types after a character the other deleted, on a device that already
    /// holds the delete: typed where the character was, and both devices reach the end.
    #[test]
    fn typing_after_a_character_deleted_meanwhile_lands_where_it_was() {
        let v: Value = serde_json::from_str(
            r#"{"kind":"concurrent","endContent":"dace","numAgents":2,"txns":[
            {"parents":[],"agent":0,"patches":[[0,0,"ab"]]},
            {"parents":[0],"agent":1,"patches":[[1,1,""]]},
            {"parents":[0],"agent":0,"patches":[[1,0,"c"]]},
            {"parents":[1,2],"agent":1,"patches":[[0,0,"d"]]},
            {"parents":[2],"agent":0,"patches":[[3,0,"e"]]}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let r = run(&v, None);
        assert!(r.whole);
        assert_eq!((r.end_chars, r.gone, r.syncs), (4, 1, 4));
    }
}
