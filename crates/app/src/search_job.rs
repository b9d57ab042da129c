//! Search as you type, off the UI thread: each change of the query starts a search on a
//! thread of its own (the engine serialises them); a result is kept only if it answers the
//! query still in the box, so a slow first search (a cold cache) never shows over a newer one.

use std::sync::{Arc, Mutex};
use stones_doc::NotebookId;
use stones_store::notebook::SearchResults;
use stones_sync::Engine;

/// Hits shown at most.
pub const LIMIT: usize = 50;

/// What a search answered: the hits, or why it failed.
pub type Answer = Arc<Result<SearchResults, String>>;

/// The search in the box and its answer.
#[derive(Debug, Default)]
pub struct SearchJob {
    /// The query the box holds (trimmed).
    pub query: String,
    /// The answer to `query`, once it came: the hits, or why the search failed.
    pub answer: Option<Answer>,
    pending: Arc<Mutex<Vec<(String, Answer)>>>,
}

impl SearchJob {
    /// Starts searching for `query` (an empty one clears the results).
    pub fn start(
        &mut self,
        engine: Arc<Engine>,
        nb: NotebookId,
        query: &str,
        repaint: impl Fn() + Send + 'static,
    ) {
        self.query = query.trim().to_string();
        self.answer = None;
        if self.query.is_empty() {
            return;
        }
        let slot = self.pending.clone();
        let q = self.query.clone();
        std::thread::spawn(move || {
            let found = engine.search(nb, &q, LIMIT).map_err(|e| e.to_string());
            slot.lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((q, Arc::new(found)));
            repaint();
        });
    }

    /// Takes an answer that came since the last call, if it answers the current query.
    /// Returns whether the answer on screen changed.
    pub fn poll(&mut self) -> bool {
        let came = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        match came.into_iter().rev().find(|(q, _)| *q == self.query) {
            Some((_, answer)) => {
                self.answer = Some(answer);
                true
            }
            None => false,
        }
    }
}
