//! A document loaded into memory from its chunks, with what is needed to persist it: the last
//! chunk read, the heads already in the store, the heads a run of typing started from, and
//! the commit policy.

use crate::chunks::{self, DocKind};
use crate::error::{Result, StoreError};
use crate::store::Store;
use std::sync::atomic::Ordering;
use stones_doc::automerge::transaction::Transactable;
use stones_doc::automerge::{AutoCommit, ChangeHash};
use stones_doc::{CommitPolicy, DocId, Document};

/// A loaded document of type `T` (index or session).
#[derive(Debug)]
pub struct Loaded<T> {
    /// The typed document.
    pub doc: T,
    /// Its id.
    pub id: DocId,
    /// Index or session.
    pub kind: DocKind,
    /// Every chunk up to this sequence number is merged into `doc`.
    pub last_seq: u64,
    /// Heads of what the store already holds; `save_after` these gives what to write.
    pub saved_heads: Vec<ChangeHash>,
    /// Heads when the current uncommitted run of typing began.
    pub base_heads: Option<Vec<ChangeHash>>,
    /// When the pending typing is due to be committed.
    pub policy: CommitPolicy,
    /// Chunks written or read since the last snapshot.
    pub chunks_since_snapshot: u64,
}

/// Loads a document's chunks into an automerge doc under this process's actor, naming the
/// document and chunk on failure: (document, last chunk, chunk count).
pub fn load_am(store: &Store, id: DocId) -> Result<(AutoCommit, u64, u64)> {
    let (mut am, last, count) = store.db().load_doc(id)?;
    am.set_actor(store.actor());
    store.stats.docs_loaded.fetch_add(1, Ordering::Relaxed);
    Ok((am, last, count))
}

impl<T: Document> Loaded<T> {
    /// Loads document `id` and wraps it with `wrap`.
    pub fn load(
        store: &Store,
        id: DocId,
        kind: DocKind,
        wrap: impl FnOnce(AutoCommit) -> T,
    ) -> Result<Self> {
        let (mut am, last_seq, n) = load_am(store, id)?;
        let saved_heads = am.get_heads();
        Ok(Loaded {
            doc: wrap(am),
            id,
            kind,
            last_seq,
            saved_heads,
            base_heads: None,
            policy: CommitPolicy::new(),
            chunks_since_snapshot: n,
        })
    }

    /// Wraps a document created in memory (with this writer's actor); nothing of it is in
    /// the store yet.
    pub fn fresh(doc: T, id: DocId, kind: DocKind) -> Self {
        Loaded {
            doc,
            id,
            kind,
            last_seq: 0,
            saved_heads: Vec::new(),
            base_heads: None,
            policy: CommitPolicy::new(),
            chunks_since_snapshot: 0,
        }
    }

    /// Whether edits wait for a commit. The policy counts too: reading history closes
    /// automerge's open transaction, and typing it held must still be committed and written.
    pub fn has_pending(&self) -> bool {
        self.doc.am().pending_ops() > 0 || self.policy.has_pending()
    }

    /// Commits the pending transaction (if any) and returns the bytes not yet in the store.
    pub fn commit_bytes(&mut self, message: &str, now_ms: i64) -> Vec<u8> {
        let opts = stones_doc::automerge::transaction::CommitOptions::default()
            .with_message(message)
            .with_time(now_ms / 1000);
        let am = self.doc.am_mut();
        am.commit_with(opts);
        am.save_after(&self.saved_heads)
    }

    /// Merges chunks other processes wrote, then records what the store now holds.
    pub fn absorb(
        &mut self,
        chunks: &[chunks::Chunk],
        own_seq: Option<u64>,
        store: &Store,
    ) -> Result<()> {
        let am = self.doc.am_mut();
        for c in chunks {
            stones_doc::check_chunk(&c.bytes).map_err(|e| StoreError::Corrupt {
                path: store.db().path.clone(),
                detail: format!("document {} chunk {}: {e}", self.id, c.seq),
            })?;
            am.load_incremental(&c.bytes)
                .map_err(|e| StoreError::Corrupt {
                    path: store.db().path.clone(),
                    detail: format!("document {} chunk {}: {e}", self.id, c.seq),
                })?;
            self.last_seq = self.last_seq.max(c.seq);
        }
        if let Some(seq) = own_seq {
            self.last_seq = self.last_seq.max(seq);
        }
        self.chunks_since_snapshot += chunks.len() as u64 + u64::from(own_seq.is_some());
        self.saved_heads = am.get_heads();
        self.base_heads = None;
        self.policy.on_commit();
        Ok(())
    }

