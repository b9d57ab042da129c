//! Persisting and refreshing. A commit turns the given documents' pending edits into
//! changes and describes their new bytes and the journal entries they cover as a
//! [`Batch`]; the store writes it in one transaction ([`Store::write_batch`]), and what other
//! processes wrote meanwhile is merged afterwards. The sync layer builds its batches with the
//! same two steps ([`Notebook::prepare_write`], [`Notebook::after_write`]), adding sync
//! states, so there is one write path. `refresh` merges other processes' commits (committing
//! our own pending edits first, as the design asks before any merge).

use super::{Notebook, Target};
use crate::batch::{Batch, DocWrite, DocWritten};
use crate::error::Result;
use crate::loaded::AnyLoaded;
use crate::store::Store;
use stones_doc::DocId;

impl Notebook {
    /// The document of a target, for changing it (its views are dropped).
    pub(crate) fn loaded_mut(&mut self, target: Target) -> Result<&mut dyn AnyLoaded> {
        match target {
            Target::Index => Ok(self.index_mut()),
            Target::Session(s) => {
                let doc = self.load_session(s)?;
                self.doc_changed(doc);
                self.doc_mut(doc)
            }
        }
    }

    pub(crate) fn all_loaded(&mut self) -> Vec<&mut dyn AnyLoaded> {
        let mut v: Vec<&mut dyn AnyLoaded> = vec![&mut self.index];
        v.extend(self.sessions.values_mut().map(|l| l as &mut dyn AnyLoaded));
        v
    }

    /// Commits the pending edits of `docs` (all loaded) and describes what to write: their
    /// new bytes and the journal entries the commit covers. Nothing is written yet.
    pub fn prepare_write(&mut self, docs: &[DocId], message: &str) -> Result<Batch> {
        let now = Store::now_ms();
        let notebook = self.id;
        let mut batch = Batch {
            done_marks: self.store.journal().open_entries(docs)?,
            ..Batch::default()
        };
        for doc in docs {
            let l = self.doc_mut(*doc)?;
            let bytes = l.commit_bytes(message, now);
            batch.docs.push(DocWrite {
                doc: *doc,
                notebook,
                kind: l.kind(),
                after_seq: l.last_seq(),
                bytes,
                heads: l.am_mut().get_heads(),
            });
        }
        Ok(batch)
    }

    /// After a batch from [`Notebook::prepare_write`] was written: merges what other
    /// processes wrote meanwhile and records what the store now holds, per document.
    pub fn after_write(&mut self, docs: &[DocId], written: &[DocWritten]) -> Result<()> {
        let store = self.store.clone();
        for (doc, w) in docs.iter().zip(written) {
            if !w.others.is_empty() {
                self.doc_changed(*doc);
            }
            let l = self.doc_mut(*doc)?;
            l.absorb(&w.others, w.own, &store)?;
            l.maybe_compact(&store)?;
        }
        Ok(())
    }

    /// Commits the given documents' pending edits and makes them durable in one transaction.
    pub(crate) fn persist(&mut self, targets: &[Target], message: &str) -> Result<()> {
        let docs: Vec<DocId> = targets
            .iter()
            .map(|t| self.loaded_mut(*t).map(|l| l.id()))
            .collect::<Result<_>>()?;
        self.persist_docs(&docs, message)
    }

    /// `Notebook::persist` by document id.
    pub fn persist_docs(&mut self, docs: &[DocId], message: &str) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let batch = self.prepare_write(docs, message)?;
        let written = self.store.clone().write_batch(&batch)?;
        self.after_write(docs, &written.docs)
    }

    /// Merges what other processes committed to this home; true if anything new arrived.
    pub fn refresh(&mut self) -> Result<bool> {
        let (count, others) = self.store.db().news_since(self.seen_commits)?;
        if !others {
            self.seen_commits = count;
            return Ok(false);
        }
        let changed = self.absorb_news()?;
        // Only now: a refresh that failed half-way is tried again at the next call.
        self.seen_commits = count;
        Ok(!changed.is_empty())
    }

    /// Reads the chunks other processes wrote for every loaded document and merges them; a
    /// document with our own pending edits is committed first (the commit merges the news).
    /// Returns the documents whose heads changed.
    pub fn absorb_news(&mut self) -> Result<Vec<DocId>> {
        let store = self.store.clone();
        let wanted: Vec<(DocId, u64)> = self
            .all_loaded()
            .iter()
            .map(|l| (l.id(), l.last_seq()))
            .collect();
        let all_news = store.db().read_chunks_many(&wanted)?;
        let mut changed = Vec::new();
        let mut to_commit = Vec::new();
        for ((doc, _), news) in wanted.iter().zip(all_news) {
            if news.is_empty() {
                continue;
            }
            let l = self.doc_mut(*doc)?;
            if l.pending() {
                to_commit.push(*doc);
            } else {
                let before = l.am_mut().get_heads();
                l.absorb(&news, None, &store)?;
                if l.am_mut().get_heads() != before {
                    changed.push(*doc);
                }
            }
        }
        for doc in &changed {
            self.doc_changed(*doc);
        }
        self.persist_docs(&to_commit, "typing")?;
        changed.extend(to_commit);
        Ok(changed)
    }

    /// Documents whose commit policy says it is time to commit.
    pub fn due_docs(&mut self, now_ms: u64) -> Vec<DocId> {
        self.all_loaded()
            .into_iter()
            .filter_map(|l| (l.pending() && l.policy_mut().should_commit(now_ms)).then(|| l.id()))
            .collect()
    }

    /// Documents with edits waiting for a commit.
    pub fn pending_docs(&mut self) -> Vec<DocId> {
        self.all_loaded()
            .into_iter()
            .filter(|l| l.pending())
            .map(|l| l.id())
            .collect()
    }

    /// Commits every document whose commit policy says it is time; returns how many.
    pub fn tick(&mut self, now_ms: u64) -> Result<usize> {
        let due = self.due_docs(now_ms);
        self.persist_docs(&due, "typing")?;
        Ok(due.len())
    }

    /// Commits all pending edits now (focus change, before sync, on quit).
    pub fn commit_pending(&mut self) -> Result<()> {
        let pending = self.pending_docs();
        self.persist_docs(&pending, "typing")
    }

    /// Whether any loaded document has edits waiting for a commit.
    pub fn has_pending(&mut self) -> bool {
        self.all_loaded().into_iter().any(|l| l.pending())
    }
}
