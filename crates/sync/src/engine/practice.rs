//! Typed edits of the practice: the check-in round, reflections, stories and retellings,
//! session notes and header, held questions with their trail, learnings. Each is one commit
//! through [`Engine::edit_session`] or [`Engine::edit_index`], pushed and announced like any
//! other edit; the app and the CLI call these rather than writing document closures.

use super::Engine;
use crate::error::{Result, SyncError};
use stones_doc::{
    EntryId, MemberId, NewSession, NotebookId, QuestionStatus, Scope, TextField, TurnChoice,
};
use stones_store::Target;

impl Engine {
    /// The member this device belongs to in a notebook, if any.
    pub fn me(&self, nb: NotebookId) -> Result<Option<MemberId>> {
        Ok(self.state().core.replica.notebook(nb)?.me())
    }

    /// The member this device belongs to, or an error saying it belongs to none.
    pub fn me_or_err(&self, nb: NotebookId) -> Result<MemberId> {
        self.me(nb)?.ok_or(SyncError::NoMember)
    }

    /// Changes a session's header (date, kind, title, convener).
    pub fn update_session(&self, nb: NotebookId, session: EntryId, s: &NewSession) -> Result<()> {
        self.edit_index(nb, "edit session", |idx, _| idx.update_session(session, s))
    }

    /// Marks members as in the room for a session (`present`), or as absent.
    pub fn set_attendance(
        &self,
        nb: NotebookId,
        session: EntryId,
        members: &[MemberId],
        present: bool,
    ) -> Result<()> {
        self.edit_index(nb, "attendance", |idx, _| {
            idx.set_attendance(session, members, present)
        })
    }

    /// Sets the convener's check-in question.
    pub fn set_checkin_question(
        &self,
        nb: NotebookId,
        session: EntryId,
        question: &str,
    ) -> Result<()> {
        self.edit_session(nb, session, "check-in question", |s, _| {
            s.set_checkin_question(question.trim())
        })
    }

    /// Records a member's check-in turn: spoken (with its scope), passed, or off the record —
    /// for which only *that* the turn was taken off the record is written (no words; it
    /// stays inside the group and is never exported).
    pub fn record_turn(
        &self,
        nb: NotebookId,
        session: EntryId,
        member: MemberId,
        choice: &TurnChoice,
    ) -> Result<()> {
        // Only Ann records Ann's turn (the convener, for someone without a device).
        let standing = self.standing(nb, Some(session))?;
        let view = self.view(nb)?;
        let (name, has_device) = (view.name_of(Some(member)), view.has_own_device(member));
        stones_doc::session::may_record_turn(&standing, member, &name, has_device)?;
        self.edit_session(nb, session, "check-in", |s, ctx| {
            s.record_turn(member, choice, ctx.me, ctx.now_ms)
        })?;
        // Recorded (or taken off the record): the local draft has done its work.
        self.store().db().save_turn_draft(nb, session, member, "")?;
        Ok(())
    }

    /// Keeps what has been typed of a turn not yet recorded, on this device only (never
    /// synced or exported): it survives a crash or a closed window. Empty text drops it.
    pub fn save_turn_draft(
        &self,
        nb: NotebookId,
        session: EntryId,
        member: MemberId,
        text: &str,
    ) -> Result<()> {
        Ok(self
            .store()
            .db()
            .save_turn_draft(nb, session, member, text)?)
    }

    /// The drafts of a session's turns kept on this device, by member.
    pub fn turn_drafts(&self, nb: NotebookId, session: EntryId) -> Result<Vec<(MemberId, String)>> {
        Ok(self.store().db().turn_drafts(nb, session)?)
    }

    /// Changes the consent scope of a reflection or story.
    pub fn set_scope(
        &self,
        nb: NotebookId,
        session: EntryId,
        entry: EntryId,
        scope: Scope,
    ) -> Result<()> {
        // Whether words may leave the group is their writer's consent alone.
        let standing = self.standing(nb, Some(session))?;
        let view = self.session(nb, session)?;
        let (what, authors) = [
            stones_doc::session::Withdrawable::Reflection(entry),
            stones_doc::session::Withdrawable::Story(entry),
        ]
        .into_iter()
        .find_map(|w| Some((w.what(), w.authors(&view)?)))
        .ok_or_else(|| stones_doc::DocError::NotFound {
            what: "reflection or story",
            id: entry.to_hex(),
        })?;
        stones_doc::session::may_change_scope(&standing, what, &authors)?;
        self.edit_session(nb, session, "scope", |s, _| s.set_scope(entry, scope))
    }