    /// Writes a snapshot in place of the chunks once there are [`COMPACT_AFTER`] of them.
    /// Loading a run of incremental chunks replays their changes one by one, which costs far
    /// more than loading one snapshot of the same document (measured by `stones-bench`:
    /// ARCHITECTURE.md, Store), so the count decides, not the bytes.
    pub fn maybe_compact(&mut self, store: &Store) -> Result<()> {
        if self.chunks_since_snapshot < COMPACT_AFTER || self.has_pending() {
            return Ok(());
        }
        let snapshot = self.doc.am_mut().save();
        store.db().compact_doc(self.id, &snapshot, self.last_seq)?;
        self.chunks_since_snapshot = 1;
        Ok(())
    }
}

/// Chunks after which a document written to is compacted into one snapshot.
pub const COMPACT_AFTER: u64 = 8;

/// The type-erased face of a loaded document, so the index and sessions persist alike.
#[allow(missing_docs)]
pub trait AnyLoaded {
    fn id(&self) -> DocId;
    fn kind(&self) -> DocKind;
    fn last_seq(&self) -> u64;
    fn pending(&self) -> bool;
    fn policy_mut(&mut self) -> &mut CommitPolicy;
    fn commit_bytes(&mut self, message: &str, now_ms: i64) -> Vec<u8>;
    fn absorb(
        &mut self,
        chunks: &[chunks::Chunk],
        own_seq: Option<u64>,
        store: &Store,
    ) -> Result<()>;
    fn maybe_compact(&mut self, store: &Store) -> Result<()>;
    fn am_mut(&mut self) -> &mut AutoCommit;
    fn base_heads_mut(&mut self) -> &mut Option<Vec<ChangeHash>>;
    /// Heads of what the store holds of this document.
    fn saved_heads(&self) -> &[ChangeHash];
    /// Records that the store holds this document as a snapshot at chunk `seq` with the
    /// given heads (a document new here, written whole).
    fn stored_whole(&mut self, seq: u64, heads: Vec<ChangeHash>);
    /// Closes the open typing transaction as a change (not written yet: the next write of
    /// this document, which covers its journal entries, writes it). True if one was made.
    fn commit_typing(&mut self, now_ms: i64) -> bool;
    /// The heads of what is committed, without committing open typing (automerge's
    /// `get_heads` would close the open transaction as a change of its own).
    fn committed_heads(&mut self) -> Vec<ChangeHash>;
}

impl<T: Document + Send> AnyLoaded for Loaded<T> {
    fn id(&self) -> DocId {
        self.id
    }
    fn kind(&self) -> DocKind {
        self.kind
    }
    fn last_seq(&self) -> u64 {
        self.last_seq
    }
    fn pending(&self) -> bool {
        self.has_pending()
    }
    fn policy_mut(&mut self) -> &mut CommitPolicy {
        &mut self.policy
    }
    fn commit_bytes(&mut self, message: &str, now_ms: i64) -> Vec<u8> {
        Loaded::commit_bytes(self, message, now_ms)
    }
    fn absorb(
        &mut self,
        chunks: &[chunks::Chunk],
        own_seq: Option<u64>,
        store: &Store,
    ) -> Result<()> {
        Loaded::absorb(self, chunks, own_seq, store)
    }
    fn maybe_compact(&mut self, store: &Store) -> Result<()> {
        Loaded::maybe_compact(self, store)
    }
    fn am_mut(&mut self) -> &mut AutoCommit {
        self.doc.am_mut()
    }
    fn base_heads_mut(&mut self) -> &mut Option<Vec<ChangeHash>> {
        &mut self.base_heads
    }
    fn saved_heads(&self) -> &[ChangeHash] {
        &self.saved_heads
    }
    fn commit_typing(&mut self, now_ms: i64) -> bool {
        if self.doc.am().pending_ops() == 0 {
            return false;
        }
        let opts = stones_doc::automerge::transaction::CommitOptions::default()
            .with_message("typing")
            .with_time(now_ms / 1000);
        self.doc.am_mut().commit_with(opts);
        true
    }
    fn committed_heads(&mut self) -> Vec<ChangeHash> {
        match (&self.base_heads, self.doc.am().pending_ops()) {
            (Some(base), n) if n > 0 => base.clone(),
            _ => self.doc.am_mut().get_heads(),
        }
    }
    fn stored_whole(&mut self, seq: u64, heads: Vec<ChangeHash>) {
        self.last_seq = self.last_seq.max(seq);
        self.saved_heads = heads;
        self.chunks_since_snapshot = 1;
    }
}

/// A document held without a typed wrapper (the sync layer moves bytes, not meaning).
#[derive(Debug)]
pub struct RawDoc(pub AutoCommit);

impl Document for RawDoc {
    fn am(&self) -> &AutoCommit {
        &self.0
    }
    fn am_mut(&mut self) -> &mut AutoCommit {
        &mut self.0
    }
}
