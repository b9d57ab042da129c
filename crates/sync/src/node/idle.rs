//! What a node does when nothing arrives: compacts, one at a time, documents stored as a
//! snapshot plus a tail of chunks (typically what a sync brought and nobody touched since),
//! so they load fast and can be sent whole to a new device straight from the store.

use std::time::{Duration, Instant};
use stones_doc::DocId;
use stones_store::Store;
use stones_store::compaction::{compact, fragmented};

/// How long after the last look for fragmented documents to look again.
const RESCAN: Duration = Duration::from_secs(60);

/// The queue of documents to compact.
#[derive(Default)]
pub(crate) struct Compactor {
    queue: Vec<DocId>,
    scanned: Option<Instant>,
}

impl Compactor {
    /// Compacts one fragmented document (rescanning the store now and then); logs failures,
    /// which leave the document as it was.
    pub fn step(&mut self, store: &Store) {
        if self.queue.is_empty() {
            if self.scanned.is_some_and(|t| t.elapsed() < RESCAN) {
                return;
            }
            self.scanned = Some(Instant::now());
            match fragmented(store) {
                Ok(docs) => self.queue = docs,
                Err(e) => tracing::warn!(error = %e, "could not look for documents to compact"),
            }
        }
        if let Some(doc) = self.queue.pop()
            && let Err(e) = compact(store, doc)
        {
            tracing::warn!(%doc, error = %e, "could not compact a document");
        }
    }
}
