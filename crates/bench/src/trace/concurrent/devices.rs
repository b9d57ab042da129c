//! The trace on real devices: one store per agent (the first founds the notebook, the others
//! are members who join it through the protocol core), one reflection typed into through
//! the reflection path (journal per keystroke, coarse commits), and a sync between two
//! devices whenever a transaction has seen work of the other's that its device lacks.
//!
//! Sync gives a device everything its peer holds, so a device often holds more than the
//! transaction's parents (the other person kept typing meanwhile). Positions then no longer
//! fit, so each patch is typed the way a person would: after the character it follows and
//! over the characters it deletes, found by their automerge cursors wherever they now
//! stand.

use super::pair::sync_pair;
use super::raw::{Char, Edit};
use super::read::ConcurrentTrace;
use anyhow::{Context, Result};
use automerge::{Cursor, ObjId, ReadDoc};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use stones_doc::{NotebookId, TextField};
use stones_store::{Notebook, Store, Target};
use stones_sync::core::{ConnId, Core};
use stones_sync::replica::EngineReplica;

/// What the devices did.
pub struct DevicesOutcome {
    /// Each device's reflection at the end.
    pub texts: Vec<String>,
    /// Wall time from the first keystroke to the last device caught up.
    pub ms: f64,
    pub syncs: usize,
    pub sync_bytes: u64,
    /// Characters already deleted on the typing device when a patch named them.
    pub gone: usize,
    /// Transactions typed on a device that held more than the transaction's parents.
    pub ahead: usize,
}

struct Devices {
    cores: Vec<Core<EngineReplica>>,
    nb: NotebookId,
    target: Target,
    field: TextField,
    /// Where each typed character is (any device's document knows every cursor it holds).
    cursors: Vec<Option<Cursor>>,
    next_conn: u64,
    syncs: usize,
    sync_bytes: u64,
    gone: usize,
}

