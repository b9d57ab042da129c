//! The edit journal table: every keystroke made durable at once, keyed by the writer slot
//! that typed it, truncated by the commit that turns it into an automerge change.

use crate::db::{Db, JOURNAL};
use crate::error::Result;
use redb::{ReadableTable, WriteTransaction};
use stones_doc::{DocId, JournalEdit};

impl Db {
    /// Appends one edit to a writer's journal, durable before this returns. No document
    /// chunk changes, so other processes are not told to re-read (they replay a journal
    /// only when its writer has died).
    pub fn journal_append(&self, slot: u8, edit: &JournalEdit) -> Result<()> {
        let bytes = edit.encode();
        self.write_quiet(|tx| {
            let mut t = tx.open_table(JOURNAL)?;
            let last = t
                .range((slot, 0)..=(slot, u64::MAX))?
                .next_back()
                .transpose()?;
            let seq = last.map(|(k, _)| k.value().1).unwrap_or(0) + 1;
            t.insert((slot, seq), bytes.as_slice())?;
            Ok(())
        })
    }

    /// A writer's journal, oldest first: (seq, decoded entry or the reason it can't be read).
    pub fn journal(&self, slot: u8) -> Result<Vec<(u64, Result<JournalEdit, String>)>> {
        let tx = self.read()?;
        let t = tx.open_table(JOURNAL).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in t
            .range((slot, 0)..=(slot, u64::MAX))
            .map_err(|e| self.err(e))?
        {
            let (k, v) = row.map_err(|e| self.err(e))?;
            out.push((
                k.value().1,
                JournalEdit::decode(v.value()).map_err(|e| e.to_string()),
            ));
        }
        Ok(out)
    }

    /// Slots that have journal entries.
    pub fn journal_slots(&self) -> Result<Vec<u8>> {
        let tx = self.read()?;
        let t = tx.open_table(JOURNAL).map_err(|e| self.err(e))?;
        let mut slots: Vec<u8> = Vec::new();
        for row in t.iter().map_err(|e| self.err(e))? {
            let (k, _) = row.map_err(|e| self.err(e))?;
            let slot = k.value().0;
            if slots.last() != Some(&slot) {
                slots.push(slot);
            }
        }
        Ok(slots)
    }
}

/// Inside a commit's transaction: removes a writer's journal entries for the given docs.
pub fn truncate(tx: &WriteTransaction, slot: u8, docs: &[DocId]) -> Result<(), redb::Error> {
    let mut t = tx.open_table(JOURNAL)?;
    let mut doomed = Vec::new();
    for row in t.range((slot, 0)..=(slot, u64::MAX))? {
        let (k, v) = row?;
        // Entries that can't be decoded are dropped with their writer's commit too.
        if JournalEdit::decode(v.value()).is_ok_and(|e| docs.contains(&e.doc)) {
            doomed.push(k.value().1);
        }
    }
    for seq in doomed {
        t.remove((slot, seq))?;
    }
    Ok(())
}
