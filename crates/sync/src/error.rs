//! Errors of the sync crate: store and document failures, a peer's malformed or unexpected
//! frames, network setup, invites.

use thiserror::Error;

/// Anything that can go wrong while syncing.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] stones_store::StoreError),
    #[error(transparent)]
    Doc(#[from] stones_doc::DocError),
    #[error("automerge: {0}")]
    Automerge(String),
    #[error("peer sent {0}")]
    Protocol(String),
    #[error("network: {0}")]
    Net(String),
    #[error("invite: {0}")]
    Invite(String),
}

/// Shorthand for results in this crate.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;
