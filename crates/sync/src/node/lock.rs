//! One node per home: a node's endpoint id is the device's key, and two endpoints with one
//! id would confuse every peer. `node.lock` in the home is held (an OS file lock, freed by
//! the kernel if the process dies) for as long as a node runs.

use crate::error::{Result, SyncError};
use std::fs::{File, TryLockError};
use std::path::Path;

/// The lock file's name in the home.
pub const NODE_LOCK: &str = "node.lock";

/// Held while a node runs on a home.
#[derive(Debug)]
pub struct NodeLock {
    _file: File,
}

impl NodeLock {
    /// Takes the home's node lock, or says that another node already runs there.
    pub fn take(home: &Path) -> Result<NodeLock> {
        let path = home.join(NODE_LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| SyncError::Net(format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(NodeLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(SyncError::Net(format!(
                "a node is already running for {} (the app or `stones serve`); it syncs this \
                 device with its peers — see `stones status`",
                home.display()
            ))),
            Err(TryLockError::Error(e)) => Err(SyncError::Net(format!("{}: {e}", path.display()))),
        }
    }
}
