//! For tests only (the `testing` feature): ways to damage a store or its caches as a crash,
//! a bad disk or a buggy other process could, which the store's own API never does. Tests
//! of recovery and of hostile data use these; the product never enables the feature.

use crate::chunks::{INCREMENTAL, append_chunk};
use crate::error::Result;
use crate::heads_cache::put_heads;
use crate::store::Store;
use stones_doc::DocId;

/// Appends raw bytes to a document as an incremental chunk, as another process would, with
/// no check that they are automerge: returns the chunk's sequence number.
pub fn append_raw_chunk(store: &Store, doc: DocId, bytes: &[u8]) -> Result<u64> {
    store
        .db()
        .write(|tx| append_chunk(tx, doc, INCREMENTAL, bytes))
}

/// Writes a heads-cache entry directly (the heads claimed valid as of chunk `seq`).
pub fn put_cached_heads(store: &Store, doc: DocId, seq: u64, heads: &[[u8; 32]]) -> Result<()> {
    store
        .db()
        .write(|tx| put_heads(tx, &[(doc, (seq, heads.to_vec()))]))
}

/// Makes the next session document this store's notebooks create fail, as if automerge
/// had refused it: what `new_session` wrote to the index must be undone.
pub fn fail_next_session_doc(store: &Store) {
    store
        .fail_next_session_doc
        .store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Whether a failure was asked for (and consumes the request).
pub(crate) fn session_doc_fails(store: &Store) -> bool {
    store
        .fail_next_session_doc
        .swap(false, std::sync::atomic::Ordering::SeqCst)
}
