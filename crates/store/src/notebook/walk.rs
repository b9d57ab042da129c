//! Reading every session of a run from its automerge document: in memory when it is loaded,
//! else loaded from the store for the moment and dropped again, so a walk over four years
//! does not keep four years in memory. What voices and conflicts are built on.

use super::Notebook;
use crate::error::{Result, StoreError};
use crate::loaded::load_am;
use stones_doc::automerge::AutoCommit;
use stones_doc::{EntryId, SessionEntry};

/// How a walk went for one session.
pub(super) enum Visit<T> {
    /// The document was read.
    Read(T),
    /// This device does not hold the document (yet).
    Missing,
}

/// Sessions whose document could not be read, with why.
pub(super) type Skipped = Vec<(EntryId, String)>;

impl Notebook {
    /// Calls `f` with each session's document; returns what each gave (in order) and the
    /// sessions whose document could not be read, with why.
    pub(super) fn walk_sessions<T>(
        &mut self,
        entries: &[&SessionEntry],
        mut f: impl FnMut(&SessionEntry, &AutoCommit) -> T,
    ) -> Result<(Vec<Visit<T>>, Skipped)> {
        let mut out = Vec::with_capacity(entries.len());
        let mut skipped = Vec::new();
        for entry in entries {
            let visit = if let Some(l) = self.sessions.get(&entry.doc) {
                Visit::Read(f(entry, l.doc.doc()))
            } else {
                match load_am(&self.store, entry.doc) {
                    Ok((am, _, _)) => Visit::Read(f(entry, &am)),
                    Err(StoreError::NotFound { .. }) => Visit::Missing,
                    Err(e) => {
                        skipped.push((entry.id, e.to_string()));
                        Visit::Missing
                    }
                }
            };
            out.push(visit);
        }
        Ok((out, skipped))
    }
}
