//! Live typing from standard input: the keystroke path of the app (apply, journal, commit by
//! policy) driven by lines arriving on stdin, so scripts and note-takers can write live.

use anyhow::Result;
use std::io::{BufRead, Write};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;
use stones_doc::TextField;
use stones_store::{Notebook, Store, Target};

/// Appends each stdin line to `field`, acknowledging each once it is durable.
pub fn type_from_stdin(nb: &mut Notebook, target: Target, field: TextField) -> Result<()> {
    let (tx, rx) = channel::<std::io::Result<String>>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut typed = 0usize;
    let mut out = std::io::stdout().lock();
    loop {
        // Beside a running node (`serve`, the app): while it shares this notebook live with
        // a peer, commit within tens of ms so the peer sees the typing at once.
        let live = matches!(
            stones_sync::node::status::load(nb.store())?,
            Some(r) if r.is_fresh(Store::now_ms()) && r.live.contains(&nb.id())
        );
        if live != nb.is_live() {
            nb.set_live(live);
        }
        nb.tick(Store::now_ms() as u64)?;
        let wait = if nb.is_live() { 10 } else { 100 };
        match rx.recv_timeout(Duration::from_millis(wait)) {
            Ok(line) => {
                let line = line?;
                let len = stones_doc::text_len(nb.am_of(target)?, field)?;
                let sep = if len == 0 { "" } else { "\n" };
                let text = format!("{sep}{line}");
                nb.type_text(target, field, len, 0, &text, Store::now_ms() as u64)?;
                typed += text.chars().count();
                writeln!(out, "typed\t{typed}")?;
                out.flush()?;
            }
            Err(RecvTimeoutError::Timeout) => nb.refresh().map(|_| ())?,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    nb.commit_pending()?;
    Ok(())
}
