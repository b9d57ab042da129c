//! Reading a concurrent editing trace (josephg/editing-traces `concurrent_traces` format:
//! `{"kind": "concurrent", "endContent", "numAgents", "txns": [{"parents", "agent",
//! "patches"}]}`) and working out what each transaction had seen of every agent.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::Path;

/// One `[pos, del, insert]` patch, in code points of the text as its transaction saw it.
#[derive(Clone, Debug)]
pub struct Patch {
    pub pos: usize,
    pub del: usize,
    pub insert: String,
}

/// One transaction: an agent's patches on the text as it was after all of `parents`.
#[derive(Clone, Debug)]
pub struct Txn {
    pub agent: usize,
    pub parents: Vec<usize>,
    pub patches: Vec<Patch>,
}

/// A whole concurrent trace.
pub struct ConcurrentTrace {
    pub agents: usize,
    pub end: String,
    pub txns: Vec<Txn>,
    /// For each transaction, the newest transaction of each agent it has seen (itself
    /// included), or -1: its version vector. An agent's transactions form one chain (each
    /// has seen its agent's previous one), so this vector names its whole past.
    pub seen: Vec<Vec<i64>>,
}

impl ConcurrentTrace {
    /// The trace in `v` (read from `file`, named in errors), cut to its first `limit`
    /// transactions when given.
    pub fn parse(v: &Value, file: &Path, limit: Option<usize>) -> Result<Self> {
        let at = file.display();
        let agents = v["numAgents"]
            .as_u64()
            .with_context(|| format!("{at}: no numAgents"))? as usize;
        let end = v["endContent"]
            .as_str()
            .with_context(|| format!("{at}: no endContent"))?
            .to_string();
        let all = v["txns"]
            .as_array()
            .with_context(|| format!("{at}: no txns"))?;
        let n = limit.unwrap_or(all.len()).min(all.len());
        let mut txns = Vec::with_capacity(n);
        let mut seen: Vec<Vec<i64>> = Vec::with_capacity(n);
        let mut newest = vec![-1i64; agents];
        for (i, t) in all.iter().take(n).enumerate() {
            let txn = parse_txn(t, i, agents).with_context(|| format!("{at}: txn {i}"))?;
            let mut vv = vec![-1i64; agents];
            for &p in &txn.parents {
                for (mine, theirs) in vv.iter_mut().zip(&seen[p]) {
                    *mine = (*mine).max(*theirs);
                }
            }
            if vv[txn.agent] != newest[txn.agent] {
                bail!(
                    "{at}: txn {i} has not seen agent {}'s previous transaction: \
                     only traces where each agent's transactions form one chain are replayed",
                    txn.agent
                );
            }
            vv[txn.agent] = i as i64;
            newest[txn.agent] = i as i64;
            seen.push(vv);
            txns.push(txn);
        }
        Ok(ConcurrentTrace {
            agents,
            end,
            txns,
            seen,
        })
    }

    /// Whether the whole trace was read (so `end` is what a replay must reach).
    pub fn is_whole(v: &Value, read: &ConcurrentTrace) -> bool {
        v["txns"].as_array().map(Vec::len) == Some(read.txns.len())
    }
}

fn parse_txn(t: &Value, i: usize, agents: usize) -> Result<Txn> {
    let agent = t["agent"].as_u64().context("no agent")? as usize;
    if agent >= agents {
        bail!("agent {agent} of {agents}");
    }
    let mut parents = Vec::new();
    for p in t["parents"].as_array().context("no parents")? {
        let p = p.as_u64().context("a parent is not an index")? as usize;
        if p >= i {
            bail!("parent {p} does not come before it");
        }
        parents.push(p);
    }
    let mut patches = Vec::new();
    for p in t["patches"].as_array().context("no patches")? {
        let bad = || format!("bad patch {p}");
        patches.push(Patch {
            pos: p[0].as_u64().with_context(bad)? as usize,
            del: p[1].as_u64().with_context(bad)? as usize,
            insert: p[2].as_str().with_context(bad)?.to_string(),
        });
    }
    Ok(Txn {
        agent,
        parents,
        patches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<ConcurrentTrace> {
        let v: Value = serde_json::from_str(json)?;
        ConcurrentTrace::parse(&v, Path::new("t.json"), None)
    }

    #[test]
    fn version_vectors_follow_parents() {
        let t = parse(
            r#"{"kind":"concurrent","endContent":"ab","numAgents":2,"txns":[
            {"parents":[],"agent":0,"patches":[[0,0,"a"]]},
            {"parents":[],"agent":1,"patches":[[0,0,"b"]]},
            {"parents":[0,1],"agent":0,"patches":[[2,0,"c"]]}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.seen, vec![vec![0, -1], vec![-1, 1], vec![2, 1]]);
    }

    #[test]
    fn an_agent_that_forgets_its_own_past_is_refused_by_name() {
        let e = parse(
            r#"{"kind":"concurrent","endContent":"","numAgents":1,"txns":[
            {"parents":[],"agent":0,"patches":[[0,0,"a"]]},
            {"parents":[],"agent":0,"patches":[[0,0,"b"]]}]}"#,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("txn 1 has not seen agent 0"), "{e}");
    }
}
