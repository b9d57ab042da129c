//! Persisting and refreshing: a commit is one write transaction that appends each changed
//! document's new bytes, truncates this writer's journal for them, and picks up what other
//! processes committed meanwhile. `refresh` merges other processes' commits (committing our
//! own pending edits first, as the design asks before any merge).

use super::{Notebook, Target};
use crate::chunks::{self, Chunk};
use crate::error::Result;
use crate::loaded::AnyLoaded;
use crate::store::Store;
use stones_doc::DocId;

impl<'s> Notebook<'s> {
    pub(crate) fn loaded_mut(&mut self, target: Target) -> Result<&mut dyn AnyLoaded> {
        match target {
            Target::Index => Ok(self.index_mut()),
            Target::Session(s) => {
                let doc = self.load_session(s)?;
                match self.sessions.get_mut(&doc) {
                    Some(l) => Ok(l),
                    None => Err(crate::StoreError::NotFound {
                        what: "session",
                        id: s.to_hex(),
                    }),
                }
            }
        }
    }

    fn all_loaded(&mut self) -> Vec<&mut dyn AnyLoaded> {
        let mut v: Vec<&mut dyn AnyLoaded> = vec![&mut self.index];
        v.extend(self.sessions.values_mut().map(|l| l as &mut dyn AnyLoaded));
        v
    }

    /// Commits the given documents' pending edits and makes them durable in one transaction.
    pub(crate) fn persist(&mut self, targets: &[Target], message: &str) -> Result<()> {
        let now = Store::now_ms();
        let notebook = self.id;
        let store = self.store;
        let mut work: Vec<(DocId, crate::chunks::DocKind, u64, Vec<u8>)> = Vec::new();
        let ids: Vec<DocId> = targets
            .iter()
            .map(|t| self.loaded_mut(*t).map(|l| l.id()))
            .collect::<Result<_>>()?;
        // What the journal holds for these documents; this commit covers all of it.
        let covered = store.journal().open_entries(&ids)?;
        let mut heads_after = Vec::new();
        for t in targets {
            let l = self.loaded_mut(*t)?;
            let bytes = l.commit_bytes(message, now);
            heads_after.push(l.am_mut().get_heads());
            work.push((l.id(), l.kind(), l.last_seq(), bytes));
        }
        if work.iter().all(|w| w.3.is_empty()) && covered.is_empty() {
            return Ok(()); // nothing new: no transaction, no commit counted
        }
        let slot = store.slot();
        let results = store.db().write(|tx| {
            let mut out: Vec<(Vec<Chunk>, Option<u64>)> = Vec::new();
            for ((doc, kind, last_seq, bytes), heads) in work.iter().zip(&heads_after) {
                let (others, own) =
                    chunks::commit_doc(tx, *doc, notebook, *kind, *last_seq, bytes)?;
                // Nobody else wrote meanwhile: our heads are the document's, cache them.
                if let (true, Some(seq)) = (others.is_empty(), own) {
                    let hs = heads.iter().map(|h| h.0).collect();
                    crate::heads_cache::put_heads(tx, &[(*doc, (seq, hs))])?;
                }
                out.push((others, own));
            }
            for (doc, seq) in &covered {
                crate::journal::mark_done(tx, slot, *doc, *seq)?;
            }
            Ok(out)
        })?;
        store.journal().committed(&covered)?;
        for (t, (others, own)) in targets.iter().zip(results) {
            let l = self.loaded_mut(*t)?;
            l.absorb(&others, own, store)?;
            l.maybe_compact(store)?;
        }
        Ok(())
    }

    /// Merges what other processes committed to this home; true if anything new arrived.
    pub fn refresh(&mut self) -> Result<bool> {
        let count = self.store.db().commit_count()?;
        if count == self.seen_commits {
            return Ok(false);
        }
        self.seen_commits = count;
        let store = self.store;
        let mut changed = false;
        let mut to_commit = Vec::new();
        let mut loaded = self.all_loaded();
        let wanted: Vec<(DocId, u64)> = loaded.iter().map(|l| (l.id(), l.last_seq())).collect();
        let all_news = store.db().read_chunks_many(&wanted)?;
        for (l, news) in loaded.iter_mut().zip(all_news) {
            if news.is_empty() {
                continue;
            }
            changed = true;
            if l.pending() {
                to_commit.push(l.id());
            } else {
                l.absorb(&news, None, store)?;
            }
        }
        if changed {
            self.view.get_mut().take(); // the index may be among what changed
        }
        // Documents with our own pending edits: commit them first; persist merges the news.
        let targets = self.targets_for(&to_commit);
        if !targets.is_empty() {
            self.persist(&targets, "typing")?;
        }
        Ok(changed)
    }

    /// The targets of loaded documents (every loaded session is in `doc_of`, so no walk of
    /// the index view: this runs on every keystroke's tick).
    fn targets_for(&self, docs: &[DocId]) -> Vec<Target> {
        docs.iter()
            .filter_map(|d| {
                if *d == self.index.id {
                    Some(Target::Index)
                } else {
                    self.doc_of
                        .iter()
                        .find(|(_, doc)| *doc == d)
                        .map(|(s, _)| Target::Session(*s))
                }
            })
            .collect()
    }

    /// Commits every document whose commit policy says it is time; returns how many.
    pub fn tick(&mut self, now_ms: u64) -> Result<usize> {
        let due: Vec<DocId> = self
            .all_loaded()
            .into_iter()
            .filter_map(|l| (l.pending() && l.policy_mut().should_commit(now_ms)).then_some(&*l))
            .map(|l| l.id())
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let targets = self.targets_for(&due);
        if !targets.is_empty() {
            self.persist(&targets, "typing")?;
        }
        Ok(targets.len())
    }

    /// Commits all pending edits now (focus change, before sync, on quit).
    pub fn commit_pending(&mut self) -> Result<()> {
        let pending: Vec<DocId> = self
            .all_loaded()
            .into_iter()
            .filter(|l| l.pending())
            .map(|l| l.id())
            .collect();
        let targets = self.targets_for(&pending);
        if !targets.is_empty() {
            self.persist(&targets, "typing")?;
        }
        Ok(())
    }

    /// Whether any loaded document has edits waiting for a commit.
    pub fn has_pending(&mut self) -> bool {
        self.all_loaded().into_iter().any(|l| l.pending())
    }
}
