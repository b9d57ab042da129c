//! `stones export`: picks the sessions and format from the arguments and hands the export
//! to the engine (model, files, safe paths and `--force` live in `stones_store::export`),
//! with a progress bar on a terminal.

use super::{Env, open};
use crate::args::ExportArgs;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use stones_doc::export::ExportOptions;
use stones_store::export::ExportFormat;

pub fn export(env: &Env, a: &ExportArgs) -> Result<()> {
    let format: ExportFormat = a.format.parse()?;
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    let sessions = a
        .session
        .iter()
        .map(|s| crate::resolve::session(&view, s))
        .collect::<Result<Vec<_>>>()?;
    let opts = ExportOptions {
        include_group: a.include_group,
        sessions: (!sessions.is_empty()).then_some(sessions),
        from: crate::resolve::day("--from", a.from.as_deref())?,
        to: crate::resolve::day("--to", a.to.as_deref())?,
        readable_by_others: a.readable_by_others,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("exporting [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("#> "),
        );
        bar
    });
    let mut progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let report = engine.export(nb, &opts, format, &a.out, a.force, &mut progress)?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    for s in &report.skipped {
        eprintln!("stones: session {} ({}) left out: {}", s.date, s.id, s.why);
    }
    eprintln!(
        "exported {} session(s) to {}. {}",
        report.sessions,
        a.out.display(),
        report.left_out
    );
    Ok(())
}
