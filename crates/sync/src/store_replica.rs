//! The device store as the protocol core's replica: documents load on first use, what peers
//! send is committed as incremental chunks together with the sync states in one write
//! transaction per batch, and what other processes commit to the same home is picked up by
//! `refresh`. Access follows the index views, kept current as indexes change.

use crate::access;
use crate::core::{Access, Replica};
use crate::error::{Result, SyncError};
use std::collections::{BTreeMap, BTreeSet};
use stones_doc::automerge::sync::SyncDoc;
use stones_doc::automerge::{AutoCommit, ChangeHash, sync};
use stones_doc::{DeviceId, DocId, DocKind, IndexDoc, NotebookId, NotebookView};
use stones_store::Store;
use stones_store::chunks::{SNAPSHOT, append_chunk, commit_doc, register_doc};
use stones_store::heads_cache::{CachedHeads, put_heads};
use stones_store::loaded::{Loaded, RawDoc};
use stones_store::sync_states::put_sync_states;

const JOINING: &str = "joining/";

/// A device's store, serving the protocol core.
pub struct StoreReplica {
    store: Store,
    catalog: BTreeMap<DocId, (NotebookId, DocKind)>,
    held: BTreeMap<DocId, Loaded<RawDoc>>,
    views: BTreeMap<NotebookId, NotebookView>,
    joining: BTreeMap<NotebookId, DeviceId>,
    dirty: BTreeSet<DocId>,
    states: BTreeMap<(DeviceId, DocId), Vec<u8>>,
    seen_commits: u64,
    /// Heads of documents not loaded, from the store's heads cache (still valid).
    cached: BTreeMap<DocId, Vec<ChangeHash>>,
    /// Heads learnt by loading or committing, written to the cache at the next flush.
    pending_heads: BTreeMap<DocId, CachedHeads>,
    /// Documents that arrived whole and are new here: stored as one snapshot chunk each at
    /// the next flush.
    new_whole: BTreeMap<DocId, Vec<u8>>,
    /// Documents into which a flush merged what other processes had just committed: local
    /// news the peers have not been offered yet (see [`StoreReplica::take_absorbed`]).
    absorbed: BTreeSet<DocId>,
}

impl StoreReplica {
    /// Serves this store: reads its catalogue, indexes and joins in progress.
    pub fn open(store: Store) -> Result<Self> {
        let mut r = StoreReplica {
            store,
            catalog: BTreeMap::new(),
            held: BTreeMap::new(),
            views: BTreeMap::new(),
            joining: BTreeMap::new(),
            dirty: BTreeSet::new(),
            states: BTreeMap::new(),
            seen_commits: 0,
            cached: BTreeMap::new(),
            pending_heads: BTreeMap::new(),
            new_whole: BTreeMap::new(),
            absorbed: BTreeSet::new(),
        };
        r.seen_commits = r.store.db().commit_count()?;
        r.reload_catalog()?;
        r.reload_cached_heads()?;
        Ok(r)
    }

    /// The store underneath.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Documents a flush merged other processes' commits into since the last call: the
    /// node must offer them to its peers like any local change (a refresh will not see them
    /// again, they are already merged).
    pub fn take_absorbed(&mut self) -> Vec<DocId> {
        std::mem::take(&mut self.absorbed).into_iter().collect()
    }

    /// Who belongs to a notebook this device holds (members, devices, invites only).
    pub fn view(&self, nb: NotebookId) -> Option<&NotebookView> {
        self.views.get(&nb)
    }

