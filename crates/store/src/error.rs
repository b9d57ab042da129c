//! The store's error type: every message says what went wrong and where (file, document).

use std::path::PathBuf;
use thiserror::Error;

/// Errors from the device store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The home folder does not exist or holds no store.
    #[error("no Stepping Stones home at {0} (create one with `stones init`, or pass --home)")]
    MissingHome(PathBuf),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The store file (or a document in it) is damaged.
    #[error("store file {path} is damaged: {detail}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong and where.
        detail: String,
    },
    /// The database refused an operation.
    #[error("store file {path}: {detail}")]
    Db {
        /// The file.
        path: PathBuf,
        /// What redb said.
        detail: String,
    },
    /// Every writer slot of this home is held by a running process.
    #[error("too many Stepping Stones processes are using {0} at once")]
    NoWriterSlot(PathBuf),
    /// Something named does not exist.
    #[error("no {what} {id}")]
    NotFound {
        /// What kind of thing.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// The notebook is already open on this store: edit it through the handle that has it.
    #[error("notebook {0} is already open in this process; use the handle that has it open")]
    AlreadyOpen(String),
    /// An export cannot be written where or how it was asked (the message says why).
    #[error("export: {0}")]
    Export(String),
    /// A folder is not an export this build can import (the message says which file and why).
    #[error("import: {0}")]
    Import(String),
    /// The notebook model refused an edit or could not read a document.
    #[error(transparent)]
    Doc(#[from] stones_doc::DocError),
}

/// Shorthand for results in this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Attaches a path to an IO error.
pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.into();
    move |source| StoreError::Io { path, source }
}
