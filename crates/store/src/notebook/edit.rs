//! Editing an open notebook. Structural edits (a new session, a turn, a status) are applied
//! and committed at once; typing is applied in memory and journaled durably per keystroke,
//! then committed by the commit policy.

use super::{Notebook, Target};
use crate::chunks::DocKind;
use crate::error::{Result, StoreError};
use crate::loaded::Loaded;
use crate::store::Store;
use stones_doc::automerge::transaction::Transactable;
use stones_doc::{
    DocId, Document, EntryId, IndexDoc, JournalEdit, MemberId, NewSession, SessionDoc, TextField,
};

/// Who is editing and when, handed to every edit.
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    /// The member this device belongs to, if it belongs to one.
    pub me: Option<MemberId>,
    /// Now, in unix milliseconds.
    pub now_ms: i64,
}

impl Notebook {
    fn ctx(&self) -> Ctx {
        Ctx {
            me: self.me(),
            now_ms: Store::now_ms(),
        }
    }

    /// Prepares a structural edit: merge others' commits, commit our typing, so the edit's
    /// change holds only itself and can be rolled back alone if it fails.
    fn before_structural(&mut self, target: Target) -> Result<()> {
        self.refresh()?;
        if self.loaded_mut(target)?.pending() {
            self.persist(&[target], "typing")?;
        }
        Ok(())
    }

    /// Applies an edit to the index and commits it.
    pub fn edit_index<T>(
        &mut self,
        message: &str,
        f: impl FnOnce(&mut IndexDoc, Ctx) -> stones_doc::Result<T>,
    ) -> Result<T> {
        self.before_structural(Target::Index)?;
        let ctx = self.ctx();
        match f(&mut self.index_mut().doc, ctx) {
            Ok(v) => {
                self.persist(&[Target::Index], message)?;
                Ok(v)
            }
            Err(e) => {
                self.index_mut().doc.am_mut().rollback();
                Err(e.into())
            }
        }
    }

    /// Applies an edit to a session's document and commits it.
    pub fn edit_session<T>(
        &mut self,
        session: EntryId,
        message: &str,
        f: impl FnOnce(&mut SessionDoc, Ctx) -> stones_doc::Result<T>,
    ) -> Result<T> {
        let target = Target::Session(session);
        self.before_structural(target)?;
        let ctx = self.ctx();
        let doc = self.load_session(session)?;
        self.doc_changed(doc);
        let l = self.sessions.get_mut(&doc).ok_or(StoreError::NotFound {
            what: "session",
            id: session.to_hex(),
        })?;
        match f(&mut l.doc, ctx) {
            Ok(v) => {
                self.persist(&[target], message)?;
                Ok(v)
            }
            Err(e) => {
                l.doc.am_mut().rollback();
                Err(e.into())
            }
        }
    }

    /// Creates a session: its entry in the index and its own document, in one commit.
    pub fn new_session(&mut self, s: &NewSession, checkin_question: &str) -> Result<EntryId> {
        self.before_structural(Target::Index)?;
        let ctx = self.ctx();
        let (id, doc_id): (EntryId, DocId) =
            match self.index_mut().doc.add_session(s, ctx.me, ctx.now_ms) {
                Ok(v) => v,
                Err(e) => {
                    self.index_mut().doc.am_mut().rollback();
                    return Err(e.into());
                }
            };
        #[cfg(feature = "testing")]
        let injected = crate::testing::session_doc_fails(&self.store);
        #[cfg(not(feature = "testing"))]
        let injected = false;
        let created = match injected {
            true => Err(stones_doc::DocError::Invalid(
                "a session document failed to be made (injected by a test)".into(),
            )),
            false => SessionDoc::create(id, checkin_question, self.store.actor(), ctx.now_ms),
        };
        let doc = match created {
            Ok(doc) => doc,
            Err(e) => {
                // The index must not name a session whose document was never made.
                self.index_mut().doc.am_mut().rollback();
                return Err(e.into());
            }
        };
        self.doc_of.insert(id, doc_id);
        self.sessions
            .insert(doc_id, Loaded::fresh(doc, doc_id, DocKind::Session));
        self.persist(&[Target::Index, Target::Session(id)], "new session")?;
        Ok(id)
    }

