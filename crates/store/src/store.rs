//! The device store: one home folder holding the redb file and the identity key, opened by
//! any number of processes at once. Opening takes a writer slot and replays the journals of
//! writers that are gone, so no acknowledged keystroke is ever lost.

use crate::db::Db;
use crate::error::{Result, StoreError};
use crate::home::{IDENTITY_FILE, STORE_FILE, has_store};
use crate::identity::Identity;
use crate::journal::Journal;
use crate::writer_slot::WriterSlot;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use stones_doc::automerge::ActorId;
use stones_doc::{DeviceId, NotebookId};

/// Counters that tests and benchmarks read to see what the store did.
#[derive(Debug, Default)]
pub struct Stats {
    /// Documents loaded from chunks since the store was opened.
    pub docs_loaded: AtomicU64,
}

/// An open device store.
#[derive(Debug)]
pub struct Store {
    home: PathBuf,
    pub(crate) db: Db,
    identity: Identity,
    slot: WriterSlot,
    journal: Journal,
    /// What this process loaded and replayed.
    pub stats: Stats,
    /// Journal entries recovered from writers that had died.
    recovered: AtomicUsize,
    /// What was readable by other users when this process opened the home, now private.
    tightened: Vec<crate::privacy::Tightened>,
    /// Notebooks open on this store (one `Notebook` each at most).
    open_notebooks: Mutex<BTreeSet<NotebookId>>,
    /// Tests only: the next session document to be made fails (`testing.rs`).
    #[cfg(feature = "testing")]
    pub(crate) fail_next_session_doc: std::sync::atomic::AtomicBool,
}

impl Store {
    /// Opens an existing home; a folder without a store is an error.
    pub fn open(home: &Path) -> Result<Store> {
        if !has_store(home) {
            return Err(StoreError::MissingHome(home.to_path_buf()));
        }
        Self::open_inner(home)
    }

    /// Opens a home, creating the folder, key and store file if they don't exist yet.
    pub fn open_or_create(home: &Path) -> Result<Store> {
        crate::privacy::create_private_dir(home)?;
        Self::open_inner(home)
    }

    fn open_inner(home: &Path) -> Result<Store> {
        // Before anything is read: a home other users could read is made private first.
        let tightened = crate::privacy::tighten_home(home).unwrap_or_else(|e| {
            tracing::warn!("could not make {} private: {e}", home.display());
            Vec::new()
        });
        let identity = Identity::load_or_create(&home.join(IDENTITY_FILE))?;
        let db = Db::open(&home.join(STORE_FILE))?;
        // redb creates a new store file with the process's umask. A file this user may not
        // chmod (another owner, a read-only mount) still opens: the store is readable as it
        // was, and the log says why it stayed as it is.
        if let Err(e) = crate::privacy::private_file(&home.join(STORE_FILE)) {
            tracing::warn!("could not make the store file private: {e}");
        }
        let slot = WriterSlot::acquire(home)?;
        // Opened before recovery replays (and empties) our slot's file: the next sequence
        // number it starts from is already past anything recovery will mark done.
        let journal = Journal::open(home, slot.number(), &db)?;
        let store = Store {
            home: home.to_path_buf(),
            db,
            identity,
            slot,
            journal,
            stats: Stats::default(),
            recovered: AtomicUsize::new(0),
            tightened,
            open_notebooks: Mutex::new(BTreeSet::new()),
            #[cfg(feature = "testing")]
            fail_next_session_doc: std::sync::atomic::AtomicBool::new(false),
        };
        let n = crate::recovery::recover_orphans(&crate::recovery::Opening {
            home,
            db: &store.db,
            device: store.device(),
            own_slot: store.slot(),
        })?;
        store.recovered.store(n, Ordering::Relaxed);
        Ok(store)
    }

    /// How many documents this process has loaded from chunks.
    pub fn docs_loaded(&self) -> u64 {
        self.stats.docs_loaded.load(Ordering::Relaxed)
    }

    /// What was readable by other users of this computer when this process opened the
    /// home, and is private now (say so once: the CLI on stderr, the app as a notice).
    pub fn tightened(&self) -> &[crate::privacy::Tightened] {
        &self.tightened
    }

    /// The home folder.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// This device's id.
    pub fn device(&self) -> DeviceId {
        self.identity.device()
    }

    /// This device's identity key.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The writer slot this process holds.
    pub fn slot(&self) -> u8 {
        self.slot.number()
    }

    /// The actor id this process writes changes under.
    pub fn actor(&self) -> ActorId {
        self.device().actor(self.slot())
    }

    /// This process's edit journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// How many journaled edits of dead writers were replayed when this store opened.
    pub fn recovered_edits(&self) -> usize {
        self.recovered.load(Ordering::Relaxed)
    }

    /// Claims a notebook for one `Notebook` handle; a second handle on the same store would
    /// write under the same actor id and sequence numbers as the first.
    pub(crate) fn claim_notebook(&self, id: NotebookId) -> Result<()> {
        let mut open = self
            .open_notebooks
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if !open.insert(id) {
            return Err(StoreError::AlreadyOpen(id.to_hex()));
        }
        Ok(())
    }

    /// Releases a notebook claimed by [`Store::claim_notebook`].
    pub(crate) fn release_notebook(&self, id: NotebookId) {
        let mut open = self
            .open_notebooks
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        open.remove(&id);
    }

    /// The current time in unix milliseconds.
    pub fn now_ms() -> i64 {
        crate::local_time::now_ms()
    }
}
