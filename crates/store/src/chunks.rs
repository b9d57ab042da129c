//! Documents and their chunks: which notebook a document belongs to, its saved bytes as a
//! sequence of chunks (a snapshot and incremental changes), and compaction.

use crate::db::{CHUNKS, DOCS, Db};
use crate::error::{Result, StoreError};
use redb::{ReadableTable, WriteTransaction};
use stones_doc::automerge::AutoCommit;
use stones_doc::{DocId, NotebookId};

pub use stones_doc::DocKind;

/// A chunk holds a full snapshot.
pub const SNAPSHOT: u8 = 0;
/// A chunk holds incremental changes.
pub const INCREMENTAL: u8 = 1;

/// One stored chunk of a document.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// Its sequence number within the document.
    pub seq: u64,
    /// Snapshot or incremental.
    pub kind: u8,
    /// The automerge bytes.
    pub bytes: Vec<u8>,
}

/// Registers a document (idempotent) inside a write transaction.
pub(crate) fn register_doc(
    tx: &WriteTransaction,
    doc: DocId,
    notebook: NotebookId,
    kind: DocKind,
) -> Result<(), redb::Error> {
    let mut t = tx.open_table(DOCS)?;
    let mut v = notebook.0.to_vec();
    v.push(kind.code());
    t.insert(doc.0, v.as_slice())?;
    Ok(())
}

/// Appends a chunk after the document's last one; returns its sequence number.
pub(crate) fn append_chunk(
    tx: &WriteTransaction,
    doc: DocId,
    kind: u8,
    bytes: &[u8],
) -> Result<u64, redb::Error> {
    let mut t = tx.open_table(CHUNKS)?;
    let seq = last_seq_in(&t, doc)? + 1;
    let mut v = Vec::with_capacity(bytes.len() + 1);
    v.push(kind);
    v.extend_from_slice(bytes);
    t.insert((doc.0, seq), v.as_slice())?;
    Ok(seq)
}

pub(crate) fn last_seq_in(
    t: &impl ReadableTable<([u8; 16], u64), &'static [u8]>,
    doc: DocId,
) -> Result<u64, redb::Error> {
    let last = t
        .range((doc.0, 0)..=(doc.0, u64::MAX))?
        .next_back()
        .transpose()?;
    Ok(last.map(|(k, _)| k.value().1).unwrap_or(0))
}

/// Chunks of a document with sequence numbers above `after`, in order.
pub(crate) fn chunks_after(
    t: &impl ReadableTable<([u8; 16], u64), &'static [u8]>,
    doc: DocId,
    after: u64,
) -> Result<Vec<Chunk>, redb::Error> {
    let mut out = Vec::new();
    for row in t.range((doc.0, after.saturating_add(1))..=(doc.0, u64::MAX))? {
        let (k, v) = row?;
        let v = v.value();
        let (kind, bytes) = v
            .split_first()
            .map(|(k, b)| (*k, b.to_vec()))
            .unwrap_or((INCREMENTAL, Vec::new()));
        out.push(Chunk {
            seq: k.value().1,
            kind,
            bytes,
        });
    }
    Ok(out)
}

impl Db {
    /// Every document of every notebook: (doc, notebook, kind).
    pub fn docs(&self) -> Result<Vec<(DocId, NotebookId, DocKind)>> {
        let tx = self.read()?;
        let t = tx.open_table(DOCS).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in t.iter().map_err(|e| self.err(e))? {
            let (k, v) = row.map_err(|e| self.err(e))?;
            let v = v.value();
            let (Some(nb), Some(kind)) = (v.get(..16), v.get(16)) else {
                return Err(StoreError::Corrupt {
                    path: self.path.clone(),
                    detail: format!(
                        "document row {} is {} bytes",
                        hex::encode(k.value()),
                        v.len()
                    ),
                });
            };
            let mut id = [0u8; 16];
            id.copy_from_slice(nb);
            let Some(kind) = DocKind::from_code(*kind) else {
                return Err(StoreError::Corrupt {
                    path: self.path.clone(),
                    detail: format!(
                        "document row {} has unknown kind {kind}",
                        hex::encode(k.value())
                    ),
                });
            };
            out.push((DocId(k.value()), NotebookId(id), kind));
        }
        Ok(out)
    }

