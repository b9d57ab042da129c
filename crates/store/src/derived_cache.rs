//! The derived cache: what a query reads off a document instead of the document itself,
//! kept per document and kind (search items, voices tallies, conflict counts) as of the
//! document's last chunk, so a fresh process need not load four years of sessions. An entry
//! counts only while the document's last chunk is still the one it names (any write makes it
//! stale; compaction keeps the number); the caller decodes it, and bytes it cannot decode
//! count as stale. Written quietly (it is bookkeeping, no news to readers).

use crate::chunks::last_seq_in;
use crate::db::{CHUNKS, DERIVED, Db};
use crate::error::Result;
use std::collections::BTreeMap;
use stones_doc::DocId;

/// What is kept of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Derived {
    /// Its folded search items (`stones_doc::search::encode`).
    Search = 1,
    /// Its voices tally, before actors are mapped to members (`stones_doc::voices::encode`).
    Voices = 2,
    /// How many of its fields hold concurrent values (u32 BE).
    Conflicts = 3,
}

/// What the store says about the documents a query needs.
#[derive(Debug, Default)]
pub struct DerivedEntries {
    /// Each document's last chunk now (0: the store holds nothing of it).
    pub last_seq: BTreeMap<DocId, u64>,
    /// The kept bytes of the wanted documents whose entry names that last chunk.
    pub current: BTreeMap<DocId, Vec<u8>>,
}

impl Db {
    /// The last chunk of each of `docs` and, for those where `wanted(doc, last chunk)` says
    /// so (the caller's copy is not current), the kept bytes of `kind` still current, in
    /// one read.
    pub fn derived_entries(
        &self,
        kind: Derived,
        docs: &[DocId],
        wanted: impl Fn(DocId, u64) -> bool,
    ) -> Result<DerivedEntries> {
        let tx = self.read()?;
        let chunks = tx.open_table(CHUNKS).map_err(|e| self.err(e))?;
        let cache = match tx.open_table(DERIVED) {
            Ok(t) => Some(t),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(self.err(e)),
        };
        let mut out = DerivedEntries::default();
        for doc in docs {
            let last = last_seq_in(&chunks, *doc).map_err(|e| self.err(e))?;
            out.last_seq.insert(*doc, last);
            let Some(cache) = cache.as_ref().filter(|_| last != 0 && wanted(*doc, last)) else {
                continue;
            };
            let Some(row) = cache.get((doc.0, kind as u8)).map_err(|e| self.err(e))? else {
                continue;
            };
            let v = row.value();
            if let Some((seq, rest)) = v.split_first_chunk::<8>()
                && u64::from_be_bytes(*seq) == last
            {
                out.current.insert(*doc, rest.to_vec());
            }
        }
        Ok(out)
    }

    /// Records what was read off documents from their chunks up to `seq`.
    pub fn put_derived(&self, kind: Derived, entries: &[(DocId, u64, Vec<u8>)]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        self.write_quiet(|tx| {
            let mut t = tx.open_table(DERIVED)?;
            for (doc, seq, bytes) in entries {
                let mut v = seq.to_be_bytes().to_vec();
                v.extend_from_slice(bytes);
                t.insert((doc.0, kind as u8), v.as_slice())?;
            }
            Ok(())
        })
    }
}

impl Db {
    /// Forgets everything kept of `kind` (the next reader reads the documents again).
    pub fn clear_derived(&self, kind: Derived) -> Result<()> {
        self.write_quiet(|tx| {
            let mut t = tx.open_table(DERIVED)?;
            t.retain(|(_, k), _| k != kind as u8)?;
            Ok(())
        })
    }
}