/// Replays `plan` (per transaction of `trace`) on one device per agent under `scratch`.
pub fn replay(
    trace: &ConcurrentTrace,
    plan: &[Vec<Edit>],
    scratch: &Path,
) -> Result<DevicesOutcome> {
    let mut d = Devices::set_up(trace.agents, scratch)?;
    // What each device holds of each agent's transactions.
    let mut held = vec![vec![-1i64; trace.agents]; trace.agents];
    let mut ahead = 0;
    let started = Instant::now();
    for ((txn, edits), seen) in trace.txns.iter().zip(plan).zip(&trace.seen) {
        let a = txn.agent;
        for o in (0..trace.agents).filter(|o| *o != a) {
            if seen[o] > held[a][o] {
                d.sync(a, o)?;
                let both: Vec<i64> = held[a]
                    .iter()
                    .zip(&held[o])
                    .map(|(x, y)| *x.max(y))
                    .collect();
                held[a].clone_from(&both);
                held[o] = both;
            }
        }
        if held[a].iter().zip(seen).any(|(h, s)| h > s) {
            ahead += 1;
        }
        for e in edits {
            d.type_edit(a, e)?;
        }
        held[a][a] = seen[a];
    }
    for a in 1..trace.agents {
        d.sync(0, a)?;
    }
    for a in 1..trace.agents {
        d.sync(0, a)?;
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let texts = (0..trace.agents)
        .map(|a| d.text(a))
        .collect::<Result<Vec<_>>>()?;
    Ok(DevicesOutcome {
        texts,
        ms,
        syncs: d.syncs,
        sync_bytes: d.sync_bytes,
        gone: d.gone,
        ahead,
    })
}

impl Devices {
    /// A notebook founded on device 0 with one session and one reflection; every other
    /// device's person added as a member with that device, the device joining through 0.
    fn set_up(agents: usize, scratch: &Path) -> Result<Devices> {
        let stores = (0..agents)
            .map(|a| {
                Ok(Arc::new(Store::open_or_create(
                    &scratch.join(format!("agent{a}")),
                )?))
            })
            .collect::<Result<Vec<_>>>()?;
        let (mut nb, session, reflection) =
            super::super::notebook_with_reflection(&stores[0], "Agent 0")?;
        for (a, store) in stores.iter().enumerate().skip(1) {
            nb.edit_index("add a member", |index, ctx| {
                let m = index.add_member(&format!("Agent {a}"), "", "", ctx.me, ctx.now_ms)?;
                index.add_device(store.device(), m, "laptop", ctx.me, ctx.now_ms)
            })?;
        }
        let (nb_id, founder) = (nb.id(), stores[0].device());
        drop(nb);
        let mut cores = Vec::new();
        for (a, store) in stores.into_iter().enumerate() {
            let mut replica = EngineReplica::open(store)?;
            if a > 0 {
                replica.set_joining(nb_id, founder)?;
            }
            cores.push(Core::new(replica));
        }
        let mut d = Devices {
            cores,
            nb: nb_id,
            target: Target::Session(session),
            field: TextField::Reflection(reflection),
            cursors: Vec::new(),
            next_conn: 1,
            syncs: 0,
            sync_bytes: 0,
            gone: 0,
        };
        for a in 1..agents {
            d.sync(a, 0)?;
            d.cores[a].replica.clear_joining(nb_id)?;
        }
        d.syncs = 0;
        d.sync_bytes = 0;
        Ok(d)
    }

    /// Commits both devices' typing (as before any sync) and syncs them, `a` dialling.
    fn sync(&mut self, a: usize, b: usize) -> Result<()> {
        for x in [a, b] {
            // (A joining device holds no notebook yet.)
            if let Ok(nb) = self.cores[x].replica.notebook_mut(self.nb) {
                nb.commit_pending()?;
            }
        }
        let conn = ConnId(self.next_conn);
        self.next_conn += 1;
        let (left, right) = self.cores.split_at_mut(a.max(b));
        let (low, high) = (&mut left[a.min(b)], &mut right[0]);
        let (dialler, listener) = if a < b { (low, high) } else { (high, low) };
        self.sync_bytes += sync_pair(dialler, listener, conn)
            .with_context(|| format!("syncing devices {a} and {b}"))?;
        self.syncs += 1;
        Ok(())
    }

    fn notebook(&mut self, a: usize) -> Result<&mut Notebook> {
        Ok(self.cores[a].replica.notebook_mut(self.nb)?)
    }

    /// Types one edit on device `a`: over the characters it deletes, then after the
    /// character it follows.
    fn type_edit(&mut self, a: usize, e: &Edit) -> Result<()> {
        let (target, field) = (self.target, self.field);
        for c in &e.deletes {
            match self.position(a, *c)? {
                (pos, true) => self.notebook(a)?.type_text(target, field, pos, 1, "", 0)?,
                (_, false) => self.gone += 1,
            }
        }
        let pos = match e.after {
            None => 0,
            Some(c) => match self.position(a, c)? {
                (pos, true) => pos + 1,
                (pos, false) => {
                    self.gone += 1;
                    pos
                }
            },
        };
        self.notebook(a)?
            .type_text(target, field, pos, 0, &e.insert, 0)?;
        let typed = e.insert.chars().count();
        let first = e.first_new as usize;
        if self.cursors.len() < first + typed {
            self.cursors.resize(first + typed, None);
        }
        let am = self.cores[a].replica.notebook_mut(self.nb)?.am_of(target)?;
        let text = field.resolve(am)?;
        for k in 0..typed {
            self.cursors[first + k] = Some(am.get_cursor(&text, pos + k, None)?);
        }
        Ok(())
    }

    /// Where character `c` stands on device `a`, and whether it is still there (when it
    /// is not: where it was).
    fn position(&mut self, a: usize, c: Char) -> Result<(usize, bool)> {
        let cursor = self
            .cursors
            .get(c as usize)
            .cloned()
            .flatten()
            .with_context(|| format!("character {c} was never typed"))?;
        let (target, field) = (self.target, self.field);
        let am = self.notebook(a)?.am_of(target)?;
        let text: ObjId = field.resolve(am)?;
        let pos = am.get_cursor_position(&text, &cursor, None)?;
        let there = pos < am.length(&text) && am.get_cursor(&text, pos, None)? == cursor;
        Ok((pos, there))
    }

    fn text(&mut self, a: usize) -> Result<String> {
        let (target, field) = (self.target, self.field);
        let am = self.notebook(a)?.am_of(target)?;
        let text = field.resolve(am)?;
        Ok(am.text(&text)?)
    }
}
