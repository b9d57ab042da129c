//! Exporting and importing through the engine: the export reads the engine's own copy of
//! each document (no second load); an import adds the notebook to the engine at once, so
//! its views, events and peers see it like any other.

use super::Engine;
use crate::error::Result;
use std::path::Path;
use stones_doc::NotebookId;
use stones_doc::export::ExportOptions;
use stones_store::Notebook;
use stones_store::export::{ExportFormat, ExportReport, export_notebook};

impl Engine {
    /// Exports a notebook to `out` (see [`stones_store::export::export_notebook`] for the
    /// folder and `force` rules), calling `progress(done, total)` as sessions load. Blocks
    /// while it writes and holds the engine meanwhile: call it off a UI thread.
    pub fn export(
        &self,
        nb: NotebookId,
        opts: &ExportOptions,
        format: ExportFormat,
        out: &Path,
        force: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ExportReport> {
        self.read(nb, |n| {
            export_notebook(n, opts, format, out, force, progress)
        })
    }

    /// Imports an Automerge export folder as a new notebook on this device (every file is
    /// checked before anything is written) and opens it in the engine.
    pub fn import(&self, dir: &Path) -> Result<NotebookId> {
        let mut st = self.state();
        let id = stones_store::import::import_folder(st.store(), dir)?;
        let nb = Notebook::open(st.store(), id)?;
        st.adopt_notebook(nb)
    }
}
