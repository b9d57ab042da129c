//! The sync status a running node records in the store, so `stones status` in another
//! process can say which peers are connected and whether they are caught up.

use super::{NodeStatus, PeerStatus};
use stones_doc::DeviceId;
use stones_store::Store;

const STATUS: &str = "node/status";

/// Records the status (one line per peer: device, caught-up or syncing) with the time.
pub fn save(store: &Store, status: &NodeStatus) -> stones_store::Result<()> {
    let mut text = format!("{}\n", Store::now_ms());
    for p in &status.peers {
        let state = if p.caught_up { "caught-up" } else { "syncing" };
        text.push_str(&format!("{}\t{state}\n", p.device));
    }
    // Status is not document data: other processes need not re-read anything for it.
    store.db().set_setting_quiet(STATUS, text.as_bytes())
}

/// The last recorded status and when it was written (ms), if any.
pub fn load(store: &Store) -> stones_store::Result<Option<(i64, NodeStatus)>> {
    let Some(bytes) = store.db().setting(STATUS)? else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines();
    let at = lines.next().and_then(|l| l.parse().ok()).unwrap_or(0);
    let peers = lines
        .filter_map(|l| {
            let (dev, state) = l.split_once('\t')?;
            Some(PeerStatus {
                device: DeviceId::from_hex(dev).ok()?,
                caught_up: state == "caught-up",
                dialed: false,
            })
        })
        .collect();
    Ok(Some((at, NodeStatus { peers })))
}

/// Marks the node as stopped (no peers connected).
pub fn clear(store: &Store) -> stones_store::Result<()> {
    save(store, &NodeStatus::default())
}
