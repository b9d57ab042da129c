//! Writer slots: each process writing to a home holds one slot (an OS file lock, released by
//! the kernel when the process dies). The slot number is part of the automerge actor id, so
//! two processes of one device never write changes under the same actor, and a slot that is
//! free again means its last writer is gone: its journal can be replayed.

use crate::error::{Result, StoreError, io};
use crate::home::WRITERS_DIR;
use std::fs::{File, TryLockError};
use std::path::Path;

/// Highest number of processes that can write to one home at once.
pub const MAX_SLOTS: u8 = 64;

/// A held writer slot; the lock is released on drop (or when the process dies).
#[derive(Debug)]
pub struct WriterSlot {
    number: u8,
    _lock: File,
}

impl WriterSlot {
    /// Takes the lowest free slot of the home.
    pub fn acquire(home: &Path) -> Result<WriterSlot> {
        for number in 0..MAX_SLOTS {
            if let Some(slot) = Self::try_take(home, number)? {
                return Ok(slot);
            }
        }
        Err(StoreError::NoWriterSlot(home.to_path_buf()))
    }

    /// Takes a given slot if no live process holds it.
    pub fn try_take(home: &Path, number: u8) -> Result<Option<WriterSlot>> {
        let dir = home.join(WRITERS_DIR);
        crate::privacy::create_private_dir(&dir)?;
        let path = dir.join(format!("{number}.lock"));
        let file = crate::privacy::private_options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(WriterSlot {
                number,
                _lock: file,
            })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(io(&path)(e)),
        }
    }

    /// The slot number (the last byte of this writer's actor id).
    pub fn number(&self) -> u8 {
        self.number
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_exclusive_and_freed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let a = WriterSlot::acquire(dir.path()).unwrap();
        let b = WriterSlot::acquire(dir.path()).unwrap();
        assert_eq!((a.number(), b.number()), (0, 1));
        assert!(WriterSlot::try_take(dir.path(), 0).unwrap().is_none());
        drop(a);
        assert_eq!(WriterSlot::acquire(dir.path()).unwrap().number(), 0);
    }
}
