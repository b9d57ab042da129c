//! An open notebook on this device: the index and the sessions loaded so far, edited through
//! typed methods, persisted by coarse commits with every keystroke journaled in between.
//! Opening loads the index and one session only; other sessions load when asked for.
//!
//! A `Notebook` owns a shared handle on its store (`Arc<Store>`), so it can live as long as
//! whoever holds it (an engine, an app). At most one `Notebook` per notebook is open on one
//! `Store` at a time: two would write changes under one actor id with the same sequence
//! numbers, which automerge then refuses to load.

mod conflicts;
mod docs;
pub mod edit;
mod history;
mod persist;
mod search;
mod undo;
mod voices;
mod walk;

pub use conflicts::ConflictReport;
pub use history::HistoryItem;
pub use search::SearchResults;
pub use undo::UndoSide;
pub use voices::VoicesReport;

use crate::chunks::DocKind;
use crate::error::{Result, StoreError};
use crate::loaded::Loaded;
use crate::store::Store;
use std::collections::BTreeMap;
use std::sync::Arc;
use stones_doc::{
    DocId, EntryId, IndexDoc, MemberId, NotebookId, NotebookView, SessionDoc, SessionView,
};

/// Where an edit lands: the index or one session's document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// The notebook's index document.
    Index,
    /// The document of this session.
    Session(EntryId),
}

/// A member to add: name, sector, role.
#[derive(Clone, Debug, Default)]
pub struct NewMember {
    /// How the group knows them.
    pub name: String,
    /// NHS, council, charity, funder…
    pub sector: String,
    /// A role in the group, if any.
    pub role: String,
}

/// An open notebook.
#[derive(Debug)]
pub struct Notebook {
    store: Arc<Store>,
    id: NotebookId,
    index: Loaded<IndexDoc>,
    sessions: BTreeMap<DocId, Loaded<SessionDoc>>,
    /// Which document each loaded session lives in, so keystrokes need no index walk.
    doc_of: BTreeMap<EntryId, DocId>,
    seen_commits: u64,
    /// The index read as a view, until the index changes (reading it walks the whole
    /// document: opening a notebook used to read it three times). Shared: handing it out
    /// costs a reference count, not a copy.
    view: std::sync::Mutex<Option<Arc<NotebookView>>>,
    /// A connected peer shares the notebook live: typing commits within tens of ms.
    live: bool,
    /// Session views, built when asked for and dropped when their document changes.
    session_views: std::sync::Mutex<BTreeMap<DocId, Arc<SessionView>>>,
    /// Each document's search items while they are current (`search.rs`).
    search: search::SearchCache,
    /// This process's own typing per text field, to undo and redo (`undo.rs`).
    undo: undo::UndoStacks,
}

impl Drop for Notebook {
    fn drop(&mut self) {
        self.store.release_notebook(self.id);
    }
}

impl Notebook {
    /// Creates a notebook with this device's person as its first member.
    pub fn create(
        store: &Arc<Store>,
        title: &str,
        purpose: &str,
        founder: &NewMember,
    ) -> Result<Notebook> {
        if title.trim().is_empty() {
            return Err(stones_doc::DocError::Invalid(
                "a notebook's title must not be empty".into(),
            )
            .into());
        }
        let now = Store::now_ms();
        let id = NotebookId::random();
        let mut doc = IndexDoc::create(id, title.trim(), purpose.trim(), store.actor(), now)?;
        doc.found(
            &founder.name,
            &founder.sector,
            &founder.role,
            store.device(),
            now,
        )?;
        let index = Loaded::fresh(doc, DocId::random(), DocKind::Index);
        let mut nb = Notebook::from_index(store, id, index, 0)?;
        nb.persist(&[Target::Index], "create notebook")?;
        Ok(nb)
    }

    /// Every notebook in the store with its title, by title then id.
    pub fn list(store: &Store) -> Result<Vec<(NotebookId, String)>> {
        let mut out = Vec::new();
        for (doc, nb, kind) in store.db().docs()? {
            if kind == DocKind::Index {
                let l = Loaded::load(store, doc, kind, IndexDoc::from_doc)?;
                out.push((nb, l.doc.view().title));
            }
        }
        out.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        Ok(out)
    }

