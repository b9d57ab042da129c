//! An in-memory replica: a device's documents as plain automerge docs in a map, its sync
//! states in another. Access follows the real index document, like the store's replica.

use crate::core::{Access, Replica};
use crate::error::{Result, SyncError};
use std::collections::BTreeMap;
use stones_doc::automerge::sync::SyncDoc;
use stones_doc::automerge::{AutoCommit, ChangeHash, sync};
use stones_doc::{DeviceId, DocId, DocKind, IndexDoc, NotebookId};

/// One device's documents, in memory.
pub struct MemReplica {
    /// The device this replica belongs to.
    pub device: DeviceId,
    /// Every document held, with its notebook and kind.
    pub docs: BTreeMap<DocId, (NotebookId, DocKind, AutoCommit)>,
    /// Notebooks being joined, with the device that let us in.
    pub joining: BTreeMap<NotebookId, DeviceId>,
    states: BTreeMap<(DeviceId, DocId), Vec<u8>>,
    /// How many flushes happened (a real store would write a transaction each).
    pub flushes: u64,
}

impl MemReplica {
    /// An empty device.
    pub fn new(device: DeviceId) -> Self {
        MemReplica {
            device,
            docs: BTreeMap::new(),
            joining: BTreeMap::new(),
            states: BTreeMap::new(),
            flushes: 0,
        }
    }

    /// Adds a document created on this device.
    pub fn insert(&mut self, nb: NotebookId, doc: DocId, kind: DocKind, mut am: AutoCommit) {
        am.set_actor(self.device.actor(0));
        self.docs.insert(doc, (nb, kind, am));
    }

    /// A held document, to edit or read.
    pub fn doc_mut(&mut self, doc: DocId) -> Option<&mut AutoCommit> {
        self.docs.get_mut(&doc).map(|d| &mut d.2)
    }

    /// The index document of a notebook, if held.
    pub fn index_of(&self, nb: NotebookId) -> Option<DocId> {
        self.docs
            .iter()
            .find(|(_, (n, k, _))| *n == nb && *k == DocKind::Index)
            .map(|(d, _)| *d)
    }
}

impl Replica for MemReplica {
    fn notebooks(&self) -> Vec<NotebookId> {
        let mut v: Vec<NotebookId> = self.docs.values().map(|(n, _, _)| *n).collect();
        v.extend(self.joining.keys());
        v.sort();
        v.dedup();
        v
    }

    fn access(&self, notebook: NotebookId, peer: DeviceId) -> Access {
        let view = self
            .index_of(notebook)
            .map(|doc| stones_doc::index::read_view(&self.docs[&doc].2));
        crate::access::decide(
            view.as_ref(),
            self.device,
            self.joining.get(&notebook),
            peer,
        )
    }

    fn docs(&mut self, notebook: NotebookId) -> Result<Vec<(DocId, DocKind)>> {
        Ok(crate::core::replica::index_first(
            self.docs
                .iter()
                .filter(|(_, (n, _, _))| *n == notebook)
                .map(|(d, (_, k, _))| (*d, *k)),
        ))
    }

    fn doc_info(&self, doc: DocId) -> Option<(NotebookId, DocKind)> {
        self.docs.get(&doc).map(|(n, k, _)| (*n, *k))
    }

    fn heads(&mut self, doc: DocId) -> Result<Vec<ChangeHash>> {
        Ok(self
            .docs
            .get_mut(&doc)
            .map(|d| d.2.get_heads())
            .unwrap_or_default())
    }

    fn generate(&mut self, doc: DocId, state: &mut sync::State) -> Result<Option<sync::Message>> {
        Ok(match self.docs.get_mut(&doc) {
            Some(d) => d.2.sync().generate_sync_message(state),
            None => AutoCommit::new().sync().generate_sync_message(state),
        })
    }

    fn receive(
        &mut self,
        notebook: NotebookId,
        doc: DocId,
        kind: DocKind,
        state: &mut sync::State,
        message: sync::Message,
    ) -> Result<bool> {
        let actor = self.device.actor(0);
        let held = self.docs.contains_key(&doc);
        let mut fresh = AutoCommit::new();
        fresh.set_actor(actor);
        let am = match self.docs.get_mut(&doc) {
            Some(d) => &mut d.2,
            None => &mut fresh,
        };
        let before = am.get_heads();
        am.sync()
            .receive_sync_message(state, message)
            .map_err(|e| SyncError::Automerge(e.to_string()))?;
        let after = am.get_heads();
        // A document is held from its first change on, never as an empty shell.
        if !held && !after.is_empty() {
            self.docs.insert(doc, (notebook, kind, fresh));
        }
        Ok(after != before)
    }

    fn whole(&mut self, doc: DocId) -> Result<Vec<u8>> {
        Ok(self
            .docs
            .get_mut(&doc)
            .map(|d| d.2.save())
            .unwrap_or_default())
    }

    fn receive_whole(
        &mut self,
        notebook: NotebookId,
        doc: DocId,
        kind: DocKind,
        bytes: &[u8],
    ) -> Result<(bool, Vec<ChangeHash>)> {
        let mut incoming = stones_doc::load_doc(bytes)?;
        let sent = incoming.get_heads();
        if sent.is_empty() {
            return Ok((false, sent));
        }
        let changed = match self.docs.get_mut(&doc) {
            Some(d) => {
                let before = d.2.get_heads();
                d.2.merge(&mut incoming)
                    .map_err(|e| SyncError::Automerge(e.to_string()))?;
                d.2.get_heads() != before
            }
            None => {
                incoming.set_actor(self.device.actor(0));
                self.docs.insert(doc, (notebook, kind, incoming));
                true
            }
        };
        Ok((changed, sent))
    }

    fn load_state(&mut self, peer: DeviceId, doc: DocId) -> sync::State {
        self.states
            .get(&(peer, doc))
            .and_then(|b| sync::State::decode(b).ok())
            .unwrap_or_default()
    }

    fn save_state(&mut self, peer: DeviceId, doc: DocId, state: &sync::State) {
        self.states.insert((peer, doc), state.encode());
    }

    fn flush(&mut self) -> Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

/// Reads a held index (for tests that check membership).
pub fn index_view(r: &MemReplica, nb: NotebookId) -> Option<stones_doc::NotebookView> {
    let doc = r.index_of(nb)?;
    Some(IndexDoc::from_doc(r.docs[&doc].2.clone()).view())
}