    /// Corrects the title of a reflection or story.
    pub fn set_title(
        &self,
        nb: NotebookId,
        session: EntryId,
        entry: EntryId,
        title: &str,
    ) -> Result<()> {
        self.edit_session(nb, session, "title", |s, _| s.set_title(entry, title))
    }

    /// Starts a co-written reflection; returns its id.
    pub fn add_reflection(
        &self,
        nb: NotebookId,
        session: EntryId,
        title: &str,
        body: &str,
        scope: Scope,
    ) -> Result<EntryId> {
        self.edit_session(nb, session, "add reflection", |s, ctx| {
            s.add_reflection(title, body, scope, ctx.me, ctx.now_ms)
        })
    }

    /// Tells a story (told by `teller`); returns its id.
    pub fn add_story(
        &self,
        nb: NotebookId,
        session: EntryId,
        teller: MemberId,
        title: &str,
        text: &str,
        scope: Scope,
    ) -> Result<EntryId> {
        self.edit_session(nb, session, "tell story", |s, ctx| {
            s.add_story(teller, title, text, scope, ctx.me, ctx.now_ms)
        })
    }

    /// Retells a story from another angle, beside the original; returns the retelling's id.
    pub fn add_retelling(
        &self,
        nb: NotebookId,
        session: EntryId,
        story: EntryId,
        teller: MemberId,
        angle: &str,
        text: &str,
    ) -> Result<EntryId> {
        self.edit_session(nb, session, "retell story", |s, ctx| {
            s.add_retelling(story, teller, angle, text, ctx.me, ctx.now_ms)
        })
    }

    /// Adds a paragraph at the end of a text field (a line of notes, a paragraph of a
    /// reflection), separated from what is there, and commits it at once.
    pub fn add_paragraph(
        &self,
        nb: NotebookId,
        target: Target,
        field: TextField,
        text: &str,
    ) -> Result<()> {
        if text.trim().is_empty() {
            return Err(SyncError::Doc(stones_doc::DocError::Invalid(
                "nothing to add: the text is empty".into(),
            )));
        }
        let before = self.read(nb, |n| Ok(field.read(n.am_of(target)?)?))?;
        let sep = match (before.is_empty() || before.ends_with('\n'), field) {
            (true, _) => "",
            (false, TextField::Notes) => "\n",
            (false, _) => "\n\n",
        };
        self.append_text(nb, target, field, &format!("{sep}{text}"))?;
        self.commit_pending()
    }

    /// Raises a question the group will hold open (from a session, if given).
    pub fn add_question(
        &self,
        nb: NotebookId,
        text: &str,
        session: Option<EntryId>,
    ) -> Result<EntryId> {
        self.edit_index(nb, "raise question", |idx, ctx| {
            idx.add_question(text, ctx.me, session, ctx.now_ms)
        })
    }

    /// Adds a note to a held question's trail.
    pub fn add_question_note(
        &self,
        nb: NotebookId,
        question: EntryId,
        text: &str,
        session: Option<EntryId>,
    ) -> Result<EntryId> {
        self.edit_index(nb, "question note", |idx, ctx| {
            idx.add_question_note(question, text, ctx.me, session, None, ctx.now_ms)
        })
    }

    /// Changes a held question's status (the change is noted in its trail).
    pub fn set_question_status(
        &self,
        nb: NotebookId,
        question: EntryId,
        status: QuestionStatus,
        session: Option<EntryId>,
    ) -> Result<()> {
        self.edit_index(nb, "question status", |idx, ctx| {
            idx.set_question_status(question, status, ctx.me, session, ctx.now_ms)
        })
    }

    /// Records a learning, with the sessions it came from.
    pub fn add_learning(
        &self,
        nb: NotebookId,
        title: &str,
        text: &str,
        from: &[EntryId],
    ) -> Result<EntryId> {
        self.edit_index(nb, "add learning", |idx, ctx| {
            idx.add_learning(title, text, from, ctx.me, ctx.now_ms)
        })
    }
}
