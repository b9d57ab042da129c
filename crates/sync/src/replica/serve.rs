//! The engine's notebooks as the protocol core's replica: heads, sync messages and whole
//! documents come from (and go into) the very documents the engine edits. Typing still open
//! in a document is committed before a sync message is made from it or a peer's change is
//! merged into it (design §3); the next flush writes it with its journal done marks.

use super::EngineReplica;
use crate::access;
use crate::core::signing::{self, Received};
use crate::core::{Access, Replica};
use crate::error::{Result, SyncError};
use crate::wire::SignedHash;
use stones_doc::automerge::sync::SyncDoc;
use stones_doc::automerge::{AutoCommit, ChangeHash, sync};
use stones_doc::{DeviceId, DocId, DocKind, NotebookId};
use stones_store::chunks::SNAPSHOT;
use stones_store::loaded::AnyLoaded;
use stones_store::{Notebook, Store};

impl EngineReplica {
    /// A held document, loaded (or taken in from what arrived whole) if needed; a document
    /// loaded now has its heads remembered for the heads cache.
    fn held(&mut self, doc: DocId) -> Result<&mut dyn AnyLoaded> {
        let nb = self
            .catalog
            .get(&doc)
            .map(|c| c.0)
            .ok_or_else(|| super::not_here_doc(doc))?;
        let was_loaded = self.is_loaded(doc);
        let n = self
            .notebooks
            .get_mut(&nb)
            .ok_or_else(|| super::not_here(nb))?;
        if let Some(bytes) = self.new_whole.remove(&doc) {
            // Arrived whole a moment ago and not written yet: take it into memory.
            n.adopt_session_doc(doc, stones_doc::load_doc(&bytes)?, None);
            self.new_held.insert(doc);
        }
        let l = n.doc_mut(doc)?;
        self.cached.remove(&doc);
        // (A document new here gets its cache entry with its snapshot at the next flush.)
        if !was_loaded && !self.new_held.contains(&doc) {
            let heads = l.committed_heads().into_iter().map(|h| h.0).collect();
            self.pending_heads.insert(doc, (l.last_seq(), heads));
        }
        Ok(l)
    }

    /// A held document with its open typing committed (to be written, and offered to every
    /// peer): what a sync step must start from (design §3).
    fn settled(&mut self, doc: DocId) -> Result<&mut dyn AnyLoaded> {
        if self.held(doc)?.commit_typing(Store::now_ms()) {
            self.dirty.insert(doc);
            self.local_news.insert(doc);
        }
        self.held(doc)
    }

    /// After a peer changed a held document: write it at the next flush, drop its views.
    fn peer_changed(&mut self, nb: NotebookId, doc: DocId, kind: DocKind) {
        if !self.new_held.contains(&doc) {
            self.dirty.insert(doc);
        }
        if kind == DocKind::Index {
            self.index_changed(nb);
        } else if let Some(n) = self.notebooks.get_mut(&nb) {
            n.doc_changed(doc);
        }
    }

    /// Takes in a document new here, already merged in memory, to be stored at the next
    /// flush as a snapshot of what memory holds then.
    fn adopt(&mut self, nb: NotebookId, doc: DocId, kind: DocKind, am: AutoCommit) -> Result<()> {
        if kind == DocKind::Index {
            if self.notebooks.contains_key(&nb) {
                return Err(SyncError::Protocol(format!(
                    "a second index document for notebook {nb}"
                )));
            }
            let n = Notebook::adopt_index(&self.store, nb, doc, am, None)?;
            self.notebooks.insert(nb, n);
            self.catalog.insert(doc, (nb, kind));
            self.index_changed(nb);
        } else {
            let n = self.notebooks.get_mut(&nb).ok_or_else(|| {
                SyncError::Protocol(format!(
                    "a session document before the index of notebook {nb}"
                ))
            })?;
            n.adopt_session_doc(doc, am, None);
            self.catalog.insert(doc, (nb, kind));
        }
        self.new_held.insert(doc);
        Ok(())
    }
}

impl Replica for EngineReplica {
    fn notebooks(&self) -> Vec<NotebookId> {
        let mut v: Vec<NotebookId> = self.membership.keys().copied().collect();
        v.extend(self.joining.keys());
        v.sort();
        v.dedup();
        v
    }

