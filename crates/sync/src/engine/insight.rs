//! Reads over the whole notebook that help a group use what it wrote: search (and, as they
//! come, voices and the story so far). They read the engine's own copies and the store's
//! caches; none edits anything.

use super::Engine;
use crate::error::Result;
use stones_doc::NotebookId;
use stones_doc::search::Query;
use stones_doc::template::{NOT_REPEATED_WITHIN, Trust, suggest_question, trust_from_age};
use stones_store::notebook::SearchResults;

impl Engine {
    /// Searches everything this device holds of a notebook (case- and accent-insensitive,
    /// every word must match); at most `limit` hits, a title match first, then newer first.
    pub fn search(&self, nb: NotebookId, query: &str, limit: usize) -> Result<SearchResults> {
        let query = Query::parse(query)?;
        self.read(nb, |n| n.search(&query, limit))
    }

    /// A built-in check-in question the group has not asked in its last
    /// [`NOT_REPEATED_WITHIN`] sessions, pitched to `trust` (by default from the notebook's
    /// age: how long ago its first session was). `None` when every one has been asked.
    pub fn suggest_question(&self, nb: NotebookId, trust: Option<Trust>) -> Result<Option<String>> {
        let view = self.view(nb)?;
        let today = stones_store::local_time::today();
        let trust =
            trust.unwrap_or_else(|| trust_from_age(view.sessions.first().map(|s| s.date), today));
        let mut recent = Vec::new();
        for s in view.sessions.iter().rev().take(NOT_REPEATED_WITHIN) {
            // A session not on this device yet cannot say what it asked.
            if let Ok(v) = self.session(nb, s.id) {
                recent.push(v.checkin_question.clone());
            }
        }
        Ok(suggest_question(trust, &recent).map(str::to_string))
    }
}
