//! Errors of the sync crate: store and document failures, a peer's malformed or unexpected
//! frames, network setup, invites.

use stones_doc::DeviceId;
use thiserror::Error;

/// Anything that can go wrong while syncing.
#[derive(Debug, Error)]
pub enum SyncError {
    /// The store failed (the message names the file or document).
    #[error(transparent)]
    Store(#[from] stones_store::StoreError),
    /// The notebook model refused an edit or could not read a document.
    #[error(transparent)]
    Doc(#[from] stones_doc::DocError),
    /// Automerge refused bytes or a sync message.
    #[error("automerge: {0}")]
    Automerge(String),
    /// A peer sent something malformed or out of order (the connection is closed).
    #[error("peer sent {0}")]
    Protocol(String),
    /// The network could not be set up, or it is off where it is needed.
    #[error("network: {0}")]
    Net(String),
    /// An invite could not be made, read or redeemed.
    #[error("invite: {0}")]
    Invite(String),
    /// An edit needs this device's member, and the device belongs to no member.
    #[error("this device belongs to no member of the notebook")]
    NoMember,
    /// A sync round (or a join's fetch) ended without every peer caught up.
    #[error("{0}")]
    Unsettled(Unsettled),
    /// This device was removed from every notebook it holds: it cannot sync any more.
    #[error(
        "this device was removed from {0}: it keeps what it already had, but can no longer sync"
    )]
    Removed(String),
    /// A member tried to remove themself (another member must do it).
    #[error("you cannot remove yourself; ask another member to remove you")]
    RemoveSelf,
}

/// Shorthand for results in this crate.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;

/// Why a sync round ended without every peer caught up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsettled {
    /// A peer refused this device (`device: reason` for each).
    Refused(Vec<String>),
    /// Nobody to dial, and no discovery on.
    NoTarget,
    /// No member device answered in time (`device: last error` for each tried).
    Unreachable {
        /// The round's limit.
        seconds: u64,
        /// `device: last error` for each peer tried.
        tried: Vec<String>,
    },
    /// What peers sent could not be written to this device's store (a full disk, say):
    /// the store's own words.
    Unwritable(String),
    /// Connected, but these peers were not caught up in time.
    Behind {
        /// The round's limit.
        seconds: u64,
        /// The peers not caught up.
        peers: Vec<DeviceId>,
    },
}

impl std::fmt::Display for Unsettled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids = |v: &[DeviceId]| v.iter().map(|d| d.to_string()).collect::<Vec<_>>();
        match self {
            Unsettled::Refused(why) => write!(f, "refused by {}", why.join("; ")),
            Unsettled::NoTarget => f.write_str("no member device to sync with"),
            Unsettled::Unreachable { seconds, tried } => write!(
                f,
                "no member device reachable in {seconds} s ({})",
                tried.join("; ")
            ),
            Unsettled::Behind { seconds, peers } => write!(
                f,
                "not caught up after {seconds} s with: {}",
                ids(peers).join(", ")
            ),
            Unsettled::Unwritable(why) => write!(
                f,
                "stopped: what the peers sent could not be written on this device ({why}); \
                 nothing acknowledged is lost, and the next sync takes it up again"
            ),
        }
    }
}
