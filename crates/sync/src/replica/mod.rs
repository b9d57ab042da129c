//! The engine's documents: every notebook of the home, open once (`stones_store::Notebook`,
//! the same in-memory documents that typed edits change), with what the protocol core needs
//! beside them — the catalogue of documents, who belongs (membership views), joins in
//! progress, sync states and heads to write, documents new here. It implements the core's
//! [`Replica`](crate::core::Replica) in `serve.rs`; `flush.rs` is its one write path (a
//! store batch), `refresh.rs` picks up what other processes committed.

mod flush;
mod refresh;
mod serve;
mod signatures;

use crate::access;
use crate::error::{Result, SyncError};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use stones_doc::automerge::ChangeHash;
use stones_doc::{DeviceId, DocId, DocKind, NotebookId, NotebookView};
use stones_store::heads_cache::CachedHeads;
use stones_store::{Notebook, Store};

const JOINING: &str = "joining/";

/// A device's notebooks, serving both the engine's edits and the protocol core.
pub struct EngineReplica {
    store: Arc<Store>,
    catalog: BTreeMap<DocId, (NotebookId, DocKind)>,
    notebooks: BTreeMap<NotebookId, Notebook>,
    /// Members, devices and invites of each notebook (all access needs; the full view of a
    /// years-long index costs far more).
    membership: BTreeMap<NotebookId, NotebookView>,
    joining: BTreeMap<NotebookId, DeviceId>,
    /// Documents peers changed, written at the next flush.
    dirty: BTreeSet<DocId>,
    states: BTreeMap<(DeviceId, DocId), Vec<u8>>,
    seen_commits: u64,
    /// Heads of documents not loaded, from the store's heads cache (still valid).
    cached: BTreeMap<DocId, Vec<ChangeHash>>,
    /// Heads learnt by loading, written to the cache at the next flush.
    pending_heads: BTreeMap<DocId, CachedHeads>,
    /// Documents that arrived whole, are new here and are not loaded: stored as they came.
    new_whole: BTreeMap<DocId, Vec<u8>>,
    /// Documents new here that are loaded (an index, say): stored as a snapshot of memory.
    new_held: BTreeSet<DocId>,
    /// Local news the peers have not been offered yet (see [`EngineReplica::take_local_news`]):
    /// documents into which a write merged what other processes had just committed, and
    /// documents whose open typing was committed before a sync step.
    local_news: BTreeSet<DocId>,
    /// Documents other processes changed, found by the last refresh (for events).
    from_others: Vec<DocId>,
    /// Signatures of index changes held in memory, per document (`signatures.rs`).
    signatures: BTreeMap<DocId, signatures::Held>,
    /// Signatures new here, written at the next flush.
    new_signatures: Vec<(DocId, ChangeHash, stones_doc::signed::Signature)>,
    /// Changes refused so far, per document.
    refused: BTreeMap<DocId, stones_doc::signed::Refused>,
    /// Changes refused since the last flush, to be recorded with why.
    new_refused: Vec<(DocId, ChangeHash, String)>,
}

impl EngineReplica {
    /// Opens every notebook of the store (each loads its index and latest session).
    pub fn open(store: Arc<Store>) -> Result<Self> {
        let mut r = EngineReplica {
            store,
            catalog: BTreeMap::new(),
            notebooks: BTreeMap::new(),
            membership: BTreeMap::new(),
            joining: BTreeMap::new(),
            dirty: BTreeSet::new(),
            states: BTreeMap::new(),
            seen_commits: 0,
            cached: BTreeMap::new(),
            pending_heads: BTreeMap::new(),
            new_whole: BTreeMap::new(),
            new_held: BTreeSet::new(),
            local_news: BTreeSet::new(),
            from_others: Vec::new(),
            signatures: BTreeMap::new(),
            new_signatures: Vec::new(),
            refused: BTreeMap::new(),
            new_refused: Vec::new(),
        };
        r.seen_commits = r.store.db().commit_count()?;
        r.reload_catalog()?;
        r.reload_cached_heads()?;
        Ok(r)
    }

    /// The store underneath.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Notebooks open here, by id.
    pub fn notebook_ids(&self) -> Vec<NotebookId> {
        self.notebooks.keys().copied().collect()
    }

    /// An open notebook.
    pub fn notebook(&self, nb: NotebookId) -> Result<&Notebook> {
        self.notebooks.get(&nb).ok_or_else(|| not_here(nb))
    }

    /// An open notebook, for editing (callers tell the core what changed).
    pub fn notebook_mut(&mut self, nb: NotebookId) -> Result<&mut Notebook> {
        self.notebooks.get_mut(&nb).ok_or_else(|| not_here(nb))
    }

    /// Every open notebook, for editing.
    pub fn notebooks_mut(&mut self) -> impl Iterator<Item = &mut Notebook> {
        self.notebooks.values_mut()
    }

    /// A notebook created in this process: registered with its documents.
    pub fn add_notebook(&mut self, nb: Notebook) -> Result<()> {
        let id = nb.id();
        self.reload_catalog()?;
        self.membership
            .insert(id, stones_doc::index::read_membership(nb.index_am()));
        self.notebooks.insert(id, nb);
        Ok(())
    }

