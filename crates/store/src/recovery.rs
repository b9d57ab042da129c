//! Crash recovery: replays the journals of writers that are gone (their slot lock is free):
//! each run of edits no commit covered, onto the document as it stood when the run began,
//! committed under that writer's actor together with the done mark that covers it; then the
//! journal file is emptied.

use crate::chunks::{INCREMENTAL, append_chunk};
use crate::db::Db;
use crate::error::Result;
use crate::journal::{clear, done_marks, journal_slots, mark_done, read_journal};
use crate::local_time::now_ms;
use crate::writer_slot::WriterSlot;
use std::path::Path;
use stones_doc::automerge::transaction::CommitOptions;
use stones_doc::{DeviceId, DocId, JournalEdit};

/// The home being opened: where its journals are, its store, this device, and the writer
/// slot the opening process holds.
pub struct Opening<'a> {
    /// The home folder.
    pub home: &'a Path,
    /// Its store file.
    pub db: &'a Db,
    /// This device.
    pub device: DeviceId,
    /// The slot the opening process holds.
    pub own_slot: u8,
}

/// Replays every orphaned journal; returns how many edits were recovered.
pub fn recover_orphans(at: &Opening) -> Result<usize> {
    let mut recovered = 0;
    for slot in journal_slots(at.home)? {
        // Our own slot is ours: its last holder is gone. Any other needs its lock first.
        let _guard = if slot == at.own_slot {
            None
        } else {
            match WriterSlot::try_take(at.home, slot)? {
                Some(g) => Some(g),
                None => continue, // a live process is still typing there
            }
        };
        recovered += replay_slot(at, slot)?;
    }
    Ok(recovered)
}

fn replay_slot(at: &Opening, slot: u8) -> Result<usize> {
    let marks = done_marks(at.db, slot)?;
    let mut by_doc: Vec<(DocId, u64, Vec<JournalEdit>)> = Vec::new();
    for (seq, entry) in read_journal(at.home, slot)? {
        // An entry that cannot be decoded cannot be replayed; it goes with the file.
        let Ok(edit) = entry else { continue };
        if marks.get(&edit.doc).is_some_and(|done| seq <= *done) {
            continue; // committed before the writer died
        }
        match by_doc.iter_mut().find(|(d, ..)| *d == edit.doc) {
            Some((_, last, v)) => {
                *last = seq;
                v.push(edit);
            }
            None => by_doc.push((edit.doc, seq, vec![edit])),
        }
    }
    let mut count = 0;
    for (doc, last, edits) in by_doc {
        let (mut am, _, _) = match at.db.load_doc(doc) {
            Ok(x) => x,
            Err(crate::StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        let actor = at.device.actor(slot);
        let mut chunks = Vec::new();
        for run in edits.chunk_by(|a, b| a.base_heads == b.base_heads) {
            let base = &run[0].base_heads;
            let mut fork = am.fork_at(base).unwrap_or_else(|_| am.fork());
            fork.set_actor(actor.clone());
            let applied = run.iter().filter(|e| e.apply(&mut fork).is_ok()).count();
            let opts = CommitOptions::default()
                .with_message(format!("recovered {applied} typed edits after a crash"))
                .with_time(now_ms() / 1000);
            fork.commit_with(opts);
            let bytes = fork.save_after(base);
            if !bytes.is_empty() {
                am.load_incremental(&bytes)
                    .map_err(stones_doc::DocError::from)?;
                chunks.push(bytes);
            }
            count += applied;
        }
        at.db.write(|tx| {
            for bytes in &chunks {
                append_chunk(tx, doc, INCREMENTAL, bytes)?;
            }
            mark_done(tx, slot, doc, last)
        })?;
    }
    clear(at.home, slot)?;
    Ok(count)
}
