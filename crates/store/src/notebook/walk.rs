//! Reading every session of a run from its automerge document: in memory when it is loaded,
//! else from the store's derived cache when what was read off the document is still current
//! there, else loaded from the store for the moment (and what was read kept in the cache),
//! so a walk over four years neither keeps four years in memory nor, once cached, loads
//! them. What voices and conflicts are built on.

use super::Notebook;
use crate::derived_cache::Derived;
use crate::error::{Result, StoreError};
use crate::loaded::load_am;
use stones_doc::automerge::AutoCommit;
use stones_doc::{DocId, EntryId, SessionEntry};

/// How a walk went for one session.
pub(super) enum Visit<T> {
    /// The document was read (or what was read off it is still current in the cache).
    Read(T),
    /// This device does not hold the document (yet).
    Missing,
}

/// Sessions whose document could not be read, with why.
pub(super) type Skipped = Vec<(EntryId, String)>;

/// How what a walk reads off a document is kept in the derived cache.
pub(super) struct Keep<T> {
    /// Which kind of entry.
    pub kind: Derived,
    /// The bytes kept.
    pub encode: fn(&T) -> Vec<u8>,
    /// What the bytes give back; `None` when the document must be read anyway (damaged
    /// bytes, or a kept summary that says there is more to read).
    pub decode: fn(&[u8]) -> Option<T>,
}

impl Notebook {
    /// Calls `f` with each session's document (or takes what the cache kept of it); returns
    /// what each gave, in order, and the sessions whose document could not be read, with why.
    pub(super) fn walk_sessions<T>(
        &mut self,
        entries: &[&SessionEntry],
        keep: &Keep<T>,
        mut f: impl FnMut(&SessionEntry, &AutoCommit) -> T,
    ) -> Result<(Vec<Visit<T>>, Skipped)> {
        let stored: Vec<DocId> = entries
            .iter()
            .map(|e| e.doc)
            .filter(|d| !self.sessions.contains_key(d))
            .collect();
        let mut cached = self
            .store
            .db()
            .derived_entries(keep.kind, &stored, |_, _| true)?;
        let mut out = Vec::with_capacity(entries.len());
        let mut skipped = Vec::new();
        let mut fresh = Vec::new();
        for entry in entries {
            if let Some(l) = self.sessions.get(&entry.doc) {
                out.push(Visit::Read(f(entry, l.doc.doc())));
                continue;
            }
            let last = cached.last_seq.get(&entry.doc).copied().unwrap_or(0);
            if last == 0 {
                out.push(Visit::Missing);
                continue;
            }
            let kept = cached.current.remove(&entry.doc);
            if let Some(t) = kept.as_deref().and_then(keep.decode) {
                out.push(Visit::Read(t));
                continue;
            }
            // `last` was read before this load: if another process writes meanwhile, the
            // entry is marked older than what it holds and is only read once more.
            let visit = match load_am(&self.store, entry.doc) {
                Ok((am, _, _)) => {
                    let t = f(entry, &am);
                    if kept.is_none() {
                        fresh.push((entry.doc, last, (keep.encode)(&t)));
                    }
                    Visit::Read(t)
                }
                Err(StoreError::NotFound { .. }) => Visit::Missing,
                Err(e) => {
                    skipped.push((entry.id, e.to_string()));
                    Visit::Missing
                }
            };
            out.push(visit);
        }
        if let Err(e) = self.store.db().put_derived(keep.kind, &fresh) {
            // Only the next walk's speed depends on it; what it reads is right either way.
            tracing::warn!("could not write the derived cache: {e}");
        }
        Ok((out, skipped))
    }
}
