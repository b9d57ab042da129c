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
        // Private like everything in the home (else each later open would tighten it again).
        let file = stones_store::privacy::private_options()
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_lock_file_is_private_and_held_once() {
        let dir = tempfile::tempdir().unwrap();
        let held = NodeLock::take(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(NODE_LOCK))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let err = NodeLock::take(dir.path()).err().unwrap().to_string();
        assert!(err.contains("already running"), "{err}");
        drop(held);
        assert!(NodeLock::take(dir.path()).is_ok());
    }
}
