//! Crash recovery: replays the journals of writers that are gone (their slot lock is free):
//! each run of edits no commit covered, onto the document as it stood when the run began,
//! committed under that writer's actor together with the done mark that covers it; then the
//! journal file is emptied.

use crate::chunks::{INCREMENTAL, append_chunk};
use crate::error::Result;
use crate::loaded::load_am;
use crate::store::Store;
use crate::writer_slot::WriterSlot;
use stones_doc::automerge::transaction::CommitOptions;
use stones_doc::{DocId, JournalEdit};

/// Replays every orphaned journal; returns how many edits were recovered.
pub fn recover_orphans(store: &Store) -> Result<usize> {
    let mut recovered = 0;
    for slot in crate::journal::journal_slots(store.home())? {
        // Our own slot is ours: its last holder is gone. Any other needs its lock first.
        let _guard = if slot == store.slot() {
            None
        } else {
            match WriterSlot::try_take(store.home(), slot)? {
                Some(g) => Some(g),
                None => continue, // a live process is still typing there
            }
        };
        recovered += replay_slot(store, slot)?;
    }
    Ok(recovered)
}

fn replay_slot(store: &Store, slot: u8) -> Result<usize> {
    let marks = crate::journal::done_marks(store.db(), slot)?;
    let mut by_doc: Vec<(DocId, u64, Vec<JournalEdit>)> = Vec::new();
    for (seq, entry) in crate::journal::read_journal(store.home(), slot)? {
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
        let (mut am, _, _) = match load_am(store, doc) {
            Ok(x) => x,
            Err(crate::StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        let actor = store.device().actor(slot);
        let mut chunks = Vec::new();
        for run in edits.chunk_by(|a, b| a.base_heads == b.base_heads) {
            let base = &run[0].base_heads;
            let mut fork = am.fork_at(base).unwrap_or_else(|_| am.fork());
            fork.set_actor(actor.clone());
            let applied = run.iter().filter(|e| e.apply(&mut fork).is_ok()).count();
            let opts = CommitOptions::default()
                .with_message(format!("recovered {applied} typed edits after a crash"))
                .with_time(Store::now_ms() / 1000);
            fork.commit_with(opts);
            let bytes = fork.save_after(base);
            if !bytes.is_empty() {
                am.load_incremental(&bytes)
                    .map_err(stones_doc::DocError::from)?;
                chunks.push(bytes);
            }
            count += applied;
        }
        store.db().write(|tx| {
            for bytes in &chunks {
                append_chunk(tx, doc, INCREMENTAL, bytes)?;
            }
            crate::journal::mark_done(tx, slot, doc, last)
        })?;
    }
    crate::journal::clear(store.home(), slot)?;
    Ok(count)
}
