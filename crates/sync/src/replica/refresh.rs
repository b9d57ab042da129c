//! Picking up what other processes committed to this home (a `stones` command beside the
//! app or `serve`): new documents and notebooks, new chunks of loaded documents (merged into
//! the same in-memory documents the engine edits), and fresh cached heads for the others.

use super::EngineReplica;
use crate::error::Result;
use stones_doc::{DocId, DocKind, NotebookId};

impl EngineReplica {
    /// Merges other processes' commits; returns the documents that changed. Cheap when
    /// no other process committed (one read of a counter; this process's own writes are
    /// known to the store and skipped).
    pub fn refresh(&mut self) -> Result<Vec<DocId>> {
        let (count, others) = self.store.db().news_since(self.seen_commits)?;
        if !others {
            self.seen_commits = count; // only what this process wrote itself
            return Ok(Vec::new());
        }
        // What peers sent and is not yet written goes first: absorbing other processes'
        // chunks marks the document's heads as stored, which would otherwise take unwritten
        // changes along (found by the 12-device benchmark: an edit silently never saved).
        if !self.dirty.is_empty() || !self.new_whole.is_empty() || !self.new_held.is_empty() {
            self.write_pending()?;
        }
        let mut changed = self.reload_catalog()?;
        for n in self.notebooks.values_mut() {
            changed.extend(n.absorb_news()?);
        }
        // Documents not loaded changed if their cached heads did (or went stale).
        let before = std::mem::take(&mut self.cached);
        self.reload_cached_heads()?;
        changed.extend(
            self.catalog
                .keys()
                .filter(|d| !self.is_loaded(**d) && before.get(d) != self.cached.get(d))
                .copied(),
        );
        changed.sort();
        changed.dedup();
        let indexes: Vec<NotebookId> = changed
            .iter()
            .filter_map(|d| self.catalog.get(d))
            .filter(|(_, k)| *k == DocKind::Index)
            .map(|(nb, _)| *nb)
            .collect();
        for nb in indexes {
            self.index_changed(nb);
        }
        // Only now: a refresh that failed half-way is tried again at the next poll.
        self.seen_commits = count;
        self.from_others.extend(changed.iter().copied());
        Ok(changed)
    }

    /// Documents other processes changed since the last call (for events).
    pub fn take_from_others(&mut self) -> Vec<DocId> {
        std::mem::take(&mut self.from_others)
    }
}
