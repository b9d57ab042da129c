//! Undo and redo of this process's own typing, per text field, applied to the document
//! (`stones_doc::undo`): every splice undo or redo makes is journaled like a keystroke and
//! committed by the same policy, so it syncs and survives a crash like typing does.

use super::{Notebook, Target};
use crate::error::{Result, StoreError};
use crate::store::Store;
use std::collections::{BTreeSet, HashMap};
use stones_doc::automerge::{ActorId, AutoCommit, ObjId};
use stones_doc::undo::{GroupKind, Typist, UndoHistory};
use stones_doc::{DeviceId, TextField};

/// Undo or redo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UndoSide {
    /// Take back the last group of this device's typing.
    Undo,
    /// Put back the last group undone.
    Redo,
}

/// Every field's history, in memory.
#[derive(Debug, Default)]
pub(crate) struct UndoStacks {
    fields: HashMap<(Target, TextField), UndoHistory>,
}

impl UndoStacks {
    /// Takes a field's history out (to use beside a mutable borrow of the notebook).
    pub(crate) fn take(&mut self, target: Target, field: TextField) -> UndoHistory {
        self.fields.remove(&(target, field)).unwrap_or_default()
    }

    /// Puts a field's history back.
    pub(crate) fn put(&mut self, target: Target, field: TextField, h: UndoHistory) {
        self.fields.insert((target, field), h);
    }
}

/// Applies undo's splices through the journal.
struct JournalTypist<'a> {
    nb: &'a mut Notebook,
    target: Target,
    field: TextField,
    now_ms: u64,
    /// Whose words this undo put back (their writers' actors), for its line in history.
    credited: BTreeSet<ActorId>,
}

fn doc_error(e: StoreError) -> stones_doc::DocError {
    match e {
        StoreError::Doc(d) => d,
        other => stones_doc::DocError::Invalid(other.to_string()),
    }
}

impl Typist for JournalTypist<'_> {
    fn doc(&mut self) -> stones_doc::Result<(&AutoCommit, ObjId)> {
        let am: &AutoCommit = self.nb.loaded_mut(self.target).map_err(doc_error)?.am_mut();
        let text = self.field.resolve(am)?;
        Ok((am, text))
    }
    fn splice(&mut self, pos: usize, del: usize, insert: &str) -> stones_doc::Result<()> {
        self.nb
            .splice_journaled(self.target, self.field, pos, del, insert, self.now_ms)
            .map_err(doc_error)
    }
    fn credit(&mut self, first: &str, len: usize, writer: &ActorId) -> stones_doc::Result<()> {
        // Committed with the splices it goes with (undo commits at once).
        let am = self.nb.loaded_mut(self.target).map_err(doc_error)?.am_mut();
        stones_doc::credits::credit(am, first, len, writer)?;
        self.credited.insert(writer.clone());
        Ok(())
    }
}

impl Notebook {
    /// Undoes (or redoes) the last group of this process's own typing in a field. False when
    /// there was nothing to undo (or redo). Never touches another person's characters.
    pub fn undo(&mut self, target: Target, field: TextField, side: UndoSide) -> Result<bool> {
        let mut history = self.undo.take(target, field);
        let done = self.apply_undo(&mut history, target, field, side);
        self.undo.put(target, field, history);
        done
    }

    fn apply_undo(
        &mut self,
        history: &mut UndoHistory,
        target: Target,
        field: TextField,
        side: UndoSide,
    ) -> Result<bool> {
        let mut t = JournalTypist {
            nb: self,
            target,
            field,
            now_ms: Store::now_ms() as u64,
            credited: BTreeSet::new(),
        };
        let done = match side {
            UndoSide::Undo => history.undo(&mut t)?,
            UndoSide::Redo => history.redo(&mut t)?,
        };
        let credited = std::mem::take(&mut t.credited);
        if done {
            // An undo is one deliberate act: it goes out (and is durable) at once. History
            // says whose words it put back.
            let mut message = match side {
                UndoSide::Undo => "undo".to_string(),
                UndoSide::Redo => "redo".to_string(),
            };
            if !credited.is_empty() {
                let view = self.view();
                let names: BTreeSet<String> = credited
                    .iter()
                    .map(|a| {
                        view.name_of(DeviceId::from_actor(a).and_then(|d| view.member_of_device(d)))
                    })
                    .collect();
                let names: Vec<String> = names.into_iter().collect();
                message = format!("{message}: put back words by {}", names.join(", "));
            }
            self.persist(&[target], &message)?;
        }
        Ok(done)
    }

    /// What undo (or redo) would do now in a field: its kind and the words it touches.
    pub fn undo_label(
        &self,
        target: Target,
        field: TextField,
        side: UndoSide,
    ) -> Option<(GroupKind, String)> {
        let h = self.undo.fields.get(&(target, field))?;
        match side {
            UndoSide::Undo => h.undo_label(),
            UndoSide::Redo => h.redo_label(),
        }
    }
}
