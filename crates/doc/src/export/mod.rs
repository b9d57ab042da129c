//! Export: one intermediate model built from the documents (respecting consent), and the
//! writers over it — a Markdown folder, one printable HTML file, one JSON file, and rebuilt
//! automerge documents. Pure: the writers return file names and contents; the caller writes.
//!
//! Consent: entries with scope `group` (check-in turns by default, and any reflection or
//! story so marked; a story's retellings go with their story) are left out unless
//! `include_group` is set. What was left out is counted, never shown.

mod html;
mod json;
mod markdown;
pub mod names;
mod rebuild;
mod text;

pub use html::html;
pub use json::{JSON_FORMAT, JSON_VERSION, json};
pub use markdown::markdown;
pub use rebuild::{rebuild_index, rebuild_session};

use crate::date::Date;
use crate::ids::{EntryId, MemberId};
use crate::index::{NotebookView, SessionEntry};
use crate::schema::Scope;
use crate::session::SessionView;

/// What to export.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// Include entries the group kept to itself (scope `group`).
    pub include_group: bool,
    /// Only these sessions (none: all).
    pub sessions: Option<Vec<EntryId>>,
    /// Only sessions on or after this date.
    pub from: Option<Date>,
    /// Only sessions on or before this date.
    pub to: Option<Date>,
    /// Write the files readable by other users of the computer (else 0600, folders 0700:
    /// an export holds what the notebook holds).
    pub readable_by_others: bool,
}

impl ExportOptions {
    /// Whether any session filter is set (so questions and learnings are narrowed too).
    pub fn filtered(&self) -> bool {
        self.sessions.is_some() || self.from.is_some() || self.to.is_some()
    }

    /// Whether a session passes the filters.
    pub fn wants(&self, s: &SessionEntry) -> bool {
        self.sessions.as_ref().is_none_or(|ids| ids.contains(&s.id))
            && self.from.is_none_or(|d| s.date >= d)
            && self.to.is_none_or(|d| s.date <= d)
    }
}

/// How many entries consent kept out of the export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Check-in turns left out.
    pub turns: usize,
    /// Reflections left out.
    pub reflections: usize,
    /// Stories (with their retellings) left out.
    pub stories: usize,
}

impl LeftOut {
    /// All of them.
    pub fn total(&self) -> usize {
        self.turns + self.reflections + self.stories
    }

    /// One sentence for the export's first page (counts, never content).
    pub fn sentence(&self, include_group: bool) -> String {
        if include_group {
            return "This export includes entries the group kept to itself (scope: group).".into();
        }
        if self.total() == 0 {
            return "Nothing was left out: no entry in this export was kept to the group.".into();
        }
        format!(
            "Left out because the group kept them to itself: {} check-in turn(s), {} \
             reflection(s), {} story(ies).",
            self.turns, self.reflections, self.stories
        )
    }
}

/// One session in the export: its index entry and its filtered content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSession {
    /// The session's entry in the index.
    pub entry: SessionEntry,
    /// What the session holds, as exported.
    pub view: SessionView,
    /// The file name stem used by the Markdown export (`YYYY-MM-DD-slug`), unique.
    pub stem: String,
}

impl ExportSession {
    /// The title to show: the session's own, or its kind when it has none.
    pub fn display_title(&self) -> String {
        if self.entry.title.trim().is_empty() {
            self.entry.kind.as_str().to_string()
        } else {
            self.entry.title.clone()
        }
    }
}

/// Everything an export writes, filtered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportModel {
    /// The index, narrowed: selected sessions only, no devices or invites.
    pub notebook: NotebookView,
    /// The selected sessions, by date.
    pub sessions: Vec<ExportSession>,
    /// What the scope rules left out of this export.
    pub left_out: LeftOut,
    /// Whether group-scope entries were included.
    pub include_group: bool,
}

impl ExportModel {
    /// Builds the model from the index and the sessions' views (sessions without a view —
    /// not on this device — are left out of the session list).
    pub fn build(
        index: &NotebookView,
        sessions: &[(SessionEntry, SessionView)],
        opts: &ExportOptions,
    ) -> ExportModel {
        let mut left_out = index.earlier_left_out;
        let keep = |scope: Scope| opts.include_group || scope != Scope::Group;
        let mut out = Vec::new();
        let mut stems: Vec<String> = Vec::new();
        for (entry, view) in sessions.iter().filter(|(e, _)| opts.wants(e)) {
            let mut view = view.clone();
            // Off the record stays inside the group always: not even `include_group` takes it.
            view.turns.retain(|t| !t.off_record);
            let before = (view.turns.len(), view.reflections.len(), view.stories.len());
            view.turns.retain(|t| keep(t.scope));
            view.reflections.retain(|r| keep(r.scope));
            view.stories.retain(|s| keep(s.scope));
            left_out.turns += before.0 - view.turns.len();
            left_out.reflections += before.1 - view.reflections.len();
            left_out.stories += before.2 - view.stories.len();
            view.problems = Default::default();
            let stem = names::unique(names::session_stem(entry.date, &entry.title), &stems);
            stems.push(stem.clone());
            out.push(ExportSession {
                entry: entry.clone(),
                view,
                stem,
            });
        }
        out.sort_by_key(|s| (s.entry.date, s.entry.created_at, s.entry.id));
        let chosen: Vec<EntryId> = out.iter().map(|s| s.entry.id).collect();
        let mut notebook = index.clone();
        notebook.devices.clear();
        notebook.invites.clear();
        notebook.problems = Default::default();
        notebook.sessions = out.iter().map(|s| s.entry.clone()).collect();
        if opts.filtered() {
            let touches = |s: &Option<EntryId>| s.is_some_and(|s| chosen.contains(&s));
            notebook
                .questions
                .retain(|q| touches(&q.raised_in) || q.trail.iter().any(|n| touches(&n.session)));
            notebook
                .learnings
                .retain(|l| l.from_sessions.iter().any(|s| chosen.contains(s)));
        }
        ExportModel {
            notebook,
            sessions: out,
            left_out,
            include_group: opts.include_group,
        }
    }

    /// A member's name as the notebook knows it.
    pub fn name(&self, id: Option<MemberId>) -> String {
        self.notebook.name_of(id)
    }

    /// The names of those present at a session, in joining order.
    pub fn present_names(&self, entry: &SessionEntry) -> Vec<String> {
        self.notebook
            .present_at(entry)
            .into_iter()
            .map(|id| self.name(Some(id)))
            .collect()
    }

    /// The session with this id, if exported.
    pub fn session(&self, id: EntryId) -> Option<&ExportSession> {
        self.sessions.iter().find(|s| s.entry.id == id)
    }
}