    /// Loads a document from its chunks, checking each, naming the document and chunk on
    /// failure: (document, last chunk, chunk count). No actor is set.
    pub fn load_doc(&self, id: DocId) -> Result<(AutoCommit, u64, u64)> {
        let chunks = self.read_chunks(id, 0)?;
        let Some((first, rest)) = chunks.split_first() else {
            return Err(StoreError::NotFound {
                what: "document",
                id: id.to_hex(),
            });
        };
        let corrupt = |seq: u64, e: &dyn std::fmt::Display| StoreError::Corrupt {
            path: self.path.clone(),
            detail: format!("document {id} chunk {seq}: {e}"),
        };
        let mut am = stones_doc::load_doc(&first.bytes).map_err(|e| corrupt(first.seq, &e))?;
        for c in rest {
            stones_doc::check_chunk(&c.bytes).map_err(|e| corrupt(c.seq, &e))?;
            stones_doc::guard::guarded("automerge chunk", || Ok(am.load_incremental(&c.bytes)?))
                .map_err(|e| corrupt(c.seq, &e))?;
        }
        let last = chunks.last().map(|c| c.seq).unwrap_or(0);
        Ok((am, last, chunks.len() as u64))
    }

    /// The chunks of a document above `after` (0 = all), from the latest commit.
    pub fn read_chunks(&self, doc: DocId, after: u64) -> Result<Vec<Chunk>> {
        let tx = self.read()?;
        let t = tx.open_table(CHUNKS).map_err(|e| self.err(e))?;
        chunks_after(&t, doc, after).map_err(|e| self.err(e))
    }

    /// For each (doc, after): its chunks above `after`, all read in one transaction (what a
    /// refresh needs for every loaded document at once).
    pub fn read_chunks_many(&self, wanted: &[(DocId, u64)]) -> Result<Vec<Vec<Chunk>>> {
        let tx = self.read()?;
        let t = tx.open_table(CHUNKS).map_err(|e| self.err(e))?;
        wanted
            .iter()
            .map(|(doc, after)| chunks_after(&t, *doc, *after).map_err(|e| self.err(e)))
            .collect()
    }

    /// Replaces a document's chunks up to `covers_up_to` with one snapshot of them (newer
    /// chunks other processes wrote stay). Returns true if it compacted.
    pub fn compact_doc(&self, doc: DocId, snapshot: &[u8], covers_up_to: u64) -> Result<bool> {
        self.write(|tx| {
            let mut t = tx.open_table(CHUNKS)?;
            // Only chunks this snapshot covers may go; newer ones from other processes stay.
            let old: Vec<u64> = t
                .range((doc.0, 0)..=(doc.0, covers_up_to))?
                .map(|r| r.map(|(k, _)| k.value().1))
                .collect::<Result<_, _>>()?;
            if old.len() <= 1 {
                return Ok(false);
            }
            for seq in &old {
                t.remove((doc.0, *seq))?;
            }
            let mut v = vec![SNAPSHOT];
            v.extend_from_slice(snapshot);
            // The snapshot takes the place of the newest chunk it covers.
            t.insert((doc.0, covers_up_to), v.as_slice())?;
            Ok(true)
        })
    }
}

/// Inside a write transaction: registers a document, reads the chunks other processes wrote
/// after `last_seq`, and appends `bytes` (unless empty). Returns (their chunks, our seq).
pub(crate) fn commit_doc(
    tx: &WriteTransaction,
    doc: DocId,
    notebook: NotebookId,
    kind: DocKind,
    last_seq: u64,
    bytes: &[u8],
) -> Result<(Vec<Chunk>, Option<u64>), redb::Error> {
    register_doc(tx, doc, notebook, kind)?;
    let others = chunks_after(&tx.open_table(CHUNKS)?, doc, last_seq)?;
    let own = if bytes.is_empty() {
        None
    } else {
        Some(append_chunk(tx, doc, INCREMENTAL, bytes)?)
    };
    Ok((others, own))
}
