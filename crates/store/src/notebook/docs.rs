//! The notebook's documents by document id, for the sync layer: the same in-memory documents
//! the typed edits change (never a second copy), loaded on first use, documents new to this
//! device adopted, and which documents are shared live with a connected peer.

use super::Notebook;
use crate::chunks::DocKind;
use crate::error::{Result, StoreError};
use crate::loaded::{AnyLoaded, Loaded};
use crate::store::Store;
use std::sync::Arc;
use stones_doc::automerge::{AutoCommit, ChangeHash};
use stones_doc::{DocId, IndexDoc, NotebookId, SessionDoc};

impl Notebook {
    /// The id of the index document.
    pub fn index_doc(&self) -> DocId {
        self.index.id
    }

    /// The index's automerge document, for reading.
    pub fn index_am(&self) -> &AutoCommit {
        stones_doc::Document::am(&self.index.doc)
    }

    /// The document a session lives in (loading it if needed).
    pub fn doc_of_session(&mut self, session: stones_doc::EntryId) -> Result<DocId> {
        self.load_session(session)
    }

    /// The document an edit target lives in.
    pub fn doc_of(&mut self, target: super::Target) -> Result<DocId> {
        match target {
            super::Target::Index => Ok(self.index.id),
            super::Target::Session(s) => self.load_session(s),
        }
    }

    /// Whether a document is in memory (no store read needed to use it).
    pub fn is_loaded(&self, doc: DocId) -> bool {
        doc == self.index.id || self.sessions.contains_key(&doc)
    }

    /// A document of this notebook by id, loading a session document from the store if
    /// needed (it need not be named by the index yet: a peer may send it first).
    /// Whoever changes the document through it calls [`Notebook::doc_changed`].
    pub fn doc_mut(&mut self, doc: DocId) -> Result<&mut dyn AnyLoaded> {
        if doc == self.index.id {
            return Ok(&mut self.index);
        }
        if !self.sessions.contains_key(&doc) {
            self.load_session_doc(doc)?;
        }
        match self.sessions.get_mut(&doc) {
            Some(l) => Ok(l),
            None => Err(StoreError::NotFound {
                what: "document",
                id: doc.to_hex(),
            }),
        }
    }

    pub(crate) fn load_session_doc(&mut self, doc: DocId) -> Result<()> {
        let mut l = Loaded::load(&self.store, doc, DocKind::Session, SessionDoc::from_doc)?;
        l.policy.set_live(self.live);
        self.sessions.insert(doc, l);
        Ok(())
    }

    /// Takes in a session document that is new to this device (a peer sent it), already
    /// merged in memory: `stored` says what of it the store holds already (`None`: nothing
    /// yet, so the next write stores all of it; `Some((seq, heads))`: written up to chunk
    /// `seq` with these heads).
    pub fn adopt_session_doc(
        &mut self,
        doc: DocId,
        mut am: AutoCommit,
        stored: Option<(u64, Vec<ChangeHash>)>,
    ) {
        am.set_actor(self.store.actor());
        let mut l = Loaded::fresh(SessionDoc::from_doc(am), doc, DocKind::Session);
        if let Some((seq, heads)) = stored {
            l.last_seq = seq;
            l.saved_heads = heads;
        }
        l.policy.set_live(self.live);
        self.sessions.insert(doc, l);
    }

    /// A notebook whose index arrived from a peer (this device is joining it): `stored` as
    /// for [`Notebook::adopt_session_doc`].
    pub fn adopt_index(
        store: &Arc<Store>,
        id: NotebookId,
        doc: DocId,
        mut am: AutoCommit,
        stored: Option<(u64, Vec<ChangeHash>)>,
    ) -> Result<Notebook> {
        am.set_actor(store.actor());
        let mut l = Loaded::fresh(IndexDoc::from_doc(am), doc, DocKind::Index);
        if let Some((seq, heads)) = stored {
            l.last_seq = seq;
            l.saved_heads = heads;
        }
        let seen = store.db().commit_count()?;
        Notebook::from_index(store, id, l, seen)
    }

    /// Marks the notebook as shared live with a connected peer (or no longer): while live,
    /// typing is committed within tens of milliseconds instead of at the coarse pauses.
    pub fn set_live(&mut self, live: bool) {
        self.live = live;
        for l in self.all_loaded() {
            l.policy_mut().set_live(live);
        }
    }

    /// Whether the notebook is shared live.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// The earliest moment (ms, the clock typing passes in) a loaded document's commit
    /// policy wants a commit, if any typing is pending.
    pub fn next_commit_due(&mut self) -> Option<u64> {
        self.all_loaded()
            .into_iter()
            .filter_map(|l| l.policy_mut().deadline())
            .min()
    }
}
