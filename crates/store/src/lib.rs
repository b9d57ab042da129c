#![deny(missing_docs)]
//! `stones-store`: the device store on redb — documents as chunks, the edit journal, sync
//! states, peers, settings and the identity key — shared safely by several processes, plus
//! the `Notebook` handle that edits documents and persists them.

pub mod batch;
pub mod chunks;
pub mod compaction;
pub mod db;
pub mod derived_cache;
pub mod drafts;
pub mod error;
pub mod export;
pub mod heads_cache;
pub mod home;
pub mod identity;
pub mod import;
pub mod journal;
mod journal_sync;
pub mod loaded;
pub mod local_time;
pub mod notebook;
pub mod peers;
pub mod privacy;
pub mod recovery;
pub mod rescue;
pub mod salvage;
pub mod settings;
pub mod signatures;
pub mod store;
pub mod summary;
pub mod sync_states;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod writer_slot;

pub use batch::{Batch, DocWrite, DocWritten, NewDoc, Written};
pub use error::{Result, StoreError};
pub use notebook::edit::Ctx;
pub use notebook::{HistoryItem, NewMember, Notebook, Target, UndoSide};
pub use store::Store;
