//! The search cache: each document's folded search items as of its last chunk, so a query
//! reads them instead of loading documents. An entry counts only while the document's last
//! chunk is still the one it names (any write makes it stale; compaction keeps the number);
//! a damaged entry counts as stale. Written quietly (it is bookkeeping, no news to readers).

use crate::chunks::last_seq_in;
use crate::db::{CHUNKS, Db, SEARCH};
use crate::error::Result;
use std::collections::BTreeMap;
use stones_doc::DocId;
use stones_doc::search::Folded;
use stones_doc::search::encode::{decode, encode};

/// What the store says about the documents a query needs.
#[derive(Debug, Default)]
pub struct SearchEntries {
    /// Each document's last chunk now (0: the store holds nothing of it).
    pub last_seq: BTreeMap<DocId, u64>,
    /// Items of the wanted documents whose cache entry is still valid.
    pub valid: BTreeMap<DocId, Vec<Folded>>,
}

impl Db {
    /// The last chunk of each of `docs` and, for those where `wanted(doc, last chunk)` says
    /// so (the caller's copy is not current), the cached items still valid, in one read.
    pub fn search_entries(
        &self,
        docs: &[DocId],
        wanted: impl Fn(DocId, u64) -> bool,
    ) -> Result<SearchEntries> {
        let tx = self.read()?;
        let chunks = tx.open_table(CHUNKS).map_err(|e| self.err(e))?;
        let cache = match tx.open_table(SEARCH) {
            Ok(t) => Some(t),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(self.err(e)),
        };
        let mut out = SearchEntries::default();
        for doc in docs {
            let last = last_seq_in(&chunks, *doc).map_err(|e| self.err(e))?;
            out.last_seq.insert(*doc, last);
            let Some(cache) = cache.as_ref().filter(|_| last != 0 && wanted(*doc, last)) else {
                continue;
            };
            let Some(row) = cache.get(doc.0).map_err(|e| self.err(e))? else {
                continue;
            };
            let v = row.value();
            let Some((seq, rest)) = v.split_first_chunk::<8>() else {
                continue;
            };
            if u64::from_be_bytes(*seq) != last {
                continue;
            }
            if let Ok(items) = decode(rest) {
                out.valid.insert(*doc, items);
            }
        }
        Ok(out)
    }

    /// Records documents' items as read from their chunks up to `seq`.
    pub fn put_search_entries(&self, entries: &[(DocId, u64, &[Folded])]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        self.write_quiet(|tx| {
            let mut t = tx.open_table(SEARCH)?;
            for (doc, seq, items) in entries {
                let mut v = seq.to_be_bytes().to_vec();
                v.extend_from_slice(&encode(items));
                t.insert(doc.0, v.as_slice())?;
            }
            Ok(())
        })
    }
}
