//! The network side of the engine: QUIC connections on the sync ALPN (`conn`), the dialer
//! with backoff (`dial`), invite redemption on the join ALPN (`join`), idle compaction
//! (`idle`), one node per home (`lock`), and the status a running node records for other
//! processes (`status`). The engine ([`crate::engine::Engine`]) owns and drives them.

mod conn;
pub mod dial;
pub(crate) mod idle;
pub(crate) mod inbox;
pub(crate) mod join;
pub mod lock;
pub mod status;
pub mod status_lines;

use crate::net::Allowed;
use std::sync::Mutex;
use stones_doc::DeviceId;

pub(crate) use conn::run as run_conn;

/// The engine under its older name: a node is an engine with its network on.
pub use crate::core::SyncEvent;

/// One connected peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerStatus {
    /// The peer's device.
    pub device: DeviceId,
    /// Every shared document is in sync with this peer, both ways.
    pub caught_up: bool,
    /// We dialled it (rather than it us).
    pub dialed: bool,
    /// Documents whose heads differ from the peer's, as far as we know.
    pub differing: usize,
}

/// The connected peers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeStatus {
    /// Every connected peer.
    pub peers: Vec<PeerStatus>,
}

impl NodeStatus {
    /// The room is caught up when some peer is connected and every connected peer is
    /// caught up (nobody there is never "caught up").
    pub fn room_caught_up(&self) -> bool {
        !self.peers.is_empty() && self.peers.iter().all(|p| p.caught_up)
    }
}

/// State shared between the worker, the network tasks and the API.
#[derive(Default)]
pub(crate) struct Shared {
    pub allowed: Allowed,
    pub status: Mutex<NodeStatus>,
    pub stats: Mutex<crate::core::SyncStats>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_room_is_never_caught_up() {
        assert!(!NodeStatus::default().room_caught_up());
        let one = |caught_up| NodeStatus {
            peers: vec![PeerStatus {
                device: DeviceId([1; 32]),
                caught_up,
                dialed: true,
                differing: usize::from(!caught_up),
            }],
        };
        assert!(one(true).room_caught_up());
        assert!(!one(false).room_caught_up());
    }
}