    /// Documents this process just wrote to a notebook (a new session, say) join the
    /// catalogue at once: the store skips re-reading this process's own writes.
    pub fn note_written(&mut self, nb: NotebookId, docs: &[DocId]) {
        let Some(n) = self.notebooks.get(&nb) else {
            return;
        };
        let index = n.index_doc();
        for doc in docs {
            let kind = if *doc == index {
                DocKind::Index
            } else {
                DocKind::Session
            };
            self.catalog.entry(*doc).or_insert((nb, kind));
        }
    }

    /// The documents of a notebook, the index first.
    pub fn docs_of(&self, nb: NotebookId) -> Vec<(DocId, DocKind)> {
        crate::core::replica::index_first(
            self.catalog
                .iter()
                .filter(|(_, (n, _))| *n == nb)
                .map(|(d, (_, k))| (*d, *k)),
        )
    }

    /// Local news since the last call: offer it to peers like any local change (a refresh
    /// will not see it again).
    pub fn take_local_news(&mut self) -> Vec<DocId> {
        std::mem::take(&mut self.local_news).into_iter().collect()
    }

    /// Who belongs to a notebook this device holds (members, devices, invites only).
    pub fn view(&self, nb: NotebookId) -> Option<&NotebookView> {
        self.membership.get(&nb)
    }

    /// Every device (of any notebook here, or an inviter of one being joined) that may
    /// connect to the sync ALPN at all.
    pub fn allowed_devices(&self) -> BTreeSet<DeviceId> {
        let me = self.store.device();
        let mut out: BTreeSet<DeviceId> = self
            .membership
            .values()
            .filter(|v| access::is_active_device(v, me))
            .flat_map(access::active_devices)
            .collect();
        out.extend(self.joining.values());
        out.remove(&me);
        out
    }

    /// Records that we are joining `nb` through the device `inviter` (durably).
    pub fn set_joining(&mut self, nb: NotebookId, inviter: DeviceId) -> Result<()> {
        self.store
            .db()
            .set_setting(&format!("{JOINING}{}", nb.to_hex()), &inviter.0)?;
        self.joining.insert(nb, inviter);
        Ok(())
    }

    /// Forgets a finished (or abandoned) join.
    pub fn clear_joining(&mut self, nb: NotebookId) -> Result<()> {
        if self.joining.remove(&nb).is_some() {
            self.store
                .db()
                .remove_setting(&format!("{JOINING}{}", nb.to_hex()))?;
        }
        Ok(())
    }

    /// Re-reads who belongs after the index of `nb` changed.
    pub fn index_changed(&mut self, nb: NotebookId) {
        if let Some(n) = self.notebooks.get_mut(&nb) {
            let index = n.index_doc();
            n.doc_changed(index);
            let view = stones_doc::index::read_membership(n.index_am());
            self.membership.insert(nb, view);
        }
    }

    /// Re-reads the documents table and joins; opens notebooks new to this process (made
    /// by another process); returns documents new to us.
    fn reload_catalog(&mut self) -> Result<Vec<DocId>> {
        let mut new = Vec::new();
        for (doc, nb, kind) in self.store.db().docs()? {
            if self.catalog.insert(doc, (nb, kind)).is_none() {
                new.push(doc);
                if kind == DocKind::Index && !self.notebooks.contains_key(&nb) {
                    match Notebook::open(&self.store, nb) {
                        Ok(n) => {
                            self.membership
                                .insert(nb, stones_doc::index::read_membership(n.index_am()));
                            self.notebooks.insert(nb, n);
                        }
                        // Created by this process a moment ago and being registered.
                        Err(stones_store::StoreError::AlreadyOpen(_)) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        self.joining.clear();
        for (name, value) in self.store.db().settings_with_prefix(JOINING)? {
            let nb = NotebookId::from_hex(&name[JOINING.len()..]);
            if let (Ok(nb), Ok(dev)) = (nb, <[u8; 32]>::try_from(value.as_slice())) {
                self.joining.insert(nb, DeviceId(dev));
            }
        }
        Ok(new)
    }

    /// Re-reads the heads cache for documents not loaded (entries other processes made
    /// stale by writing are dropped by the store's validity check).
    fn reload_cached_heads(&mut self) -> Result<()> {
        let unloaded: Vec<DocId> = self
            .catalog
            .keys()
            .filter(|d| !self.is_loaded(**d))
            .copied()
            .collect();
        self.cached = self
            .store
            .db()
            .valid_heads(&unloaded)?
            .into_iter()
            .map(|(d, hs)| (d, hs.into_iter().map(ChangeHash).collect()))
            .collect();
        Ok(())
    }

    fn is_loaded(&self, doc: DocId) -> bool {
        self.catalog
            .get(&doc)
            .and_then(|(nb, _)| self.notebooks.get(nb))
            .is_some_and(|n| n.is_loaded(doc))
    }
}

fn not_here_doc(doc: DocId) -> SyncError {
    SyncError::Store(stones_store::StoreError::NotFound {
        what: "document",
        id: doc.to_hex(),
    })
}

fn not_here(nb: NotebookId) -> SyncError {
    SyncError::Store(stones_store::StoreError::NotFound {
        what: "notebook",
        id: nb.to_hex(),
    })
}
