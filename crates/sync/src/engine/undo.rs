//! Undo and redo of this device's own typing in a text field, through the engine: the
//! inverse splices land in the one in-memory document like typing (journaled, committed at
//! once), go out to connected peers and are announced as a local `DocChanged`. They never
//! touch a character another person wrote (`stones_doc::undo`).

use super::Engine;
use crate::error::Result;
use stones_doc::undo::GroupKind;
use stones_doc::{NotebookId, TextField};
use stones_store::{Target, UndoSide};

impl Engine {
    /// Undoes (`UndoSide::Undo`) or redoes the last group of this device's typing in a
    /// field. False when there was nothing to undo or redo.
    pub fn undo(
        &self,
        nb: NotebookId,
        target: Target,
        field: TextField,
        side: UndoSide,
    ) -> Result<bool> {
        self.with_notebook(nb, |n| {
            let done = n.undo(target, field, side)?;
            let docs = if done {
                vec![n.doc_of(target)?]
            } else {
                Vec::new()
            };
            Ok((done, docs))
        })
    }

    /// What undo or redo would do now in a field, in words for a menu ("Undo typing
    /// “Trust grows…”"); `None` when there is nothing to undo or redo.
    pub fn undo_label(
        &self,
        nb: NotebookId,
        target: Target,
        field: TextField,
        side: UndoSide,
    ) -> Option<String> {
        let (kind, words) = self
            .read(nb, |n| Ok(n.undo_label(target, field, side)))
            .ok()??;
        let verb = match side {
            UndoSide::Undo => "Undo",
            UndoSide::Redo => "Redo",
        };
        let what = match kind {
            GroupKind::Typing => "typing",
            GroupKind::Paste => "paste",
            GroupKind::Deletion => "deleting",
            GroupKind::Replacement => "replacing with",
        };
        Some(if words.is_empty() {
            format!("{verb} {what}")
        } else {
            format!("{verb} {what} “{words}”")
        })
    }
}
