//! Compacting documents nobody is editing. A document written to is compacted by its writer
//! every few chunks; one that only received a few chunks from a sync and was never touched
//! again would otherwise stay a snapshot plus a tail of incremental chunks, which loads by
//! replaying changes one by one and cannot be sent whole without loading it. An idle node
//! compacts those one at a time.

use crate::chunks::{Chunk, SNAPSHOT};
use crate::db::CHUNKS;
use crate::error::Result;
use crate::heads_cache::put_heads;
use crate::loaded::load_am;
use crate::store::Store;
use redb::ReadableTable;
use stones_doc::DocId;

/// Documents stored as more than one chunk.
pub fn fragmented(store: &Store) -> Result<Vec<DocId>> {
    let db = store.db();
    let tx = db.read()?;
    let t = tx.open_table(CHUNKS).map_err(|e| db.err(e))?;
    let mut out: Vec<DocId> = Vec::new();
    let mut last: Option<(DocId, bool)> = None;
    for row in t.iter().map_err(|e| db.err(e))? {
        let (k, _) = row.map_err(|e| db.err(e))?;
        let doc = DocId(k.value().0);
        match last {
            Some((d, false)) if d == doc => {
                out.push(doc);
                last = Some((doc, true));
            }
            Some((d, true)) if d == doc => {}
            _ => last = Some((doc, false)),
        }
    }
    Ok(out)
}

/// The single snapshot a document is stored as, if it is stored as exactly that.
pub fn single_snapshot(chunks: &[Chunk]) -> Option<&[u8]> {
    match chunks {
        [only] if only.kind == SNAPSHOT => Some(&only.bytes),
        _ => None,
    }
}

/// Loads a document and writes one snapshot in place of its chunks (and its heads into the
/// heads cache, so the sync layer need not load it to say what it holds); true if it
/// compacted.
pub fn compact(store: &Store, doc: DocId) -> Result<bool> {
    let (mut am, last_seq, chunks) = load_am(store, doc)?;
    if chunks <= 1 {
        return Ok(false);
    }
    let done = store.db().compact_doc(doc, &am.save(), last_seq)?;
    let heads: Vec<[u8; 32]> = am.get_heads().into_iter().map(|h| h.0).collect();
    store
        .db()
        .write_quiet(|tx| put_heads(tx, &[(doc, (last_seq, heads))]))?;
    Ok(done)
}
