//! An open notebook on this device: the index and the sessions loaded so far, edited through
//! typed methods, persisted by coarse commits with every keystroke journaled in between.
//! Opening loads the index and one session only; other sessions load when asked for.

pub mod edit;
mod history;
mod persist;

pub use history::HistoryItem;

use crate::chunks::DocKind;
use crate::error::{Result, StoreError};
use crate::loaded::Loaded;
use crate::store::Store;
use std::collections::BTreeMap;
use stones_doc::{
    DocId, EntryId, IndexDoc, MemberId, NotebookId, NotebookView, SessionDoc, SessionView,
};

/// Where an edit lands: the index or one session's document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Index,
    Session(EntryId),
}

/// A member to add: name, sector, role.
#[derive(Clone, Debug, Default)]
pub struct NewMember {
    pub name: String,
    pub sector: String,
    pub role: String,
}

/// An open notebook.
#[derive(Debug)]
pub struct Notebook<'s> {
    store: &'s Store,
    id: NotebookId,
    index: Loaded<IndexDoc>,
    sessions: BTreeMap<DocId, Loaded<SessionDoc>>,
    /// Which document each loaded session lives in, so keystrokes need no index walk.
    doc_of: BTreeMap<EntryId, DocId>,
    seen_commits: u64,
    /// The index read as a view, until the index changes (reading it walks the whole
    /// document: opening a notebook used to read it three times).
    view: std::cell::RefCell<Option<NotebookView>>,
}

impl<'s> Notebook<'s> {
    /// Creates a notebook with this device's person as its first member.
    pub fn create(
        store: &'s Store,
        title: &str,
        purpose: &str,
        founder: &NewMember,
    ) -> Result<Notebook<'s>> {
        if title.trim().is_empty() {
            return Err(stones_doc::DocError::Invalid(
                "a notebook's title must not be empty".into(),
            )
            .into());
        }
        let now = Store::now_ms();
        let id = NotebookId::random();
        let mut doc = IndexDoc::create(id, title.trim(), purpose.trim(), store.actor(), now)?;
        let me = doc.add_member(&founder.name, &founder.sector, &founder.role, None, now)?;
        doc.add_device(store.device(), me, "first device", Some(me), now)?;
        let index = Loaded::fresh(doc, DocId::random(), DocKind::Index);
        let mut nb = Notebook {
            store,
            id,
            index,
            sessions: BTreeMap::new(),
            doc_of: BTreeMap::new(),
            seen_commits: 0,
            view: Default::default(),
        };
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
    pub fn open(store: &'s Store, id: NotebookId) -> Result<Notebook<'s>> {
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
        let mut nb = Notebook {
            store,
            id,
            index,
            sessions: BTreeMap::new(),
            doc_of: BTreeMap::new(),
            seen_commits,
            view: Default::default(),
        };
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

    /// The store this notebook lives in.
    pub fn store(&self) -> &'s Store {
        self.store
    }

    /// The index as a plain view.
    pub fn view(&self) -> NotebookView {
        self.view
            .borrow_mut()
            .get_or_insert_with(|| self.index.doc.view())
            .clone()
    }

    /// The index, for changing it (the cached view is dropped).
    pub(crate) fn index_mut(&mut self) -> &mut Loaded<IndexDoc> {
        self.view.get_mut().take();
        &mut self.index
    }

    /// The member this device belongs to.
    pub fn me(&self) -> Option<MemberId> {
        self.view().member_of_device(self.store.device())
    }

    /// Reads a session, loading its document if needed.
    pub fn session(&mut self, session: EntryId) -> Result<SessionView> {
        let doc = self.load_session(session)?;
        Ok(self.sessions[&doc].doc.view())
    }

    /// Ids of the session documents loaded so far.
    pub fn loaded_sessions(&self) -> Vec<DocId> {
        self.sessions.keys().copied().collect()
    }

    fn session_doc_id(&self, session: EntryId) -> Result<DocId> {
        self.view()
            .session(session)
            .map(|s| s.doc)
            .ok_or_else(|| StoreError::NotFound {
                what: "session",
                id: session.to_hex(),
            })
    }

    fn load_session(&mut self, session: EntryId) -> Result<DocId> {
        if let Some(doc) = self.doc_of.get(&session) {
            return Ok(*doc);
        }
        let doc = self.session_doc_id(session)?;
        if !self.sessions.contains_key(&doc) {
            let l = Loaded::load(self.store, doc, DocKind::Session, SessionDoc::from_doc)?;
            self.sessions.insert(doc, l);
        }
        self.doc_of.insert(session, doc);
        Ok(doc)
    }
}
