//! Searching a notebook without loading its sessions: each document's folded items are kept
//! in memory while they are current and in the store's derived cache (`derived_cache`) for the
//! next process. A loaded document's items are current while its shared view is the same
//! one (views are dropped whenever their document changes: typing, sync, another process);
//! a document not loaded is current while its last chunk in the store is the one its items
//! were read from. Anything stale is read again — from its view if loaded, else by loading
//! the document for the moment and writing its items to the cache.

use super::Notebook;
use crate::derived_cache::Derived;
use crate::error::Result;
use crate::loaded::load_am;
use std::collections::BTreeMap;
use std::sync::Arc;
use stones_doc::search::encode::{decode, encode};
use stones_doc::search::{Folded, Hit, Query, index_items, search, session_items};
use stones_doc::{DocId, EntryId, NotebookView, SessionDoc, SessionView};

/// Where a document's items were read from.
#[derive(Debug)]
enum Source {
    /// The index's view.
    Index(Arc<NotebookView>),
    /// A loaded session's view.
    View(Arc<SessionView>),
    /// The stored document up to this chunk.
    Stored(u64),
}

/// The items of each document, kept between queries.
#[derive(Debug, Default)]
pub(crate) struct SearchCache {
    docs: BTreeMap<DocId, (Source, Arc<Vec<Folded>>)>,
}

/// What a search found, and the sessions it could not read.
#[derive(Debug, Default)]
pub struct SearchResults {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Sessions whose document could not be read, with why (the rest was searched).
    pub skipped: Vec<(EntryId, String)>,
}

fn fold_all(items: Vec<stones_doc::search::SearchItem>) -> Arc<Vec<Folded>> {
    Arc::new(items.into_iter().map(Folded::new).collect())
}

impl Notebook {
    /// Searches everything the notebook holds on this device; at most `limit` hits.
    pub fn search(&mut self, query: &Query, limit: usize) -> Result<SearchResults> {
        let view = self.view();
        let mut skipped = Vec::new();
        self.refresh_index_items(&view);
        let sessions: Vec<(EntryId, DocId)> = view.sessions.iter().map(|s| (s.id, s.doc)).collect();
        let (loaded, unloaded): (Vec<_>, Vec<_>) =
            sessions.into_iter().partition(|(_, d)| self.is_loaded(*d));
        for (id, doc) in loaded {
            match self.session(id) {
                Ok(v) => self.refresh_view_items(id, doc, v),
                Err(e) => skipped.push((id, e.to_string())),
            }
        }
        self.refresh_stored_items(&unloaded, &mut skipped)?;
        let mut groups: Vec<&[Folded]> = vec![];
        let index_doc = self.index_doc();
        let wanted = std::iter::once(index_doc).chain(view.sessions.iter().map(|s| s.doc));
        for doc in wanted {
            if let Some((_, items)) = self.search.docs.get(&doc) {
                groups.push(items.as_slice());
            }
        }
        let hits = search(query, groups, |s| view.session(s).map(|e| e.date), limit);
        Ok(SearchResults { hits, skipped })
    }

    fn refresh_index_items(&mut self, view: &Arc<NotebookView>) {
        let doc = self.index_doc();
        if let Some((Source::Index(v), _)) = self.search.docs.get(&doc)
            && Arc::ptr_eq(v, view)
        {
            return;
        }
        let items = fold_all(index_items(view));
        self.search
            .docs
            .insert(doc, (Source::Index(view.clone()), items));
    }

    fn refresh_view_items(&mut self, id: EntryId, doc: DocId, view: Arc<SessionView>) {
        if let Some((Source::View(v), _)) = self.search.docs.get(&doc)
            && Arc::ptr_eq(v, &view)
        {
            return;
        }
        let items = fold_all(session_items(id, &view));
        self.search.docs.insert(doc, (Source::View(view), items));
    }

    /// Brings the items of sessions not in memory up to date from the store: the cache where
    /// it is current, else the document loaded for the moment (and its items cached).
    fn refresh_stored_items(
        &mut self,
        sessions: &[(EntryId, DocId)],
        skipped: &mut Vec<(EntryId, String)>,
    ) -> Result<()> {
        let docs: Vec<DocId> = sessions.iter().map(|(_, d)| *d).collect();
        // Only documents whose items here are not current have their cached items decoded.
        let kept = &self.search.docs;
        let mut entries = self.store.db().derived_entries(
            Derived::Search,
            &docs,
            |doc, last| !matches!(kept.get(&doc), Some((Source::Stored(seq), _)) if *seq == last),
        )?;
        let mut fresh: Vec<(DocId, u64, Arc<Vec<Folded>>)> = Vec::new();
        for (id, doc) in sessions {
            let last = entries.last_seq.get(doc).copied().unwrap_or(0);
            if let Some((Source::Stored(seq), _)) = self.search.docs.get(doc)
                && *seq == last
            {
                continue;
            }
            if last == 0 {
                // Listed in the index but not on this device yet.
                self.search.docs.remove(doc);
                continue;
            }
            if let Some(Ok(items)) = entries.current.remove(doc).map(|b| decode(&b)) {
                let items = Arc::new(items);
                self.search.docs.insert(*doc, (Source::Stored(last), items));
                continue;
            }
            // `last` was read before this load: if another process writes meanwhile, the
            // entry is marked older than what it holds and is only read once more.
            match load_am(&self.store, *doc) {
                Ok((am, _, _)) => {
                    let items = fold_all(session_items(*id, &SessionDoc::from_doc(am).view()));
                    fresh.push((*doc, last, items));
                }
                Err(e) => {
                    self.search.docs.remove(doc);
                    skipped.push((*id, e.to_string()));
                }
            }
        }
        let rows: Vec<(DocId, u64, Vec<u8>)> = fresh
            .iter()
            .map(|(d, s, items)| (*d, *s, encode(items)))
            .collect();
        if let Err(e) = self.store.db().put_derived(Derived::Search, &rows) {
            // Only the next process's speed depends on it; the results are right either way.
            tracing::warn!("could not write the search cache: {e}");
        }
        for (doc, seq, items) in fresh {
            self.search.docs.insert(doc, (Source::Stored(seq), items));
        }
        Ok(())
    }
}