    /// Types into a text field: applied at once, durable in the journal before returning,
    /// committed later by the policy (or `commit_pending`). Kept in the field's undo
    /// history (this process's own typing; `undo.rs`).
    pub fn type_text(
        &mut self,
        target: Target,
        field: TextField,
        pos: usize,
        del: usize,
        insert: &str,
        now_ms: u64,
    ) -> Result<()> {
        field.check_typed_into()?;
        let before = {
            let am = self.loaded_mut(target)?.am_mut();
            let text = field.resolve(am)?;
            stones_doc::undo::before(am, &text, pos, del)?
        };
        self.splice_journaled(target, field, pos, del, insert, now_ms)?;
        let at = i64::try_from(now_ms).unwrap_or(i64::MAX);
        let mut history = self.undo.take(target, field);
        let recorded = self
            .loaded_mut(target)
            .map_err(|e| e.to_string())
            .and_then(|l| {
                let am = l.am_mut();
                let text = field.resolve(am).map_err(|e| e.to_string())?;
                history
                    .record(am, &text, pos, before, insert, at)
                    .map_err(|e| e.to_string())
            });
        self.undo.put(target, field, history);
        // What was typed is durable already; a failure to read its cursors only means it
        // cannot be undone, so it must not fail the keystroke.
        if let Err(e) = recorded {
            tracing::warn!("typing kept, but it cannot be undone: {e}");
        }
        Ok(())
    }

    /// One splice, bounds-checked, journaled, then applied (the journal's path for typing,
    /// undo and redo alike).
    pub(crate) fn splice_journaled(
        &mut self,
        target: Target,
        field: TextField,
        pos: usize,
        del: usize,
        insert: &str,
        now_ms: u64,
    ) -> Result<()> {
        field.check_typed_into()?;
        if field.in_index() != (target == Target::Index) {
            return Err(stones_doc::DocError::Invalid(format!(
                "{field:?} is not a field of {target:?}"
            ))
            .into());
        }
        let store = self.store.clone();
        let l = self.loaded_mut(target)?;
        // A run of typing starts from committed heads. (`get_heads` closes the open
        // transaction, so it is only asked when none is open: at the start of a run.)
        if l.base_heads_mut().is_none() {
            let heads = l.am_mut().get_heads();
            *l.base_heads_mut() = Some(heads);
        }
        let base_heads = l.base_heads_mut().clone().unwrap_or_default();
        let edit = JournalEdit {
            doc: l.id(),
            base_heads,
            field,
            pos: u32::try_from(pos)
                .map_err(|_| stones_doc::DocError::Invalid("position too large".into()))?,
            del: u32::try_from(del)
                .map_err(|_| stones_doc::DocError::Invalid("deletion too large".into()))?,
            insert: insert.to_string(),
        };
        // Check first, then journal it (written now, synced by the journal's syncer), then
        // apply: an edit that cannot be journaled never reaches memory, and a journaled edit
        // always applies (bounds were checked).
        {
            let am: &stones_doc::automerge::AutoCommit = l.am_mut();
            let len = stones_doc::automerge::ReadDoc::length(am, field.resolve(am)?);
            if pos.checked_add(del).is_none_or(|end| end > len) {
                return Err(stones_doc::DocError::OutOfRange { pos, del, len }.into());
            }
        }
        store.journal().append(&edit)?;
        edit.apply(l.am_mut())?;
        l.policy_mut().on_edit(now_ms);
        if l.am_mut().pending_ops() == 0 {
            *l.base_heads_mut() = None;
        }
        Ok(())
    }

    /// The automerge document behind a target (loading a session if needed), for reads.
    pub fn am_of(&mut self, target: Target) -> Result<&stones_doc::automerge::AutoCommit> {
        Ok(self.loaded_mut(target)?.am_mut())
    }

    /// Appends text at the end of a text field (journaled like typing).
    pub fn append_text(&mut self, target: Target, field: TextField, text: &str) -> Result<()> {
        let len = {
            let l = self.loaded_mut(target)?;
            stones_doc::text_len(l.am_mut(), field)?
        };
        self.type_text(target, field, len, 0, text, Store::now_ms() as u64)
    }
}
