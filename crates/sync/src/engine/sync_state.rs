//! A caught-up state you can trust, per notebook and per peer: never "caught up" with
//! nobody there, nor while this process holds typing not yet committed.

use super::Engine;
use stones_doc::{DeviceId, NotebookId};

/// How a notebook stands with the other devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncState {
    /// The network is off on this device (mode `off`).
    Offline,
    /// The network is on, but no member device is reachable.
    Alone,
    /// A member device is being dialled or is saying hello.
    Connecting,
    /// Connected, and this many documents differ (or hold typing not yet committed).
    Syncing {
        /// Documents that differ.
        differing: usize,
    },
    /// Every document either side holds has equal heads both ways, with every connected
    /// member device, and no typing waits here.
    CaughtUp,
}

impl SyncState {
    /// A short word for status lines.
    pub fn as_str(&self) -> &'static str {
        match self {
            SyncState::Offline => "offline",
            SyncState::Alone => "alone",
            SyncState::Connecting => "connecting",
            SyncState::Syncing { .. } => "syncing",
            SyncState::CaughtUp => "caught-up",
        }
    }
}

/// One peer's state on a notebook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerSync {
    /// The peer's device.
    pub device: DeviceId,
    /// Connecting (no digest yet), syncing or caught up.
    pub state: SyncState,
}

impl Engine {
    /// How a notebook stands (see [`SyncState`]).
    pub fn sync_state(&self, nb: NotebookId) -> SyncState {
        let peers = self.peer_states(nb);
        let connecting = self.dial_targets().iter().any(|t| t.busy);
        let mut st = self.state();
        if !st.net_on {
            return SyncState::Offline;
        }
        let pending = st
            .core
            .replica
            .notebook_mut(nb)
            .map(|n| n.pending_docs().len())
            .unwrap_or(0);
        drop(st);
        let synced: Vec<usize> = peers
            .iter()
            .filter_map(|p| match p.state {
                SyncState::Syncing { differing } => Some(differing),
                SyncState::CaughtUp => Some(0),
                _ => None,
            })
            .collect();
        if synced.is_empty() {
            return if connecting || !peers.is_empty() {
                SyncState::Connecting
            } else {
                SyncState::Alone
            };
        }
        let differing = synced.iter().copied().max().unwrap_or(0) + pending;
        if differing == 0 {
            SyncState::CaughtUp
        } else {
            SyncState::Syncing { differing }
        }
    }

    /// Whether the notebook is shared live with a connected peer (typing commits within
    /// tens of ms), as this engine or the node running on its home sees it.
    pub fn is_live(&self, nb: NotebookId) -> bool {
        self.state().is_live(nb)
    }

    /// Each connected peer's state on a notebook.
    pub fn peer_states(&self, nb: NotebookId) -> Vec<PeerSync> {
        self.state()
            .links(nb)
            .into_iter()
            .map(|(device, differing)| PeerSync {
                device,
                state: match differing {
                    None => SyncState::Connecting,
                    Some(0) => SyncState::CaughtUp,
                    Some(differing) => SyncState::Syncing { differing },
                },
            })
            .collect()
    }
}
