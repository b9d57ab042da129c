//! The replica's write: one store batch ([`stones_store::Batch`]) per flush holding what
//! peers sent (each notebook's documents through the same `prepare_write`/`after_write`
//! steps as local commits, so open typing goes with its journal done marks), documents new
//! here, sync states and learnt heads — nothing is acknowledged to a peer before it is on
//! disk.

use super::EngineReplica;
use crate::error::Result;
use std::collections::BTreeMap;
use stones_doc::{DocId, NotebookId};
use stones_store::{Batch, NewDoc};

impl EngineReplica {
    /// Writes everything pending in one transaction, then merges what other processes
    /// wrote meanwhile.
    pub(super) fn write_pending(&mut self) -> Result<()> {
        let mut by_nb: BTreeMap<NotebookId, Vec<DocId>> = BTreeMap::new();
        for doc in std::mem::take(&mut self.dirty) {
            if let Some((nb, _)) = self.catalog.get(&doc) {
                by_nb.entry(*nb).or_default().push(doc);
            }
        }
        let mut batch = Batch::default();
        let mut order: Vec<(NotebookId, Vec<DocId>, usize)> = Vec::new();
        for (nb, docs) in by_nb {
            let Some(n) = self.notebooks.get_mut(&nb) else {
                continue;
            };
            let part = n.prepare_write(&docs, "sync")?;
            order.push((nb, docs, part.docs.len()));
            batch.extend(part);
        }
        // New documents: the loaded ones as memory holds them now (all that arrived in this
        // batch), the others as they came.
        let mut new_held = Vec::new();
        for doc in std::mem::take(&mut self.new_held) {
            let Some((nb, kind)) = self.catalog.get(&doc).copied() else {
                continue;
            };
            let Some(n) = self.notebooks.get_mut(&nb) else {
                continue;
            };
            let l = n.doc_mut(doc)?;
            let heads = l.am_mut().get_heads();
            batch.new_docs.push(NewDoc {
                doc,
                notebook: nb,
                kind,
                snapshot: l.am_mut().save(),
                heads: Some(heads.clone()),
            });
            new_held.push((nb, doc, heads));
        }
        for (doc, bytes) in std::mem::take(&mut self.new_whole) {
            let Some((nb, kind)) = self.catalog.get(&doc).copied() else {
                continue;
            };
            batch.new_docs.push(NewDoc {
                doc,
                notebook: nb,
                kind,
                snapshot: bytes,
                heads: self.cached.get(&doc).cloned(),
            });
        }
        batch.sync_states = std::mem::take(&mut self.states).into_iter().collect();
        batch.heads = std::mem::take(&mut self.pending_heads)
            .into_iter()
            .collect();
        batch.signatures = std::mem::take(&mut self.new_signatures);
        batch.refused = std::mem::take(&mut self.new_refused);
        let written = self.store.write_batch(&batch)?;
        // The stored snapshots: the held ones now know their chunk.
        for ((nb, doc, heads), seq) in new_held.into_iter().zip(&written.new_docs) {
            if let Some(n) = self.notebooks.get_mut(&nb) {
                n.doc_mut(doc)?.stored_whole(*seq, heads);
            }
        }
        let mut at = 0;
        for (nb, docs, n_docs) in order {
            let part = &written.docs[at..at + n_docs];
            at += n_docs;
            for (doc, w) in docs.iter().zip(part) {
                if !w.others.is_empty() {
                    self.local_news.insert(*doc);
                }
            }
            if let Some(n) = self.notebooks.get_mut(&nb) {
                n.after_write(&docs, part)?;
            }
        }
        Ok(())
    }
}
