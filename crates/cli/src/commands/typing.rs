//! Live typing from standard input: the keystroke path of the app (the engine's typing
//! call: apply, journal, commit by policy) driven by lines arriving on stdin, so scripts and
//! note-takers can write live. Beside a running node (`serve`, the app) the engine learns
//! from the node's report when the notebook is shared live and commits within tens of ms.

use anyhow::Result;
use std::io::{BufRead, Write};
use stones_doc::{NotebookId, TextField};
use stones_store::Target;
use stones_sync::Engine;

/// Appends each stdin line to `field`, acknowledging each once it is durable.
pub fn type_from_stdin(
    engine: &Engine,
    nb: NotebookId,
    target: Target,
    field: TextField,
) -> Result<()> {
    let mut typed = 0usize;
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let len = engine.read(nb, |n| Ok(stones_doc::text_len(n.am_of(target)?, field)?))?;
        let text = if len == 0 { line } else { format!("\n{line}") };
        engine.type_text(nb, target, field, len, 0, &text)?;
        typed += text.chars().count();
        writeln!(out, "typed\t{typed}")?;
        out.flush()?;
    }
    engine.commit_pending()?;
    Ok(())
}
