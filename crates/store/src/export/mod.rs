//! Exporting a notebook from the device: building the export model (loading the chosen
//! sessions one by one, reporting progress) and writing it as a Markdown folder, one HTML or
//! JSON file, or an Automerge folder with a manifest that `import` reads back. The content
//! rules (scopes, filters, what is left out) are `stones_doc::export`'s; this module does the
//! loading and the files.

mod automerge_folder;
pub mod files;

pub use automerge_folder::MANIFEST_FORMAT;

use crate::error::{Result, StoreError};
use crate::notebook::Notebook;
use std::path::Path;
use stones_doc::export::{self, ExportModel, ExportOptions};
use stones_doc::{Date, EntryId};

/// The formats a notebook exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// A folder of Markdown files (README, questions, learnings, one file per session).
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// One JSON file.
    Json,
    /// A folder of Automerge documents and a manifest (history kept when nothing is left out).
    Automerge,
}

impl std::str::FromStr for ExportFormat {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "markdown" => Ok(ExportFormat::Markdown),
            "html" => Ok(ExportFormat::Html),
            "json" => Ok(ExportFormat::Json),
            "automerge" => Ok(ExportFormat::Automerge),
            _ => Err(StoreError::Export(format!(
                "unknown format {s:?}: use markdown, html, json or automerge"
            ))),
        }
    }
}

/// A session that could not be read and was left out of an export (the rest went out).
#[derive(Clone, Debug)]
pub struct SkippedSession {
    /// The session's date.
    pub date: Date,
    /// Its id.
    pub id: EntryId,
    /// Why it could not be read.
    pub why: String,
}

/// What an export wrote.
#[derive(Clone, Debug)]
pub struct ExportReport {
    /// Sessions exported.
    pub sessions: usize,
    /// Sessions that could not be read.
    pub skipped: Vec<SkippedSession>,
    /// A sentence saying what the scope rules left out.
    pub left_out: String,
}

/// Loads the sessions `opts` wants, calling `progress(done, total)` after each, and builds
/// the export model. A session that cannot be read is left out and named in `skipped`.
pub fn build(
    nb: &mut Notebook,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
    skipped: &mut Vec<SkippedSession>,
) -> Result<ExportModel> {
    let view = nb.view();
    let wanted: Vec<_> = view.sessions.iter().filter(|s| opts.wants(s)).collect();
    let mut loaded = Vec::with_capacity(wanted.len());
    for (i, entry) in wanted.iter().enumerate() {
        match nb.session(entry.id) {
            Ok(s) => loaded.push(((*entry).clone(), (*s).clone())),
            Err(e) => skipped.push(SkippedSession {
                date: entry.date,
                id: entry.id,
                why: e.to_string(),
            }),
        }
        progress(i + 1, wanted.len());
    }
    Ok(ExportModel::build(&view, &loaded, opts))
}

/// Exports a notebook to `out` in `format`. Folders must be new, empty, or hold an earlier
/// export (replaced only with `force`); a file is replaced only with `force`.
pub fn export_notebook(
    nb: &mut Notebook,
    opts: &ExportOptions,
    format: ExportFormat,
    out: &Path,
    force: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportReport> {
    let mut skipped = Vec::new();
    let model = build(nb, opts, progress, &mut skipped)?;
    let shared = opts.readable_by_others;
    match format {
        ExportFormat::Markdown => {
            files::prepare_folder(out, force, shared)?;
            for (rel, text) in export::markdown(&model) {
                files::write_inside(out, &rel, text.as_bytes(), shared)?;
            }
        }
        ExportFormat::Html => {
            files::write_file(out, export::html(&model).as_bytes(), force, shared)?
        }
        ExportFormat::Json => {
            files::write_file(out, export::json(&model).as_bytes(), force, shared)?
        }
        ExportFormat::Automerge => {
            files::prepare_folder(out, force, shared)?;
            automerge_folder::write(nb, &model, opts, out)?;
        }
    }
    Ok(ExportReport {
        sessions: model.sessions.len(),
        skipped,
        left_out: model.left_out.sentence(model.include_group),
    })
}
