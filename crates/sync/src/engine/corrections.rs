//! Corrections after the fact and withdrawal through the engine. Withdrawing checks that
//! this device's member wrote the entry (or acts as the session's convener) before it
//! removes anything; the entry then leaves the current documents, `show` and every export
//! at once, while the history and devices that already synced it keep it.

use super::Engine;
use crate::error::Result;
use stones_doc::session::{Withdrawable, may_withdraw};
use stones_doc::{EntryId, NotebookId};

impl Engine {
    /// Withdraws an entry of a session: refused unless this device's member wrote it, or
    /// acts `as_convener` (and is the session's convener, when one is recorded).
    pub fn withdraw(
        &self,
        nb: NotebookId,
        session: EntryId,
        entry: Withdrawable,
        as_convener: bool,
    ) -> Result<()> {
        let standing = self.standing(nb, Some(session))?;
        let view = self.session(nb, session)?;
        let authors = entry
            .authors(&view)
            .ok_or_else(|| stones_doc::DocError::NotFound {
                what: entry.what(),
                id: entry.id_hex(),
            })?;
        may_withdraw(&standing, entry.what(), &authors, as_convener)?;
        self.edit_session(
            nb,
            session,
            &format!("withdraw {}", entry.what()),
            |s, _| s.withdraw(entry),
        )
    }

    /// Withdraws a held question (with its trail): refused unless this device's member
    /// raised it, or acts `as_convener`.
    pub fn withdraw_question(
        &self,
        nb: NotebookId,
        question: EntryId,
        as_convener: bool,
    ) -> Result<()> {
        let standing = self.standing(nb, None)?;
        let view = self.view(nb)?;
        let q = view
            .questions
            .iter()
            .find(|q| q.id == question)
            .ok_or_else(|| stones_doc::DocError::NotFound {
                what: "question",
                id: question.to_hex(),
            })?;
        let authors: Vec<_> = q.raised_by.into_iter().collect();
        may_withdraw(&standing, "question", &authors, as_convener)?;
        self.edit_index(nb, "withdraw question", |idx, _| {
            idx.withdraw_question(question)
        })
    }

    /// Corrects the angle of a retelling.
    pub fn set_angle(
        &self,
        nb: NotebookId,
        session: EntryId,
        story: EntryId,
        retelling: EntryId,
        angle: &str,
    ) -> Result<()> {
        self.edit_session(nb, session, "angle", |s, _| {
            s.set_angle(story, retelling, angle)
        })
    }

    /// Corrects a learning's title and/or the sessions it came from.
    pub fn update_learning(
        &self,
        nb: NotebookId,
        learning: EntryId,
        title: Option<&str>,
        from: Option<&[EntryId]>,
    ) -> Result<()> {
        self.edit_index(nb, "edit learning", |idx, _| {
            idx.update_learning(learning, title, from)
        })
    }
}
