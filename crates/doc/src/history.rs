//! History of a document from the document itself: who changed it when (actor → device →
//! member through the index), and reading a document as it was at a moment.
//!
//! A change's timestamp is in **seconds** since the unix epoch (automerge's convention, and
//! what every commit here records); this module's API speaks unix **milliseconds** and
//! converts at the edge.

use crate::error::Result;
use crate::ids::DeviceId;
use automerge::{AutoCommit, ChangeHash};
use std::collections::HashSet;

/// One change to a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The change's hash.
    pub hash: ChangeHash,
    /// Unix ms (whole seconds: that is what a change records), as the writing device's
    /// clock said.
    pub time_ms: i64,
    /// The device that wrote it, when the actor is one of ours.
    pub device: Option<DeviceId>,
    /// The commit message, if the change has one.
    pub message: Option<String>,
    /// Operations in the change.
    pub ops: usize,
}

/// Every change of the document in causal order.
pub fn history(doc: &mut AutoCommit) -> Vec<HistoryEntry> {
    doc.get_changes(&[])
        .iter()
        .map(|c| HistoryEntry {
            hash: c.hash(),
            time_ms: c.timestamp().saturating_mul(1000),
            device: DeviceId::from_actor(c.actor_id()),
            message: c.message().map(str::to_string),
            ops: c.len(),
        })
        .collect()
}

/// The heads of the document as it stood at `time_ms`: every change made at or before that
/// moment whose whole causal past was too.
pub fn heads_at(doc: &mut AutoCommit, time_ms: i64) -> Vec<ChangeHash> {
    let changes = doc.get_changes(&[]);
    let mut included: HashSet<ChangeHash> = HashSet::new();
    let mut deps_of_included: HashSet<ChangeHash> = HashSet::new();
    for c in changes.iter() {
        if c.timestamp().saturating_mul(1000) <= time_ms
            && c.deps().iter().all(|d| included.contains(d))
        {
            included.insert(c.hash());
            deps_of_included.extend(c.deps().iter().copied());
        }
    }
    let mut heads: Vec<ChangeHash> = included.difference(&deps_of_included).copied().collect();
    heads.sort();
    heads
}

/// A read-only copy of the document as it stood at `time_ms`.
pub fn as_of(doc: &mut AutoCommit, time_ms: i64) -> Result<AutoCommit> {
    let heads = heads_at(doc, time_ms);
    Ok(doc.fork_at(&heads)?)
}
