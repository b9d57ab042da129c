//! Remembered peers: the last address each peer device was reached at (an encoded iroh
//! endpoint ticket) and when, so a node can redial them without being told.

use crate::db::{Db, PEERS};
use crate::error::Result;
use redb::ReadableTable;
use stones_doc::DeviceId;

/// A remembered peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerRecord {
    /// The peer's device.
    pub device: DeviceId,
    /// When it was last connected (unix ms).
    pub last_seen_ms: i64,
    /// The address as the sync layer encoded it.
    pub addr: Vec<u8>,
}

impl Db {
    /// Remembers where a peer was reached (durably).
    pub fn remember_peer(&self, device: DeviceId, addr: &[u8], now_ms: i64) -> Result<()> {
        let mut v = now_ms.to_be_bytes().to_vec();
        v.extend_from_slice(addr);
        self.write(|tx| {
            tx.open_table(PEERS)?.insert(device.0, v.as_slice())?;
            Ok(())
        })
    }

    /// Every remembered peer (rows too short to hold a time are skipped).
    pub fn peers(&self) -> Result<Vec<PeerRecord>> {
        let tx = self.read()?;
        let t = tx.open_table(PEERS).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in t.iter().map_err(|e| self.err(e))? {
            let (k, v) = row.map_err(|e| self.err(e))?;
            let v = v.value();
            if let Some((time, addr)) = v.split_first_chunk::<8>() {
                out.push(PeerRecord {
                    device: DeviceId(k.value()),
                    last_seen_ms: i64::from_be_bytes(*time),
                    addr: addr.to_vec(),
                });
            }
        }
        Ok(out)
    }
}