    fn access(&self, notebook: NotebookId, peer: DeviceId) -> Access {
        access::decide(
            self.membership.get(&notebook),
            self.store.device(),
            self.joining.get(&notebook),
            peer,
        )
    }

    fn docs(&mut self, notebook: NotebookId) -> Result<Vec<(DocId, DocKind)>> {
        Ok(self.docs_of(notebook))
    }

    fn index_of(&mut self, notebook: NotebookId) -> Result<Option<DocId>> {
        match self.notebooks.get(&notebook) {
            Some(n) => Ok(Some(n.index_doc())),
            // A notebook still arriving is only in the catalogue.
            None => Ok(self
                .docs_of(notebook)
                .into_iter()
                .find(|(_, k)| *k == DocKind::Index)
                .map(|(d, _)| d)),
        }
    }

    fn doc_info(&self, doc: DocId) -> Option<(NotebookId, DocKind)> {
        self.catalog.get(&doc).copied()
    }

    fn heads(&mut self, doc: DocId) -> Result<Vec<ChangeHash>> {
        if !self.catalog.contains_key(&doc) {
            return Ok(Vec::new());
        }
        if !self.is_loaded(doc)
            && let Some(h) = self.cached.get(&doc)
        {
            return Ok(h.clone()); // no need to load a document nobody changed
        }
        // Heads only: open typing stays open (it counts as not caught up, and commits by
        // its policy), so reading the state of a link never commits anything.
        Ok(self.held(doc)?.committed_heads())
    }

    fn generate(&mut self, doc: DocId, state: &mut sync::State) -> Result<Option<sync::Message>> {
        if !self.catalog.contains_key(&doc) {
            return Ok(AutoCommit::new().sync().generate_sync_message(state));
        }
        Ok(self
            .settled(doc)?
            .am_mut()
            .sync()
            .generate_sync_message(state))
    }

    fn receive(
        &mut self,
        notebook: NotebookId,
        doc: DocId,
        kind: DocKind,
        state: &mut sync::State,
        mut message: sync::Message,
        signatures: &[SignedHash],
    ) -> Result<Received> {
        let automerge =
            |e: stones_doc::automerge::AutomergeError| SyncError::Automerge(e.to_string());
        let known = self.catalog.contains_key(&doc);
        if known {
            self.settled(doc)?; // before the refusals are taken out, so an error keeps them
        }
        let mut refused = self.take_refused(doc);
        let mut fresh = stones_doc::new_doc();
        let am = if known {
            self.held(doc)?.am_mut()
        } else {
            &mut fresh
        };
        let before = am.get_heads();
        let screened = signing::screen_sync(am, kind, &mut message, signatures, &mut refused);
        self.put_back_refused(doc, refused, screened.as_ref().ok().map(|s| &s.refused));
        let screened = screened?;
        let am = if known {
            self.held(doc)?.am_mut()
        } else {
            &mut fresh
        };
        am.sync()
            .receive_sync_message(state, message)
            .map_err(automerge)?;
        let changed = am.get_heads() != before;
        if changed && known {
            self.peer_changed(notebook, doc, kind);
        }
        // A document is held from its first change on, never as an empty shell.
        if changed && !known {
            self.adopt(notebook, doc, kind, fresh)?;
        }
        self.keep_signatures(doc, &screened.accepted, signatures)?;
        Ok(Received {
            changed,
            refused: screened.refused,
        })
    }

    fn signatures_for(
        &mut self,
        doc: DocId,
        hashes: Option<&[ChangeHash]>,
    ) -> Result<Vec<SignedHash>> {
        if self.catalog.get(&doc).map(|c| c.1) != Some(DocKind::Index) {
            return Ok(Vec::new());
        }
        let held = self.take_signatures(doc)?;
        let store = self.store.clone();
        let mut made = Vec::new();
        let out = self.settled(doc).map(|l| {
            signing::signatures_for(
                l.am_mut(),
                hashes,
                store.device(),
                |h| held.get(h).copied(),
                |h| store.sign(h),
                &mut made,
            )
        });
        self.put_back_signatures(doc, held, made);
        out
    }

