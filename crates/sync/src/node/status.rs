//! The sync status a running node records in the store, so other processes on the home can
//! tell which peers are connected, whether they are caught up, and which notebooks are shared
//! live (a `stones reflection write` beside `serve` then commits its typing live too). The
//! node rewrites it every second while it runs and clears it when it stops, so a report
//! older than a few seconds is known to be stale.

use super::{NodeStatus, PeerStatus};
use stones_doc::{DeviceId, NotebookId};
use stones_store::Store;

const STATUS: &str = "node/status";

/// A report older than this is from a node that is gone.
pub const FRESH_MS: i64 = 3_000;

/// What a running node last recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// When it was written (unix ms); 0 when the node stopped.
    pub at: i64,
    /// The connected peers.
    pub status: NodeStatus,
    /// Notebooks shared live with a connected peer.
    pub live: Vec<NotebookId>,
}

impl Report {
    /// Whether a node wrote this recently enough to be still running.
    pub fn is_fresh(&self, now_ms: i64) -> bool {
        self.at > 0 && now_ms - self.at <= FRESH_MS
    }
}

/// Records the status (one line per peer and per live notebook) with the time.
pub fn save(store: &Store, status: &NodeStatus, live: &[NotebookId]) -> stones_store::Result<()> {
    let mut text = format!("{}\n", Store::now_ms());
    for p in &status.peers {
        let state = if p.caught_up { "caught-up" } else { "syncing" };
        text.push_str(&format!("peer\t{}\t{state}\t{}\n", p.device, p.differing));
    }
    for nb in live {
        text.push_str(&format!("live\t{nb}\n"));
    }
    // Status is not document data: other processes need not re-read anything for it.
    store.db().set_setting_quiet(STATUS, text.as_bytes())
}

/// The last recorded report, if any.
pub fn load(store: &Store) -> stones_store::Result<Option<Report>> {
    let Some(bytes) = store.db().setting(STATUS)? else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines();
    let at = lines.next().and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut report = Report {
        at,
        ..Report::default()
    };
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["peer", dev, state, differing] => {
                if let Ok(device) = DeviceId::from_hex(dev) {
                    report.status.peers.push(PeerStatus {
                        device,
                        caught_up: *state == "caught-up",
                        dialed: false,
                        differing: differing.parse().unwrap_or(0),
                    });
                }
            }
            ["live", nb] => {
                if let Ok(nb) = NotebookId::from_hex(nb) {
                    report.live.push(nb);
                }
            }
            _ => {}
        }
    }
    Ok(Some(report))
}

/// Marks the node as stopped: no peers, nothing live, no time.
pub fn clear(store: &Store) -> stones_store::Result<()> {
    store.db().set_setting_quiet(STATUS, b"0\n")
}
