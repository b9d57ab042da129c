//! The redb file: table definitions, opening in multi-writer mode with clear errors for a
//! damaged file, and one write transaction per commit that bumps a commit counter so other
//! processes sharing the home notice there is something new to read.

use crate::error::{Result, StoreError};
use redb::{
    ConcurrencyMode, Database, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition,
    TableHandle, WriteTransaction,
};
use std::path::{Path, PathBuf};

/// doc id → notebook id (16 bytes) + kind (1 byte: 0 index, 1 session).
pub(crate) const DOCS: TableDefinition<[u8; 16], &[u8]> = TableDefinition::new("docs");
/// (doc id, seq) → kind byte (0 snapshot, 1 incremental) + automerge bytes.
pub(crate) const CHUNKS: TableDefinition<([u8; 16], u64), &[u8]> = TableDefinition::new("chunks");
/// (peer device, doc id) → encoded automerge `sync::State`.
pub(crate) const SYNC_STATES: TableDefinition<([u8; 32], [u8; 16]), &[u8]> =
    TableDefinition::new("sync_states");
/// peer device → encoded addresses, last seen, last synced.
pub(crate) const PEERS: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("peers");
/// setting name → value.
pub(crate) const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("settings");
/// counters: "commits" (bumped by every write transaction that changes a document), and the
/// journal's done marks ("journal-done/<slot>/<doc>" → last committed entry).
pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// doc → last chunk seq (u64 BE) then its heads (32 bytes each), as some process saw them.
pub(crate) const HEADS: TableDefinition<[u8; 16], &[u8]> = TableDefinition::new("heads");

/// (doc id, change hash) → the ed25519 signature of that change by its author's device.
pub(crate) const SIGNATURES: TableDefinition<([u8; 16], [u8; 32]), &[u8]> =
    TableDefinition::new("signatures");

/// (doc id, change hash) → why a peer's change was refused (an unsigned or forged index
/// change), so that nothing refused goes without a word.
pub(crate) const REFUSED: TableDefinition<([u8; 16], [u8; 32]), &str> =
    TableDefinition::new("refused_changes");

/// (doc, kind of `derived_cache::Derived`) → last chunk seq (u64 BE) the entry was read
/// from, then what was read off the document (search items, a voices tally, a conflict
/// count).
pub(crate) const DERIVED: TableDefinition<([u8; 16], u8), &[u8]> = TableDefinition::new("derived");

/// The search cache of stores made before the derived cache held it: dropped on open.
const OLD_SEARCH: &str = "search";

const COMMITS: &str = "commits";

/// The store's database file.
pub struct Db {
    /// `None` only between closing a database redb has given up on and opening it again.
    db: std::sync::RwLock<Option<Database>>,
    pub(crate) path: PathBuf,
    /// Commit-counter values this handle's held writes produced (not yet passed by a
    /// reader's check): a poll need not re-read what this process wrote and holds.
    own_commits: std::sync::Mutex<std::collections::BTreeSet<u64>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({})", self.path.display())
    }
}

impl Db {
    /// Opens (or creates) the store file, shared with other processes of the same home.
    pub fn open(path: &Path) -> Result<Db> {
        let this = Db {
            db: std::sync::RwLock::new(Some(open_file(path)?)),
            path: path.to_path_buf(),
            own_commits: Default::default(),
        };
        if this.has_tables()? {
            return Ok(this);
        }
        this.write(|tx| {
            tx.open_table(DOCS)?;
            tx.open_table(CHUNKS)?;
            tx.open_table(SYNC_STATES)?;
            tx.open_table(PEERS)?;
            tx.open_table(SETTINGS)?;
            tx.open_table(META)?;
            tx.open_table(HEADS)?;
            tx.open_table(SIGNATURES)?;
            tx.open_table(REFUSED)?;
            tx.open_table(DERIVED)?;
            let old = redb::TableDefinition::<[u8; 16], &[u8]>::new(OLD_SEARCH);
            tx.delete_table(old)?;
            Ok(())
        })?;
        Ok(this)
    }

    /// Whether the tables exist already (opening an existing store writes nothing).
    fn has_tables(&self) -> Result<bool> {
        let tx = self.read()?;
        let tables: Vec<String> = tx
            .list_tables()
            .map_err(|e| self.err(e))?
            .map(|t| t.name().to_string())
            .collect();
        Ok([
            "docs",
            "chunks",
            "sync_states",
            "peers",
            "settings",
            "meta",
            "heads",
            "signatures",
            "refused_changes",
            "derived",
        ]
        .iter()
        .all(|t| tables.iter().any(|have| have == t)))
    }

