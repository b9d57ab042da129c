//! The store's one write path. Local commits (typing, structural edits) and sync (what peers
//! sent, documents that arrived whole, sync states) both describe what they want written as a
//! [`Batch`], and [`Store::write_batch`] writes it in one durable transaction: documents' new
//! bytes, documents new to this device, cached heads, sync states and the journal's done
//! marks together — so nothing is acknowledged that is not on disk, and a done mark is never
//! written without the change that covers it.

use crate::chunks::{self, Chunk, DocKind, SNAPSHOT};
use crate::error::Result;
use crate::heads_cache::{CachedHeads, put_heads};
use crate::store::Store;
use crate::sync_states::put_sync_states;
use stones_doc::automerge::ChangeHash;
use stones_doc::signed::Signature;
use stones_doc::{DeviceId, DocId, NotebookId};

/// New bytes of a document this device already holds (or is creating).
#[derive(Clone, Debug)]
pub struct DocWrite {
    /// The document.
    pub doc: DocId,
    /// Its notebook (registered with the document if it is new).
    pub notebook: NotebookId,
    /// Index or session.
    pub kind: DocKind,
    /// The last chunk the writer has merged; chunks after it were written by others.
    pub after_seq: u64,
    /// The automerge changes to append (may be empty: then only others' chunks are read).
    pub bytes: Vec<u8>,
    /// The writer's heads after these bytes: cached when nobody else wrote meanwhile.
    pub heads: Vec<ChangeHash>,
}

/// A document new to this device, stored as it came: one snapshot chunk.
#[derive(Clone, Debug)]
pub struct NewDoc {
    /// The document.
    pub doc: DocId,
    /// Its notebook.
    pub notebook: NotebookId,
    /// Index or session.
    pub kind: DocKind,
    /// A saved automerge document (checked by the caller).
    pub snapshot: Vec<u8>,
    /// Its heads, for the heads cache (when known without loading it).
    pub heads: Option<Vec<ChangeHash>>,
}

/// Everything one write transaction holds.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    /// New bytes of held documents.
    pub docs: Vec<DocWrite>,
    /// Documents new here.
    pub new_docs: Vec<NewDoc>,
    /// Sync states per (peer, document).
    pub sync_states: Vec<((DeviceId, DocId), Vec<u8>)>,
    /// Heads cache entries learnt elsewhere (a document loaded, say).
    pub heads: Vec<(DocId, CachedHeads)>,
    /// This process's journal entries the batch's changes cover: (document, last entry).
    pub done_marks: Vec<(DocId, u64)>,
    /// Signatures of index changes (checked by the caller), kept beside the document.
    pub signatures: Vec<(DocId, ChangeHash, Signature)>,
    /// Peers' changes refused, with why (recorded so nothing refused goes unsaid).
    pub refused: Vec<(DocId, ChangeHash, String)>,
}

/// What a held document's write found and made.
#[derive(Clone, Debug, Default)]
pub struct DocWritten {
    /// Chunks other processes wrote after the writer's last one (to merge).
    pub others: Vec<Chunk>,
    /// The sequence number of the chunk written, if any bytes were.
    pub own: Option<u64>,
}

/// What [`Store::write_batch`] did, in the batch's order.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// One per [`Batch::docs`] entry.
    pub docs: Vec<DocWritten>,
    /// The snapshot chunk's sequence number per [`Batch::new_docs`] entry.
    pub new_docs: Vec<u64>,
}

impl Batch {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.docs.iter().all(|d| d.bytes.is_empty())
            && self.new_docs.is_empty()
            && self.sync_states.is_empty()
            && self.heads.is_empty()
            && self.done_marks.is_empty()
            && self.signatures.is_empty()
            && self.refused.is_empty()
    }

    /// Whether a document's bytes change: only then must other processes re-read.
    fn changes_documents(&self) -> bool {
        !self.new_docs.is_empty() || self.docs.iter().any(|d| !d.bytes.is_empty())
    }

    /// Adds another batch's contents after this one's.
    pub fn extend(&mut self, other: Batch) {
        self.docs.extend(other.docs);
        self.new_docs.extend(other.new_docs);
        self.sync_states.extend(other.sync_states);
        self.heads.extend(other.heads);
        self.done_marks.extend(other.done_marks);
        self.signatures.extend(other.signatures);
        self.refused.extend(other.refused);
    }
}

fn raw(heads: &[ChangeHash]) -> Vec<[u8; 32]> {
    heads.iter().map(|h| h.0).collect()
}

impl Store {
    /// Writes a batch in one durable transaction (see the module docs). A batch that changes
    /// no document bytes leaves the commit counter alone, so other processes re-read nothing.
    pub fn write_batch(&self, batch: &Batch) -> Result<Written> {
        if batch.is_empty() {
            return Ok(Written {
                docs: vec![DocWritten::default(); batch.docs.len()],
                new_docs: Vec::new(),
            });
        }
        let slot = self.slot();
        let written = self.db().write_held(batch.changes_documents(), |tx| {
            let mut out = Written::default();
            for n in &batch.new_docs {
                chunks::register_doc(tx, n.doc, n.notebook, n.kind)?;
                let seq = chunks::append_chunk(tx, n.doc, SNAPSHOT, &n.snapshot)?;
                if let Some(hs) = &n.heads {
                    put_heads(tx, &[(n.doc, (seq, raw(hs)))])?;
                }
                out.new_docs.push(seq);
            }
            for d in &batch.docs {
                let (others, own) =
                    chunks::commit_doc(tx, d.doc, d.notebook, d.kind, d.after_seq, &d.bytes)?;
                // Nobody else wrote meanwhile: the writer's heads are the document's.
                if let (true, Some(seq)) = (others.is_empty(), own) {
                    put_heads(tx, &[(d.doc, (seq, raw(&d.heads)))])?;
                }
                out.docs.push(DocWritten { others, own });
            }
            put_sync_states(tx, &batch.sync_states)?;
            put_heads(tx, &batch.heads)?;
            crate::signatures::put_signatures(tx, &batch.signatures)?;
            crate::signatures::put_refused(tx, &batch.refused)?;
            for (doc, seq) in &batch.done_marks {
                crate::journal::mark_done(tx, slot, *doc, *seq)?;
            }
            Ok(out)
        })?;
        self.journal().committed(&batch.done_marks)?;
        Ok(written)
    }

    /// Appends changes that came from outside this process's memory (a tool carrying
    /// changes between homes, say) to a document, registering it if new. Unlike
    /// [`Store::write_batch`] this is news to every reader, this handle's notebooks too:
    /// they merge it at their next refresh.
    pub fn append_changes(
        &self,
        doc: DocId,
        notebook: NotebookId,
        kind: DocKind,
        bytes: &[u8],
    ) -> Result<()> {
        self.db()
            .write(|tx| chunks::commit_doc(tx, doc, notebook, kind, u64::MAX, bytes).map(|_| ()))
    }
}
