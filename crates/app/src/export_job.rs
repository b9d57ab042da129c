//! An export running off the UI thread: the engine writes the files on a thread of its
//! own while the window shows its progress, and the result becomes a notice.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use stones_doc::NotebookId;
use stones_doc::export::ExportOptions;
use stones_store::export::ExportFormat;
use stones_sync::Engine;

/// Where an export stands.
#[derive(Clone, Debug, Default)]
pub struct ExportJob {
    /// Sessions written so far.
    pub done: usize,
    /// Sessions to write.
    pub total: usize,
    /// When finished: what was written, or why it failed, in words.
    pub result: Option<Result<String, String>>,
}

/// Starts an export of `nb` to `out` (a folder for Markdown and Automerge, a file for HTML
/// and JSON; an existing one is replaced).
pub fn start(
    engine: Arc<Engine>,
    nb: NotebookId,
    opts: ExportOptions,
    format: ExportFormat,
    out: PathBuf,
    repaint: impl Fn() + Send + 'static,
) -> Arc<Mutex<ExportJob>> {
    let job = Arc::new(Mutex::new(ExportJob::default()));
    let shared = job.clone();
    std::thread::spawn(move || {
        let set = |f: &mut dyn FnMut(&mut ExportJob)| {
            let mut j = shared.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut j);
        };
        let mut progress = |done, total| {
            set(&mut |j| {
                j.done = done;
                j.total = total;
            });
            repaint();
        };
        let result = engine
            .export(nb, &opts, format, &out, true, &mut progress)
            .map(|r| {
                let skipped = if r.skipped.is_empty() {
                    String::new()
                } else {
                    format!(
                        " {} session(s) could not be read and were left out.",
                        r.skipped.len()
                    )
                };
                format!(
                    "Exported {} session(s) to {}. {}{skipped}",
                    r.sessions,
                    out.display(),
                    r.left_out
                )
            })
            .map_err(|e| format!("the export failed: {e}"));
        set(&mut |j| j.result = Some(result.clone()));
        repaint();
    });
    job
}
