//! The sync status a running node records in the store, so other processes on the home can
//! tell which peers are connected, whether they are caught up, and which notebooks are shared
//! live (a `stones reflection write` beside `serve` then commits its typing live too). The
//! node rewrites it every second while it runs and clears it when it stops, so a report
//! older than a few seconds is known to be stale.

use super::{NodeStatus, PeerStatus};
use crate::caught_up::SyncState;
use serde::{Deserialize, Serialize};
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
    /// How each notebook stood with the connected peers.
    pub notebooks: Vec<(NotebookId, SyncState)>,
}

impl Report {
    /// Whether a node wrote this recently enough to be still running.
    pub fn is_fresh(&self, now_ms: i64) -> bool {
        self.at > 0 && now_ms - self.at <= FRESH_MS
    }
}

/// The report as stored: JSON, ids as hex, states as their words.
#[derive(Serialize, Deserialize, Default)]
struct Stored {
    at: i64,
    #[serde(default)]
    peers: Vec<StoredPeer>,
    #[serde(default)]
    live: Vec<String>,
    #[serde(default)]
    notebooks: Vec<StoredNotebook>,
}

#[derive(Serialize, Deserialize)]
struct StoredPeer {
    device: String,
    caught_up: bool,
    differing: usize,
}

#[derive(Serialize, Deserialize)]
struct StoredNotebook {
    id: String,
    state: String,
    differing: usize,
}

/// Records the status with the time.
pub fn save(store: &Store, report: &Report) -> stones_store::Result<()> {
    let stored = Stored {
        at: Store::now_ms(),
        peers: (report.status.peers.iter())
            .map(|p| StoredPeer {
                device: p.device.to_string(),
                caught_up: p.caught_up,
                differing: p.differing,
            })
            .collect(),
        live: report.live.iter().map(|nb| nb.to_string()).collect(),
        notebooks: (report.notebooks.iter())
            .map(|(nb, state)| StoredNotebook {
                id: nb.to_string(),
                state: state.as_str().to_string(),
                differing: match state {
                    SyncState::Syncing { differing } => *differing,
                    _ => 0,
                },
            })
            .collect(),
    };
    let bytes = serde_json::to_vec(&stored).map_err(|e| stones_store::StoreError::Corrupt {
        path: store.home().to_path_buf(),
        detail: format!("cannot encode the sync status: {e}"),
    })?;
    // Status is not document data: other processes need not re-read anything for it.
    store.db().set_setting_quiet(STATUS, &bytes)
}

/// The last recorded report, if any. A report this build cannot read (an older format, a
/// damaged record) reads as a stopped node: it is only ever a hint.
pub fn load(store: &Store) -> stones_store::Result<Option<Report>> {
    let Some(bytes) = store.db().setting(STATUS)? else {
        return Ok(None);
    };
    let stored: Stored = serde_json::from_slice(&bytes).unwrap_or_default();
    let status = NodeStatus {
        peers: (stored.peers.iter())
            .filter_map(|p| {
                Some(PeerStatus {
                    device: DeviceId::from_hex(&p.device).ok()?,
                    caught_up: p.caught_up,
                    dialed: false,
                    differing: p.differing,
                })
            })
            .collect(),
    };
    let notebooks = (stored.notebooks.iter())
        .filter_map(|n| {
            let state = SyncState::from_word(&n.state, n.differing)?;
            Some((NotebookId::from_hex(&n.id).ok()?, state))
        })
        .collect();
    Ok(Some(Report {
        at: stored.at,
        status,
        live: (stored.live.iter())
            .filter_map(|nb| NotebookId::from_hex(nb).ok())
            .collect(),
        notebooks,
    }))
}

/// Waits until the node running on this home (another process: the app, `serve`) reports
/// every connected peer caught up; returns those peers. It can only read the report that
/// node rewrites each second, so it looks every 100 ms. Blocking: never on a UI thread.
pub fn wait_for_running_node(
    store: &Store,
    timeout: std::time::Duration,
) -> crate::error::Result<Vec<DeviceId>> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(report) = load(store)?
            && report.is_fresh(Store::now_ms())
            && report.status.room_caught_up()
        {
            return Ok(report.status.peers.iter().map(|p| p.device).collect());
        }
        if std::time::Instant::now() > deadline {
            return Err(crate::error::SyncError::Unsettled(
                crate::error::Unsettled::Behind {
                    seconds: timeout.as_secs(),
                    peers: Vec::new(),
                },
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Marks the node as stopped: no peers, nothing live, no time.
pub fn clear(store: &Store) -> stones_store::Result<()> {
    store.db().set_setting_quiet(STATUS, br#"{"at":0}"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_reads_back_as_written_and_a_cleared_one_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let nb = NotebookId::random();
        let report = Report {
            at: 0,
            status: NodeStatus {
                peers: vec![PeerStatus {
                    device: DeviceId([7; 32]),
                    caught_up: false,
                    dialed: false,
                    differing: 4,
                }],
            },
            live: vec![nb],
            notebooks: vec![(nb, SyncState::Syncing { differing: 4 })],
        };
        save(&store, &report).unwrap();
        let back = load(&store).unwrap().unwrap();
        assert!(back.is_fresh(Store::now_ms()));
        assert_eq!(back.status, report.status);
        assert_eq!(back.live, report.live);
        assert_eq!(back.notebooks, report.notebooks);
        clear(&store).unwrap();
        assert!(!load(&store).unwrap().unwrap().is_fresh(Store::now_ms()));
        // A record this build cannot read is a stopped node, not an error.
        store
            .db()
            .set_setting_quiet(STATUS, b"1700000000000\npeer\tzz")
            .unwrap();
        assert!(!load(&store).unwrap().unwrap().is_fresh(Store::now_ms()));
    }
}