    /// Opens a notebook: loads its index and its latest session.
    pub fn open(store: &Arc<Store>, id: NotebookId) -> Result<Notebook> {
        let index_doc = store
            .db()
            .docs()?
            .into_iter()
            .find(|(_, nb, kind)| *nb == id && *kind == DocKind::Index)
            .map(|(d, _, _)| d)
            .ok_or_else(|| StoreError::NotFound {
                what: "notebook",
                id: id.to_hex(),
            })?;
        let seen_commits = store.db().commit_count()?;
        let index = Loaded::load(store, index_doc, DocKind::Index, IndexDoc::from_doc)?;
        let mut nb = Notebook::from_index(store, id, index, seen_commits)?;
        if let Some(latest) = nb.view().sessions.last().map(|s| s.id) {
            // A session listed in the index but not yet on this device (not synced) is fine.
            let _ = nb.load_session(latest);
        }
        Ok(nb)
    }

    /// The notebook's id.
    pub fn id(&self) -> NotebookId {
        self.id
    }

    /// Wraps a loaded index as an open notebook (claiming it on this store).
    pub(crate) fn from_index(
        store: &Arc<Store>,
        id: NotebookId,
        index: Loaded<IndexDoc>,
        seen_commits: u64,
    ) -> Result<Notebook> {
        store.claim_notebook(id)?;
        Ok(Notebook {
            store: store.clone(),
            id,
            index,
            sessions: BTreeMap::new(),
            doc_of: BTreeMap::new(),
            seen_commits,
            view: Default::default(),
            live: false,
            session_views: Default::default(),
            search: Default::default(),
            undo: Default::default(),
        })
    }

    /// The store this notebook lives in.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The index as a view, shared: built once per change of the index.
    pub fn view(&self) -> Arc<NotebookView> {
        let mut cached = self.view.lock().unwrap_or_else(|p| p.into_inner());
        cached
            .get_or_insert_with(|| Arc::new(self.index.doc.view()))
            .clone()
    }

    /// The index, for changing it (the cached view is dropped).
    pub(crate) fn index_mut(&mut self) -> &mut Loaded<IndexDoc> {
        self.forget_view();
        &mut self.index
    }

    /// Drops the cached view (the index changed).
    pub(crate) fn forget_view(&mut self) {
        *self.view.get_mut().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// The member this device belongs to.
    pub fn me(&self) -> Option<MemberId> {
        self.view().member_of_device(self.store.device())
    }

    /// Reads a session, loading its document if needed. The view is shared and built once
    /// per change of the document.
    pub fn session(&mut self, session: EntryId) -> Result<Arc<SessionView>> {
        let doc = self.load_session(session)?;
        let mut views = self.session_views.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(v) = views.get(&doc) {
            return Ok(v.clone());
        }
        let v = Arc::new(self.loaded_session(doc, session)?.doc.view());
        views.insert(doc, v.clone());
        Ok(v)
    }

    /// A document changed in memory: drop the views built from it.
    pub fn doc_changed(&mut self, doc: DocId) {
        if doc == self.index.id {
            self.forget_view();
        } else {
            self.session_views
                .get_mut()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&doc);
        }
    }

    /// Ids of the session documents loaded so far.
    pub fn loaded_sessions(&self) -> Vec<DocId> {
        self.sessions.keys().copied().collect()
    }

    /// The loaded document `doc` of `session` (after `load_session`).
    pub(crate) fn loaded_session(
        &self,
        doc: DocId,
        session: EntryId,
    ) -> Result<&Loaded<SessionDoc>> {
        self.sessions.get(&doc).ok_or_else(|| StoreError::NotFound {
            what: "session",
            id: session.to_hex(),
        })
    }

    fn session_doc_id(&self, session: EntryId) -> Result<DocId> {
        let doc =
            self.view()
                .session(session)
                .map(|s| s.doc)
                .ok_or_else(|| StoreError::NotFound {
                    what: "session",
                    id: session.to_hex(),
                })?;
        // A faulty or hostile device can name the index as a session's document: reading
        // it as a session would show nonsense, and typing into it would edit the index.
        if doc == self.index_doc() {
            return Err(stones_doc::DocError::Invalid(format!(
                "session {session} names the notebook's index as its document (written by a \
                 faulty or hostile device); it cannot be opened"
            ))
            .into());
        }
        Ok(doc)
    }

    fn load_session(&mut self, session: EntryId) -> Result<DocId> {
        if let Some(doc) = self.doc_of.get(&session) {
            return Ok(*doc);
        }
        let doc = self.session_doc_id(session)?;
        if !self.sessions.contains_key(&doc) {
            self.load_session_doc(doc)?;
        }
        self.doc_of.insert(session, doc);
        Ok(doc)
    }
}
