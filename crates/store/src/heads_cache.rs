//! A cache of each document's heads, keyed by the last chunk they cover, so the sync layer
//! can tell peers what it holds without loading every document. An entry is valid only while
//! the document's last chunk is still the one it names (any new chunk makes it stale;
//! compaction keeps the last chunk's number and the heads).

use crate::chunks::last_seq_in;
use crate::db::{CHUNKS, Db, HEADS};
use crate::error::Result;
use redb::WriteTransaction;
use std::collections::BTreeMap;
use stones_doc::DocId;

/// One cached entry: the last chunk covered and the heads after it.
pub type CachedHeads = (u64, Vec<[u8; 32]>);

/// Writes cache entries inside a write transaction.
pub(crate) fn put_heads(
    tx: &WriteTransaction,
    entries: &[(DocId, CachedHeads)],
) -> Result<(), redb::Error> {
    let mut t = tx.open_table(HEADS)?;
    for (doc, (seq, heads)) in entries {
        let mut v = seq.to_be_bytes().to_vec();
        for h in heads {
            v.extend_from_slice(h);
        }
        t.insert(doc.0, v.as_slice())?;
    }
    Ok(())
}

impl Db {
    /// The heads of each of `docs` whose cache entry is still valid, in one read.
    pub fn valid_heads(&self, docs: &[DocId]) -> Result<BTreeMap<DocId, Vec<[u8; 32]>>> {
        let tx = self.read()?;
        let heads = match tx.open_table(HEADS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(BTreeMap::new()),
            Err(e) => return Err(self.err(e)),
        };
        let chunks = tx.open_table(CHUNKS).map_err(|e| self.err(e))?;
        let mut out = BTreeMap::new();
        for doc in docs {
            let Some(row) = heads.get(doc.0).map_err(|e| self.err(e))? else {
                continue;
            };
            let v = row.value();
            let Some((seq, rest)) = v.split_first_chunk::<8>() else {
                continue;
            };
            if rest.len() % 32 != 0
                || last_seq_in(&chunks, *doc).map_err(|e| self.err(e))? != u64::from_be_bytes(*seq)
            {
                continue;
            }
            let hs = rest
                .chunks_exact(32)
                .map(|c| {
                    let mut h = [0u8; 32];
                    h.copy_from_slice(c);
                    h
                })
                .collect();
            out.insert(*doc, hs);
        }
        Ok(out)
    }
}
