//! Reads over the whole notebook that help a group use what it wrote: search, a suggested
//! check-in question, voices and the story so far. They read the engine's own copies and
//! the store's caches; none edits anything.

use super::Engine;
use crate::error::Result;
use stones_doc::NotebookId;
use stones_doc::conflicts::FieldId;
use stones_doc::digest::{DigestOptions, digest_markdown};
use stones_doc::search::Query;
use stones_doc::template::{NOT_REPEATED_WITHIN, Trust, suggest_question, trust_from_age};
use stones_doc::voices::Window;
use stones_store::notebook::{ConflictReport, SearchResults, VoicesReport};

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

impl Engine {
    /// Whose voices fill the sessions inside `window`: per member and per sector (see
    /// [`stones_doc::voices`]). Sessions not on this device count as missing.
    pub fn voices(&self, nb: NotebookId, window: &Window) -> Result<VoicesReport> {
        self.read(nb, |n| n.voices(window))
    }

    /// Who wrote a text field of a session, each writer's words, most first (see
    /// [`stones_store::Notebook::writers`]).
    pub fn writers(
        &self,
        nb: NotebookId,
        session: stones_doc::EntryId,
        field: &stones_doc::TextField,
    ) -> Result<Vec<(Option<stones_doc::MemberId>, u32)>> {
        self.read(nb, |n| n.writers(session, field))
    }
}

impl Engine {
    /// The story so far, as Markdown for a newcomer, with the `last` latest reflections
    /// (`export_scope`: only those that may leave the group). Sessions are read newest
    /// first until enough reflections are found; one this device cannot read is passed over.
    pub fn digest(&self, nb: NotebookId, last: usize, export_scope: bool) -> Result<String> {
        let view = self.view(nb)?;
        let mut reflections = Vec::new();
        for entry in view.sessions.iter().rev() {
            if reflections.len() >= last {
                break;
            }
            let Ok(s) = self.session(nb, entry.id) else {
                continue;
            };
            let mut here: Vec<_> = s
                .reflections
                .iter()
                .filter(|r| !export_scope || r.scope == stones_doc::Scope::Export)
                .cloned()
                .collect();
            here.reverse();
            reflections.extend(here.into_iter().map(|r| (entry, r)));
        }
        reflections.truncate(last);
        let opts = DigestOptions {
            today: stones_store::local_time::today(),
            export_scope,
        };
        Ok(digest_markdown(&view, &reflections, opts))
    }
}

impl Engine {
    /// Every field of the notebook holding concurrent values now (the index and every
    /// session this device holds).
    pub fn conflicts(&self, nb: NotebookId) -> Result<ConflictReport> {
        self.read(nb, |n| n.conflicts())
    }

    /// Keeps value `n` (1 first, as [`Engine::conflicts`] lists them) of a conflicted field:
    /// committed, pushed and announced like any edit, so the field holds one value on every
    /// device that syncs.
    pub fn pick_conflict(&self, nb: NotebookId, field: &FieldId, n: usize) -> Result<()> {
        self.with_notebook(nb, |notebook| {
            let target = notebook.pick_conflict(field, n)?;
            Ok(((), vec![notebook.doc_of(target)?]))
        })
    }
}
