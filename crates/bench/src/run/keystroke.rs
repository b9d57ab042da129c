//! Keystroke to durable: single characters typed into a reflection of the latest session
//! through the real path (journal, then memory, then waiting for the journal's syncer to
//! have fsynced it — durable on the disk; the commit policy's tick before
//! each key, with a pause every 30 keys so policy commits are included), against raw
//! automerge doing per key what a naive durable editor must: splice, commit,
//! `save_incremental`, append to a file and fsync it. Both on the same disk.

use super::metric::{Goal, Metric, median};
use anyhow::{Context, Result};
use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT};
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use stones_doc::{NotebookId, Scope, TextField};
use stones_store::{Notebook, Store, Target};

/// Mean µs per keystroke over `keys` keys, median of `rounds` rounds: (ours, raw).
pub fn measure(home: &Path, notebook: NotebookId, keys: usize, rounds: usize) -> Result<Metric> {
    let store = std::sync::Arc::new(Store::open(home)?);
    let mut nb = Notebook::open(&store, notebook)?;
    let session = nb
        .view()
        .sessions
        .last()
        .map(|s| s.id)
        .context("the fixture has sessions")?;
    let target = Target::Session(session);
    let (mut ours, mut raw) = (Vec::new(), Vec::new());
    let mut clock = 0u64;
    for _ in 0..rounds {
        let reflection = nb.edit_session(session, "reflection", |d, ctx| {
            d.add_reflection("benchmark", "", Scope::Group, ctx.me, ctx.now_ms)
        })?;
        let field = TextField::Reflection(reflection);
        let started = Instant::now();
        for k in 0..keys {
            clock += if k % 30 == 29 { 3_000 } else { 150 };
            nb.tick(clock)?;
            nb.type_text(target, field, k, 0, "a", clock)?;
            // Durable means on the disk: the syncer's fdatasync is part of each key here.
            store.journal().wait_durable()?;
        }
        ours.push(started.elapsed().as_secs_f64() * 1e6 / keys as f64);
        nb.commit_pending()?;

        let mut am = nb.am_of(target)?.clone();
        let _ = am.save_incremental(); // the first one after a load re-emits everything
        let text = am.put_object(ROOT, "bench", ObjType::Text)?;
        am.commit();
        let _ = am.save_incremental();
        let path = home.join("raw-keystrokes.bin");
        let mut file = std::fs::File::create(&path)?;
        let started = Instant::now();
        for k in 0..keys {
            am.splice_text(&text, k, 0, "a")?;
            am.commit();
            let bytes = am.save_incremental();
            file.write_all(&bytes)?;
            file.sync_data()?;
        }
        raw.push(started.elapsed().as_secs_f64() * 1e6 / keys as f64);
        drop(file);
        std::fs::remove_file(&path)?;
    }
    Ok(Metric {
        name: "keystroke -> durable (journal, fsync, commit policy)".into(),
        value: median(&ours),
        unit: "us/key",
        anchor: "raw splice + commit + save_incremental + append + fsync".into(),
        anchor_value: median(&raw),
        goal: Goal::RatioAtMost(1.5),
    })
}
