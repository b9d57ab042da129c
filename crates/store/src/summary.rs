//! What `stones status` says about the device's store: where it is, whose it is, how much it
//! holds, and whether typing waits in a journal or was recovered after a crash.

use crate::error::Result;
use crate::journal::{journal_slots, uncovered};
use crate::store::Store;
use std::path::PathBuf;
use stones_doc::{DeviceId, DocKind};

/// The store's numbers.
#[derive(Clone, Debug)]
pub struct StoreSummary {
    /// The home folder.
    pub home: PathBuf,
    /// This device.
    pub device: DeviceId,
    /// Notebooks held.
    pub notebooks: usize,
    /// Documents held (indexes and sessions).
    pub documents: usize,
    /// Size of the store file.
    pub store_bytes: u64,
    /// Commits ever written to the store.
    pub commits: u64,
    /// Keystrokes journaled and not yet covered by a commit (any process).
    pub journal_entries: usize,
    /// Keystrokes recovered from journals when this store opened.
    pub recovered_edits: usize,
}

impl StoreSummary {
    /// The `name<TAB>value` lines `stones status` prints.
    pub fn lines(&self) -> Vec<String> {
        vec![
            format!("home\t{}", self.home.display()),
            format!("device\t{}", self.device),
            format!("notebooks\t{}", self.notebooks),
            format!("documents\t{}", self.documents),
            format!("store_bytes\t{}", self.store_bytes),
            format!("commits\t{}", self.commits),
            format!("journal_entries\t{}", self.journal_entries),
            format!("recovered_edits\t{}", self.recovered_edits),
        ]
    }
}

impl Store {
    /// Reads the store's numbers (a journal that cannot be read counts as empty).
    pub fn summary(&self) -> Result<StoreSummary> {
        let docs = self.db().docs()?;
        let journal_entries = journal_slots(self.home())?
            .iter()
            .map(|s| uncovered(self.db(), self.home(), *s).map_or(0, |j| j.len()))
            .sum();
        let store_bytes = std::fs::metadata(self.home().join(crate::home::STORE_FILE))
            .map(|m| m.len())
            .unwrap_or(0);
        Ok(StoreSummary {
            home: self.home().to_path_buf(),
            device: self.device(),
            notebooks: docs.iter().filter(|(_, _, k)| *k == DocKind::Index).count(),
            documents: docs.len(),
            store_bytes,
            commits: self.db().commit_count()?,
            journal_entries,
            recovered_edits: self.recovered_edits(),
        })
    }
}