    /// Every device (of any notebook here, or an inviter of one being joined) that may
    /// connect to the sync ALPN at all.
    pub fn allowed_devices(&self) -> BTreeSet<DeviceId> {
        let me = self.store.device();
        let mut out: BTreeSet<DeviceId> = self
            .views
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

    /// Edits a notebook's index on this device (e.g. to admit a joiner) and commits it.
    pub fn edit_index<T>(
        &mut self,
        nb: NotebookId,
        f: impl FnOnce(&mut IndexDoc) -> stones_doc::Result<T>,
    ) -> Result<T> {
        let doc = self
            .index_of(nb)
            .ok_or_else(|| SyncError::Invite(format!("notebook {nb} is not on this device")))?;
        let l = self.load(doc)?;
        let mut index = IndexDoc::from_doc(std::mem::take(&mut l.doc.0));
        let out = f(&mut index);
        let mut am = std::mem::take(index.doc_mut());
        if out.is_err() {
            am.rollback();
        }
        l.doc.0 = am;
        let out = out?;
        self.dirty.insert(doc);
        self.flush()?;
        self.update_view(nb)?;
        Ok(out)
    }

    /// Picks up what other processes committed to this home; the documents that changed.
    pub fn refresh(&mut self) -> Result<Vec<DocId>> {
        let count = self.store.db().commit_count()?;
        if count == self.seen_commits {
            return Ok(Vec::new());
        }
        self.seen_commits = count;
        // What peers sent and is not yet written goes first: absorbing other processes'
        // chunks marks the document's heads as stored, which would otherwise take unwritten
        // changes along (found by the 12-device benchmark: an edit silently never saved).
        if !self.dirty.is_empty() || !self.new_whole.is_empty() {
            self.flush()?;
        }
        let mut changed = self.reload_catalog()?;
        let store = &self.store;
        let wanted: Vec<(DocId, u64)> = self.held.iter().map(|(d, l)| (*d, l.last_seq)).collect();
        let all_news = store.db().read_chunks_many(&wanted)?;
        for ((id, l), news) in self.held.iter_mut().zip(all_news) {
            if !news.is_empty() {
                let before = l.doc.0.get_heads();
                l.absorb(&news, None, store)?;
                if l.doc.0.get_heads() != before {
                    changed.push(*id);
                }
            }
        }
        // Documents not loaded changed if their cached heads did (or went stale).
        let before = std::mem::take(&mut self.cached);
        self.reload_cached_heads()?;
        changed.extend(
            self.catalog
                .keys()
                .filter(|d| !self.held.contains_key(d) && before.get(d) != self.cached.get(d))
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
            self.update_view(nb)?;
        }
        Ok(changed)
    }

    /// Re-reads the heads cache for documents not loaded (entries other processes made
    /// stale by writing are dropped by the store's validity check).
    fn reload_cached_heads(&mut self) -> Result<()> {
        let unloaded: Vec<DocId> = self
            .catalog
            .keys()
            .filter(|d| !self.held.contains_key(d))
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

    fn remember_heads(&mut self, doc: DocId) {
        if let Some(l) = self.held.get_mut(&doc) {
            let heads = l.doc.0.get_heads().into_iter().map(|h| h.0).collect();
            self.pending_heads.insert(doc, (l.last_seq, heads));
        }
    }

    /// Re-reads the documents table and joins; returns documents new to us.
    fn reload_catalog(&mut self) -> Result<Vec<DocId>> {
        let mut new = Vec::new();
        for (doc, nb, kind) in self.store.db().docs()? {
            if self.catalog.insert(doc, (nb, kind)).is_none() {
                new.push(doc);
                if kind == DocKind::Index {
                    self.update_view(nb)?;
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

    fn index_of(&self, nb: NotebookId) -> Option<DocId> {
        self.catalog
            .iter()
            .find(|(_, (n, k))| *n == nb && *k == DocKind::Index)
            .map(|(d, _)| *d)
    }

    fn update_view(&mut self, nb: NotebookId) -> Result<()> {
        if let Some(doc) = self.index_of(nb) {
            // Who belongs is all sync needs; the full view of a years-long index costs far more.
            let view = stones_doc::index::read_membership(&self.load(doc)?.doc.0);
            self.views.insert(nb, view);
        }
        Ok(())
    }

    fn load(&mut self, doc: DocId) -> Result<&mut Loaded<RawDoc>> {
        if !self.held.contains_key(&doc) {
            let kind = self.catalog.get(&doc).map(|c| c.1).ok_or_else(|| {
                SyncError::Store(stones_store::StoreError::NotFound {
                    what: "document",
                    id: doc.to_hex(),
                })
            })?;
            let l = match self.new_whole.get(&doc) {
                // Arrived whole a moment ago, not yet written: load it from what came.
                Some(bytes) => {
                    let mut am = stones_doc::load_doc(bytes)?;
                    am.set_actor(self.store.actor());
                    let heads = am.get_heads();
                    let mut l = Loaded::fresh(RawDoc(am), doc, kind);
                    l.saved_heads = heads;
                    l
                }
                None => Loaded::load(&self.store, doc, kind, RawDoc)?,
            };
            self.held.insert(doc, l);
            self.cached.remove(&doc);
            self.remember_heads(doc);
        }
        self.held.get_mut(&doc).ok_or_else(|| {
            SyncError::Store(stones_store::StoreError::NotFound {
                what: "document",
                id: doc.to_hex(),
            })
        })
    }
}

impl Replica for StoreReplica {
    fn notebooks(&self) -> Vec<NotebookId> {
        let mut v: Vec<NotebookId> = self.views.keys().copied().collect();
        v.extend(self.joining.keys());
        v.sort();
        v.dedup();
        v
    }

    fn access(&self, notebook: NotebookId, peer: DeviceId) -> Access {
        access::decide(
            self.views.get(&notebook),
            self.store.device(),
            self.joining.get(&notebook),
            peer,
        )
    }

    fn docs(&mut self, notebook: NotebookId) -> Result<Vec<(DocId, DocKind)>> {
        Ok(crate::core::replica::index_first(
            self.catalog
                .iter()
                .filter(|(_, (n, _))| *n == notebook)
                .map(|(d, (_, k))| (*d, *k)),
        ))
    }

    fn doc_info(&self, doc: DocId) -> Option<(NotebookId, DocKind)> {
        self.catalog.get(&doc).copied()
    }

    fn heads(&mut self, doc: DocId) -> Result<Vec<ChangeHash>> {
        if !self.catalog.contains_key(&doc) {
            return Ok(Vec::new());
        }
        if let Some(h) = self.cached.get(&doc) {
            return Ok(h.clone()); // no need to load a document nobody changed
        }
        Ok(self.load(doc)?.doc.0.get_heads())
    }

    fn generate(&mut self, doc: DocId, state: &mut sync::State) -> Result<Option<sync::Message>> {
        if !self.catalog.contains_key(&doc) {
            return Ok(AutoCommit::new().sync().generate_sync_message(state));
        }
        Ok(self.load(doc)?.doc.0.sync().generate_sync_message(state))
    }

    fn receive(
        &mut self,
        notebook: NotebookId,
        doc: DocId,
        kind: DocKind,
        state: &mut sync::State,
        message: sync::Message,
    ) -> Result<bool> {
        let automerge =
            |e: stones_doc::automerge::AutomergeError| SyncError::Automerge(e.to_string());
        let changed = if self.catalog.contains_key(&doc) {
            let am = &mut self.load(doc)?.doc.0;
            let before = am.get_heads();
            am.sync()
                .receive_sync_message(state, message)
                .map_err(automerge)?;
            am.get_heads() != before
        } else {
            let mut am = AutoCommit::new();
            am.set_actor(self.store.actor());
            am.sync()
                .receive_sync_message(state, message)
                .map_err(automerge)?;
            // A document is held from its first change on, never as an empty shell.
            if am.get_heads().is_empty() {
                return Ok(false);
            }
            self.catalog.insert(doc, (notebook, kind));
            self.held.insert(doc, Loaded::fresh(RawDoc(am), doc, kind));
            true
        };
        if changed {
            self.dirty.insert(doc);
            if kind == DocKind::Index {
                self.update_view(notebook)?;
            }
        }
        Ok(changed)
    }

    fn whole(&mut self, doc: DocId) -> Result<Vec<u8>> {
        if let Some(l) = self.held.get_mut(&doc) {
            return Ok(l.doc.0.save());
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
        Ok(self.load(doc)?.doc.0.save())
    }

    fn receive_whole(
        &mut self,
        notebook: NotebookId,
        doc: DocId,
        kind: DocKind,
        bytes: &[u8],
    ) -> Result<(bool, Vec<ChangeHash>)> {
        if !self.catalog.contains_key(&doc) && kind != DocKind::Index {
            // New here and one checked snapshot: store it as it is, heads from its header;
            // it loads when someone opens it (the index loads now: access depends on it).
            if let Ok(sent) = stones_doc::snapshot_heads(bytes) {
                if sent.is_empty() {
                    return Ok((false, sent)); // never an empty shell
                }
                self.catalog.insert(doc, (notebook, kind));
                self.cached.insert(doc, sent.clone());
                self.new_whole.insert(doc, bytes.to_vec());
                return Ok((true, sent));
            }
        }
        let mut incoming = stones_doc::load_doc(bytes)?;
        let sent = incoming.get_heads();
        if sent.is_empty() {
            return Ok((false, sent)); // never an empty shell
        }
        let changed = if self.catalog.contains_key(&doc) {
            let am = &mut self.load(doc)?.doc.0;
            let before = am.get_heads();
            am.merge(&mut incoming)
                .map_err(|e| SyncError::Automerge(e.to_string()))?;
            let changed = am.get_heads() != before;
            if changed {
                self.dirty.insert(doc);
            }
            changed
        } else {
            incoming.set_actor(self.store.actor());
            let mut l = Loaded::fresh(RawDoc(incoming), doc, kind);
            l.saved_heads = sent.clone();
            self.catalog.insert(doc, (notebook, kind));
            self.held.insert(doc, l);
            self.new_whole.insert(doc, bytes.to_vec());
            true
        };
        if changed && kind == DocKind::Index {
            self.update_view(notebook)?;
        }
        Ok((changed, sent))
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
        let now = Store::now_ms();
        let mut work = Vec::new();
        for doc in std::mem::take(&mut self.dirty) {
            let Some((nb, kind)) = self.catalog.get(&doc).copied() else {
                continue;
            };
            let Some(l) = self.held.get_mut(&doc) else {
                continue;
            };
            let bytes = l.commit_bytes("sync", now);
            work.push((doc, nb, kind, l.last_seq, bytes));
        }
        let states: Vec<((DeviceId, DocId), Vec<u8>)> =
            std::mem::take(&mut self.states).into_iter().collect();
        let heads: Vec<(DocId, CachedHeads)> = std::mem::take(&mut self.pending_heads)
            .into_iter()
            .collect();
        let wholes: Vec<(DocId, NotebookId, DocKind, Vec<u8>)> =
            std::mem::take(&mut self.new_whole)
                .into_iter()
                .filter_map(|(d, b)| self.catalog.get(&d).map(|(nb, k)| (d, *nb, *k, b)))
                .collect();
        if work.iter().all(|w| w.4.is_empty())
            && wholes.is_empty()
            && states.is_empty()
            && heads.is_empty()
        {
            return Ok(());
        }
        // Only new document bytes need other processes to re-read; states and cached heads
        // are this device's bookkeeping.
        let announce = !wholes.is_empty() || work.iter().any(|w| !w.4.is_empty());
        // Heads of documents that arrived whole and were not loaded, for the heads cache.
        let whole_heads: BTreeMap<DocId, Vec<[u8; 32]>> = wholes
            .iter()
            .filter(|(d, ..)| !self.held.contains_key(d))
            .filter_map(|(d, ..)| {
                let hs = self.cached.get(d)?;
                Some((*d, hs.iter().map(|h| h.0).collect()))
            })
            .collect();
        let (results, whole_seqs) = self.store.db().write_announced(announce, |tx| {
            let mut seqs = Vec::new();
            for (doc, nb, kind, bytes) in &wholes {
                register_doc(tx, *doc, *nb, *kind)?;
                let seq = append_chunk(tx, *doc, SNAPSHOT, bytes)?;
                if let Some(hs) = whole_heads.get(doc) {
                    put_heads(tx, &[(*doc, (seq, hs.clone()))])?;
                }
                seqs.push((*doc, seq));
            }
            let mut out = Vec::new();
            for (doc, nb, kind, last_seq, bytes) in &work {
                out.push(commit_doc(tx, *doc, *nb, *kind, *last_seq, bytes)?);
            }
            put_sync_states(tx, &states)?;
            put_heads(tx, &heads)?;
            Ok((out, seqs))
        })?;
        for (doc, seq) in whole_seqs {
            if let Some(l) = self.held.get_mut(&doc) {
                l.last_seq = l.last_seq.max(seq);
            }
            self.remember_heads(doc);
        }
        for ((doc, ..), (others, own)) in work.iter().zip(results) {
            if !others.is_empty() {
                self.absorbed.insert(*doc);
            }
            if let Some(l) = self.held.get_mut(doc) {
                l.absorb(&others, own, &self.store)?;
                l.maybe_compact(&self.store)?;
            }
            self.remember_heads(*doc);
        }
        Ok(())
    }
}
