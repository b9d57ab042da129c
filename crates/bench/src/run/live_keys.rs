//! Live keystrokes, as a person feels them: two member devices' engines connected over iroh
//! loopback; on one, single characters are typed through the engine's typing call at human
//! pace (a key every 150 ms, no pause, so the coarse policy's pause rule never fires); the
//! clock starts at the keystroke and stops when the other engine's view of the reflection
//! holds it. Anchor: the same 64-byte iroh round trip as the commit → peer metric.

use super::metric::{Goal, Metric, median, percentile};
use super::nodes;
use crate::fixture::{copy_dir, home_dir};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::time::{Duration, Instant};
use stones_doc::{EntryId, NotebookId, Scope, TextField};
use stones_store::Target;
use stones_sync::{Engine, EngineEvent};

/// Human typing pace: one key every this long.
const KEY_EVERY: Duration = Duration::from_millis(150);

/// (p50, p99) of `keys` keystrokes, keystroke → the peer's view.
pub fn measure(
    fixture: &Path,
    notebook: NotebookId,
    scratch: &Path,
    keys: usize,
    rtt_ms: f64,
) -> Result<[Metric; 2]> {
    let (a, b) = (scratch.join("keys-a"), scratch.join("keys-b"));
    copy_dir(&home_dir(fixture, 0), &a)?;
    copy_dir(&home_dir(fixture, 1), &b)?;
    nodes::settle_disk()?;
    let node_b = nodes::start(&b)?;
    let node_a = nodes::start(&a)?;
    node_a.dial(node_b.addr().context("b's network is on")?)?;
    nodes::wait_caught_up(&node_a, node_b.device(), Duration::from_secs(60))?;
    let session = node_a
        .view(notebook)?
        .sessions
        .last()
        .map(|s| s.id)
        .context("the fixture has sessions")?;
    let reflection = node_a.edit_session(notebook, session, "reflection", |d, ctx| {
        d.add_reflection("live keys", "", Scope::Group, ctx.me, ctx.now_ms)
    })?;
    let events = node_b.subscribe();
    wait_for_body(&node_b, &events, notebook, session, reflection, 0)?;
    let field = TextField::Reflection(reflection);
    let mut samples = Vec::with_capacity(keys);
    for i in 0..keys {
        let started = Instant::now();
        node_a.type_text(notebook, Target::Session(session), field, i, 0, "k")?;
        wait_for_body(&node_b, &events, notebook, session, reflection, i + 1)?;
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        if std::env::var_os("STONES_BENCH_SLOW").is_some() && samples[i] > 60.0 {
            eprintln!("slow key {i}: {:.1} ms", samples[i]);
        }
        std::thread::sleep(KEY_EVERY.saturating_sub(started.elapsed()));
    }
    node_a.shutdown();
    node_b.shutdown();
    let metric = |name: &str, value: f64, goal| Metric {
        name: name.into(),
        value,
        unit: "ms",
        anchor: "iroh 64 B round trip, loopback (median)".into(),
        anchor_value: rtt_ms,
        goal,
    };
    Ok([
        metric(
            "live keystroke p50: key -> peer's view",
            median(&samples),
            Goal::None,
        ),
        metric(
            "live keystroke p99: key -> peer's view",
            percentile(&samples, 99.0),
            Goal::AtMost(100.0),
        ),
    ])
}

/// Waits (on B's events) until B's view of the reflection holds `chars` characters.
fn wait_for_body(
    engine: &Engine,
    events: &std::sync::mpsc::Receiver<EngineEvent>,
    notebook: NotebookId,
    session: EntryId,
    reflection: EntryId,
    chars: usize,
) -> Result<()> {
    loop {
        let view = engine.session(notebook, session);
        let have = view.ok().and_then(|v| {
            v.reflections
                .iter()
                .find(|r| r.id == reflection)
                .map(|r| r.body.chars().count())
        });
        if have == Some(chars) {
            return Ok(());
        }
        if events.recv_timeout(Duration::from_secs(10)).is_err() {
            bail!("the peer's view never reached {chars} characters");
        }
    }
}