    fn whole(&mut self, doc: DocId) -> Result<Vec<u8>> {
        if self.is_loaded(doc) || self.new_held.contains(&doc) {
            return Ok(self.settled(doc)?.am_mut().save());
        }
        if let Some(bytes) = self.new_whole.get(&doc) {
            return Ok(bytes.clone());
        }
        // Not loaded: send the stored chunks as they are (a snapshot, perhaps followed by
        // incremental changes: loadable as one), without loading the document here.
        let chunks = self.store.db().read_chunks(doc, 0)?;
        if let Some(snapshot) = stones_store::compaction::single_snapshot(&chunks) {
            return Ok(snapshot.to_vec());
        }
        if chunks.first().is_some_and(|c| c.kind == SNAPSHOT) {
            return Ok(chunks.into_iter().flat_map(|c| c.bytes).collect());
        }
        Ok(self.settled(doc)?.am_mut().save())
    }

    fn receive_whole(
        &mut self,
        notebook: NotebookId,
        doc: DocId,
        kind: DocKind,
        bytes: &[u8],
        signatures: &[SignedHash],
    ) -> Result<(Received, Vec<ChangeHash>)> {
        let known = self.catalog.contains_key(&doc);
        if !known && kind != DocKind::Index && self.notebooks.contains_key(&notebook) {
            // New here and one checked snapshot: store it as it is, heads from its header;
            // it loads when someone opens it (the index loads now: access depends on it).
            if let Ok(sent) = stones_doc::snapshot_heads(bytes) {
                if sent.is_empty() {
                    return Ok((Received::default(), sent)); // never an empty shell
                }
                self.catalog.insert(doc, (notebook, kind));
                self.cached.insert(doc, sent.clone());
                self.new_whole.insert(doc, bytes.to_vec());
                let received = Received {
                    changed: true,
                    ..Received::default()
                };
                return Ok((received, sent));
            }
        }
        let mut incoming = stones_doc::load_doc(bytes)?;
        if incoming.get_heads().is_empty() {
            return Ok((Received::default(), Vec::new())); // never an empty shell
        }
        if known {
            self.settled(doc)?; // before the refusals are taken out, so an error keeps them
        }
        let mut refused = self.take_refused(doc);
        let ours = match known {
            true => Some(self.held(doc)?.am_mut()),
            false => None,
        };
        let screened = signing::screen_whole(ours, kind, &mut incoming, signatures, &mut refused);
        self.put_back_refused(doc, refused, screened.as_ref().ok().map(|s| &s.0.refused));
        let (mut screened, mut sent) = screened?;
        if incoming.get_heads().is_empty() {
            // All of it refused: nothing to hold.
            return Ok((Received::from(screened), sent));
        }
        if !known {
            self.keep_signatures(doc, &screened.accepted, signatures)?;
            self.adopt(notebook, doc, kind, incoming)?;
            let mut received = Received::from(screened);
            received.changed = true;
            return Ok((received, sent));
        }
        self.settled(doc)?; // before the refusals are taken out, so an error keeps them
        let mut refused = self.take_refused(doc);
        let am = self.held(doc)?.am_mut();
        let before = am.get_heads();
        let merged = signing::merge_whole(am, &mut incoming, &mut sent, &mut refused);
        self.put_back_refused(doc, refused, merged.as_ref().ok());
        screened.take_in(merged?);
        self.keep_signatures(doc, &screened.accepted, signatures)?;
        let am = self.settled(doc)?.am_mut();
        let mut received = Received::from(screened);
        received.changed = am.get_heads() != before;
        if received.changed {
            self.peer_changed(notebook, doc, kind);
        }
        Ok((received, sent))
    }

    fn load_state(&mut self, peer: DeviceId, doc: DocId) -> sync::State {
        let bytes = match self.states.get(&(peer, doc)) {
            Some(b) => Some(b.clone()),
            None => self.store.db().sync_state(peer, doc).ok().flatten(),
        };
        bytes
            .and_then(|b| sync::State::decode(&b).ok())
            .unwrap_or_default()
    }

    fn save_state(&mut self, peer: DeviceId, doc: DocId, state: &sync::State) {
        self.states.insert((peer, doc), state.encode());
    }

    fn flush(&mut self) -> Result<()> {
        self.write_pending()
    }
}
