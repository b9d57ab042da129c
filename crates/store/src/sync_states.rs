//! Persisted automerge sync states, one per (peer device, document), so a reconnect opens
//! with heads instead of a Bloom filter of the whole history.

use crate::db::{Db, SYNC_STATES};
use crate::error::Result;
use redb::WriteTransaction;
use stones_doc::{DeviceId, DocId};

impl Db {
    /// The encoded sync state for (peer, doc), if one was saved.
    pub fn sync_state(&self, peer: DeviceId, doc: DocId) -> Result<Option<Vec<u8>>> {
        let tx = self.read()?;
        let t = tx.open_table(SYNC_STATES).map_err(|e| self.err(e))?;
        Ok(t.get((peer.0, doc.0))
            .map_err(|e| self.err(e))?
            .map(|v| v.value().to_vec()))
    }
}

/// Writes encoded sync states inside a write transaction.
pub(crate) fn put_sync_states(
    tx: &WriteTransaction,
    states: &[((DeviceId, DocId), Vec<u8>)],
) -> Result<(), redb::Error> {
    let mut t = tx.open_table(SYNC_STATES)?;
    for ((peer, doc), bytes) in states {
        t.insert((peer.0, doc.0), bytes.as_slice())?;
    }
    Ok(())
}
