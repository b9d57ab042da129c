//! The baseline: raw automerge replaying a concurrent trace exactly, in memory. One document
//! per agent; before each transaction its agent's document takes exactly the other agents'
//! changes the transaction had seen (so it stands at the transaction's parents), then the
//! patches are spliced and committed as one change. At the end every document takes every
//! change.
//!
//! The same pass can also write the trace down as *what a person does*: each patch becomes
//! "delete these characters, type this after that character", naming characters by the
//! order they were typed in. Devices that hold more than a transaction's parents (real
//! sync gives everything) replay that plan instead of positions.

use super::read::ConcurrentTrace;
use anyhow::{Context, Result};
use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, Change, ObjId, ObjType, ROOT, ReadDoc};
use std::collections::HashMap;
use std::time::Instant;

/// A character of the trace: the n-th typed, counting from 0 across the whole trace.
pub type Char = u32;

/// One patch as a person makes it, by characters instead of positions.
#[derive(Clone, Debug)]
pub struct Edit {
    /// Characters deleted (each still visible to the transaction).
    pub deletes: Vec<Char>,
    /// The character the text is typed after (`None`: at the start).
    pub after: Option<Char>,
    /// What is typed.
    pub insert: String,
    /// The first typed character's number; the rest follow in order.
    pub first_new: Char,
}

/// What the baseline produced.
pub struct RawOutcome {
    /// Every agent's text once all changes merged.
    pub texts: Vec<String>,
    /// Wall time of the replay and the final merge.
    pub ms: f64,
    /// The plan, per transaction (when asked for).
    pub plan: Option<Vec<Vec<Edit>>>,
}

/// Replays `trace` exactly; with `with_plan`, also writes the plan down (untimed work that
/// makes the run slower: time a run without it).
pub fn replay(trace: &ConcurrentTrace, with_plan: bool) -> Result<RawOutcome> {
    let mut base = AutoCommit::new();
    base.set_actor(ActorId::from(vec![0xff_u8]));
    let text = base.put_object(ROOT, "text", ObjType::Text)?;
    base.commit();
    let mut docs: Vec<AutoCommit> = (0..trace.agents)
        .map(|a| {
            let mut d = base.fork();
            d.set_actor(ActorId::from((a as u32 + 1).to_be_bytes().to_vec()));
            d
        })
        .collect();
    let mut chains: Vec<Vec<(usize, Change)>> = vec![Vec::new(); trace.agents];
    let mut held = vec![vec![-1i64; trace.agents]; trace.agents];
    let mut planner = with_plan.then(Planner::default);
    let started = Instant::now();
    for (i, txn) in trace.txns.iter().enumerate() {
        let a = txn.agent;
        for o in (0..trace.agents).filter(|o| *o != a) {
            let upto = trace.seen[i][o];
            if upto > held[a][o] {
                docs[a].apply_changes(changes_between(&chains[o], held[a][o], upto))?;
                held[a][o] = upto;
            }
        }
        let doc = &mut docs[a];
        let mut edits = Vec::new();
        for p in &txn.patches {
            if let Some(pl) = planner.as_mut() {
                edits.push(pl.before(doc, &text, p.pos, p.del, &p.insert)?);
            }
            doc.splice_text(&text, p.pos, p.del as isize, &p.insert)
                .with_context(|| format!("txn {i}: patch at {} of {}", p.pos, doc.length(&text)))?;
            if let Some(pl) = planner.as_mut() {
                pl.after(doc, &text, p.pos, p.insert.chars().count())?;
            }
        }
        doc.commit();
        let change = doc
            .get_last_local_change()
            .with_context(|| format!("txn {i} made no change"))?;
        chains[a].push((i, change));
        held[a][a] = i as i64;
        if let Some(pl) = planner.as_mut() {
            pl.plan.push(edits);
        }
    }
    for a in 0..trace.agents {
        for o in (0..trace.agents).filter(|o| *o != a) {
            let all = chains[o].last().map_or(-1, |(i, _)| *i as i64);
            docs[a].apply_changes(changes_between(&chains[o], held[a][o], all))?;
        }
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let texts = docs
        .iter()
        .map(|d| d.text(&text))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RawOutcome {
        texts,
        ms,
        plan: planner.map(|p| p.plan),
    })
}

/// An agent's changes after transaction `after` up to and including `upto`.
fn changes_between(chain: &[(usize, Change)], after: i64, upto: i64) -> Vec<Change> {
    chain
        .iter()
        .skip_while(|(i, _)| *i as i64 <= after)
        .take_while(|(i, _)| *i as i64 <= upto)
        .map(|(_, c)| c.clone())
        .collect()
}

/// Names characters while the exact replay runs: an automerge cursor is the same character
/// in every document, so a cursor's text names the character.
#[derive(Default)]
struct Planner {
    chars: HashMap<String, Char>,
    next: Char,
    plan: Vec<Vec<Edit>>,
}

impl Planner {
    fn char_at(&self, doc: &AutoCommit, text: &ObjId, pos: usize) -> Result<Char> {
        let c = doc.get_cursor(text, pos, None)?.to_string();
        self.chars
            .get(&c)
            .copied()
            .with_context(|| format!("the character at {pos} was never typed"))
    }

    fn before(
        &mut self,
        doc: &AutoCommit,
        text: &ObjId,
        pos: usize,
        del: usize,
        insert: &str,
    ) -> Result<Edit> {
        let deletes = (pos..pos + del)
            .map(|p| self.char_at(doc, text, p))
            .collect::<Result<Vec<_>>>()?;
        let after = match pos {
            0 => None,
            p => Some(self.char_at(doc, text, p - 1)?),
        };
        Ok(Edit {
            deletes,
            after,
            insert: insert.to_string(),
            first_new: self.next,
        })
    }

    fn after(&mut self, doc: &AutoCommit, text: &ObjId, pos: usize, typed: usize) -> Result<()> {
        for k in 0..typed {
            let c = doc.get_cursor(text, pos + k, None)?.to_string();
            self.chars.insert(c, self.next);
            self.next += 1;
        }
        Ok(())
    }
}