    /// Runs `f` in one durable write transaction (and bumps the commit counter).
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&WriteTransaction) -> Result<T, redb::Error>,
    ) -> Result<T> {
        self.write_announced(true, f)
    }

    /// Runs `f` in one durable write transaction that other processes need not react to:
    /// no document chunk may change in it, so the commit counter (which tells them to
    /// re-read documents) stays as it is. For bookkeeping: sync states, the heads cache,
    /// a node's status.
    pub(crate) fn write_quiet<T>(
        &self,
        f: impl FnOnce(&WriteTransaction) -> Result<T, redb::Error>,
    ) -> Result<T> {
        self.write_announced(false, f)
    }

    /// One durable write transaction; `announce` bumps the commit counter so other
    /// processes re-read documents (required whenever a document chunk changes).
    pub(crate) fn write_announced<T>(
        &self,
        announce: bool,
        f: impl FnOnce(&WriteTransaction) -> Result<T, redb::Error>,
    ) -> Result<T> {
        self.write_counted(announce, false, f)
    }

    /// [`Db::write_announced`] for a writer that holds in memory everything it writes (the
    /// store's one write path, `Store::write_batch`): its commit is no news to this handle
    /// (see [`Db::news_since`]). Any other write (raw chunks, compaction, recovery, import)
    /// is news to every reader, this handle's included.
    pub(crate) fn write_held<T>(
        &self,
        announce: bool,
        f: impl FnOnce(&WriteTransaction) -> Result<T, redb::Error>,
    ) -> Result<T> {
        self.write_counted(announce, true, f)
    }

    fn write_counted<T>(
        &self,
        announce: bool,
        held: bool,
        f: impl FnOnce(&WriteTransaction) -> Result<T, redb::Error>,
    ) -> Result<T> {
        let tx = self.with_db(|db| db.begin_write())?;
        let out = f(&tx).map_err(|e| self.err(e))?;
        let mut counted = None;
        if announce {
            let mut meta = tx.open_table(META).map_err(|e| self.err(e))?;
            let n = meta
                .get(COMMITS)
                .map_err(|e| self.err(e))?
                .map(|v| v.value())
                .unwrap_or(0);
            meta.insert(COMMITS, n + 1).map_err(|e| self.err(e))?;
            counted = Some(n + 1);
        }
        tx.commit().map_err(|e| self.err(e))?;
        if let (Some(n), true) = (counted, held) {
            self.own().insert(n);
        }
        Ok(out)
    }

    fn own(&self) -> std::sync::MutexGuard<'_, std::collections::BTreeSet<u64>> {
        self.own_commits.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The commit counter now, and whether any write transaction since `seen` changed
    /// documents that this handle's readers may not hold: anything but this handle's held
    /// writes (`Db::write_held`). The check a poll makes before re-reading.
    pub fn news_since(&self, seen: u64) -> Result<(u64, bool)> {
        let count = self.commit_count()?;
        if count <= seen {
            return Ok((count, false));
        }
        let mut own = self.own();
        let others = (seen + 1..=count).any(|n| !own.contains(&n));
        // Below `seen` nothing is asked again by this reader; another reader further behind
        // then re-reads once more than it needs to, never less.
        own.retain(|n| *n > seen);
        Ok((count, others))
    }

    /// A read transaction over the latest commit of any process.
    pub(crate) fn read(&self) -> Result<ReadTransaction> {
        self.with_db(|db| db.begin_read())
    }

    /// Begins a transaction on the database. After an I/O error (a full disk, say) redb
    /// refuses everything until the file is closed and opened again, so on that refusal it
    /// is reopened once and asked again: the store works again as soon as the disk does.
    fn with_db<T>(
        &self,
        begin: impl Fn(&Database) -> Result<T, redb::TransactionError>,
    ) -> Result<T> {
        let first = {
            let held = self.db.read().unwrap_or_else(|p| p.into_inner());
            held.as_ref().map(&begin)
        };
        match first {
            Some(Err(redb::TransactionError::Storage(redb::StorageError::PreviousIo))) | None => {}
            Some(other) => return other.map_err(|e| self.err(e)),
        }
        let mut held = self.db.write().unwrap_or_else(|p| p.into_inner());
        // Another thread may have reopened it meanwhile: then it answers now.
        if let Some(db) = held.as_ref() {
            match begin(db) {
                Err(redb::TransactionError::Storage(redb::StorageError::PreviousIo)) => {}
                other => return other.map_err(|e| self.err(e)),
            }
        }
        if let Some(old) = held.take() {
            tracing::warn!(path = %self.path.display(), "reopening the store after an I/O error");
            if let Err(e) = old.close() {
                tracing::warn!("closing the store after an I/O error: {e}");
            }
        }
        let db = open_file(&self.path)?;
        let out = begin(&db).map_err(|e| self.err(e));
        *held = Some(db);
        out
    }

    /// How many write transactions any process has committed to this file.
    pub fn commit_count(&self) -> Result<u64> {
        let tx = self.read()?;
        let meta = tx.open_table(META).map_err(|e| self.err(e))?;
        Ok(meta
            .get(COMMITS)
            .map_err(|e| self.err(e))?
            .map(|v| v.value())
            .unwrap_or(0))
    }

    /// Wraps a redb error with the file's path, classifying corruption.
    pub fn err(&self, e: impl Into<redb::Error>) -> StoreError {
        classify(&self.path, e.into())
    }
}

/// Opens (or creates) the file the way every handle does.
fn open_file(path: &Path) -> Result<Database> {
    redb::Builder::new()
        .set_concurrency_mode(ConcurrencyMode::MultiWriter)
        .set_cache_size(64 << 20)
        .create(path)
        .map_err(|e| open_error(path, e))
}

fn open_error(path: &Path, e: redb::DatabaseError) -> StoreError {
    classify(path, e.into())
}

fn classify(path: &Path, e: redb::Error) -> StoreError {
    let detail = e.to_string();
    let corrupt = matches!(
        e,
        redb::Error::Corrupted(_) | redb::Error::RepairAborted | redb::Error::UpgradeRequired(_)
    ) || detail.contains("corrupt")
        || detail.contains("magic")
        || detail.contains("checksum");
    if corrupt {
        StoreError::Corrupt {
            path: path.to_path_buf(),
            detail,
        }
    } else {
        StoreError::Db {
            path: path.to_path_buf(),
            detail,
        }
    }
}
