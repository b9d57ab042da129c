//! An in-memory replica: a device's documents as plain automerge docs in a map, its sync
//! states in another. Access follows the real index document, like the store's replica.

use crate::core::signing::{self, Received};
use crate::core::{Access, Replica};
use crate::error::{Result, SyncError};
use crate::wire::SignedHash;
use std::collections::BTreeMap;
use stones_doc::automerge::sync::SyncDoc;
use stones_doc::automerge::{AutoCommit, ChangeHash, sync};
use stones_doc::signed::{Refused, Signature};
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
    /// The device's secret key (`None`: it cannot sign, so its index changes are refused).
    secret: Option<[u8; 32]>,
    /// Signatures held, by document and change.
    pub signatures: BTreeMap<DocId, BTreeMap<ChangeHash, Signature>>,
    /// Changes refused, by document.
    pub refused: BTreeMap<DocId, Refused>,
}

/// The secret key of test device `i` (a fixed seed: schedules replay).
pub fn test_secret(i: usize) -> [u8; 32] {
    let mut secret = [0u8; 32];
    secret[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
    secret[31] = 7;
    secret
}

/// The device id of test device `i` (the public key of [`test_secret`]).
pub fn test_device(i: usize) -> DeviceId {
    let key = ed25519_dalek::SigningKey::from_bytes(&test_secret(i));
    DeviceId(key.verifying_key().to_bytes())
}

impl MemReplica {
    /// An empty device without a key: it cannot sign its index changes (a forger's device).
    pub fn new(device: DeviceId) -> Self {
        MemReplica {
            device,
            docs: BTreeMap::new(),
            joining: BTreeMap::new(),
            states: BTreeMap::new(),
            flushes: 0,
            secret: None,
            signatures: BTreeMap::new(),
            refused: BTreeMap::new(),
        }
    }

    /// An empty device with its secret key (its device id is the key's public half).
    pub fn with_key(secret: [u8; 32]) -> Self {
        let key = ed25519_dalek::SigningKey::from_bytes(&secret);
        let mut r = MemReplica::new(DeviceId(key.verifying_key().to_bytes()));
        r.secret = Some(secret);
        r
    }

    /// Keeps the signatures of the changes screening accepted.
    fn keep(&mut self, doc: DocId, accepted: &[ChangeHash], sent: &[SignedHash]) {
        let sent = signing::by_hash(sent);
        let held = self.signatures.entry(doc).or_default();
        for h in accepted {
            if let Some(sig) = sent.get(h) {
                held.insert(*h, *sig);
            }
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
        mut message: sync::Message,
        signatures: &[SignedHash],
    ) -> Result<Received> {
        let actor = self.device.actor(0);
        let held = self.docs.contains_key(&doc);
        let mut fresh = AutoCommit::new();
        fresh.set_actor(actor);
        let am = match self.docs.get_mut(&doc) {
            Some(d) => &mut d.2,
            None => &mut fresh,
        };
        let before = am.get_heads();
        let refused = self.refused.entry(doc).or_default();
        let screened = signing::screen_sync(am, kind, &mut message, signatures, refused)?;
        am.sync()
            .receive_sync_message(state, message)
            .map_err(|e| SyncError::Automerge(e.to_string()))?;
        let after = am.get_heads();
        // A document is held from its first change on, never as an empty shell.
        if !held && !after.is_empty() {
            self.docs.insert(doc, (notebook, kind, fresh));
        }
        self.keep(doc, &screened.accepted, signatures);
        Ok(Received {
            changed: after != before,
            refused: screened.refused,
        })
    }

    fn signatures_for(
        &mut self,
        doc: DocId,
        hashes: Option<&[ChangeHash]>,
    ) -> Result<Vec<SignedHash>> {
        let (me, secret) = (self.device, self.secret);
        let Some((_, DocKind::Index, am)) = self.docs.get_mut(&doc) else {
            return Ok(Vec::new());
        };
        let held = self.signatures.entry(doc).or_default();
        let mut made = Vec::new();
        let out = signing::signatures_for(
            am,
            hashes,
            me,
            |h| held.get(h).copied(),
            |h| match secret {
                Some(secret) => stones_doc::signed::sign(&secret, h),
                None => [0u8; 64], // a device without a key signs nothing valid
            },
            &mut made,
        );
        held.extend(made);
        Ok(out)
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
        signatures: &[SignedHash],
    ) -> Result<(Received, Vec<ChangeHash>)> {
        let mut incoming = stones_doc::load_doc(bytes)?;
        if incoming.get_heads().is_empty() {
            return Ok((Received::default(), Vec::new()));
        }
        let refused = self.refused.entry(doc).or_default();
        let ours = self.docs.get_mut(&doc).map(|d| &mut d.2);
        let (mut screened, mut sent) =
            signing::screen_whole(ours, kind, &mut incoming, signatures, refused)?;
        let changed = match self.docs.get_mut(&doc) {
            Some(d) => {
                let before = d.2.get_heads();
                let forged = signing::merge_whole(&mut d.2, &mut incoming, &mut sent, refused)?;
                screened.take_in(forged);
                d.2.get_heads() != before
            }
            // Never an empty shell (all it held may have been refused).
            None if incoming.get_heads().is_empty() => false,
            None => {
                incoming.set_actor(self.device.actor(0));
                self.docs.insert(doc, (notebook, kind, incoming));
                true
            }
        };
        self.keep(doc, &screened.accepted, signatures);
        let received = Received {
            changed,
            refused: screened.refused,
        };
        Ok((received, sent))
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
