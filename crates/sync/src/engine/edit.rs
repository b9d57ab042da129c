//! Edits and reads through the engine. Every edit lands in the one in-memory copy of its
//! document, is made durable (structural edits commit at once; typing is journaled per
//! keystroke and committed by the policy — within tens of ms while a peer shares the
//! notebook), is pushed to connected peers, and is announced as a local `DocChanged`.
//! Reads hand out shared views (`Arc`), rebuilt only for the document that changed.

use super::Engine;
use crate::error::Result;
use crate::invite::{InviteTicket, create_invite};
use std::sync::Arc;
use stones_doc::automerge::ReadDoc;
use stones_doc::{
    DocId, EntryId, IndexDoc, NewSession, NotebookId, NotebookView, SessionDoc, SessionView,
    TextField,
};
use stones_store::{Ctx, NewMember, Notebook, Target};

/// A position in a text field that stays with its character when others' changes land
/// before it (an automerge cursor): keep one for the caret while typing.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor(stones_doc::automerge::Cursor);

impl Engine {
    /// Runs `f` on an open notebook, then pushes and announces the documents it changed
    /// (`f` returns them with its result). The general form of every edit below.
    pub fn with_notebook<T>(
        &self,
        nb: NotebookId,
        f: impl FnOnce(&mut Notebook) -> Result<(T, Vec<DocId>)>,
    ) -> Result<T> {
        let mut st = self.state();
        let (out, docs) = f(st.core.replica.notebook_mut(nb)?)?;
        st.core.replica.note_written(nb, &docs);
        let index = st.core.replica.notebook(nb)?.index_doc();
        if docs.contains(&index) {
            st.core.replica.index_changed(nb);
        }
        st.after_local_change(nb, &docs);
        st.dispatch();
        Ok(out)
    }

    /// Reads an open notebook (no edit is made; views may be built).
    pub fn read<T>(
        &self,
        nb: NotebookId,
        f: impl FnOnce(&mut Notebook) -> stones_store::Result<T>,
    ) -> Result<T> {
        let mut st = self.state();
        Ok(f(st.core.replica.notebook_mut(nb)?)?)
    }

    /// Every notebook on this device with its title, by title then id.
    pub fn notebooks(&self) -> Vec<(NotebookId, String)> {
        let st = self.state();
        let mut out: Vec<(NotebookId, String)> = st
            .core
            .replica
            .notebook_ids()
            .into_iter()
            .filter_map(|id| Some((id, st.core.replica.notebook(id).ok()?.view().title.clone())))
            .collect();
        out.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        out
    }

    /// Creates a notebook with this device's person as its first member.
    pub fn create_notebook(
        &self,
        title: &str,
        purpose: &str,
        founder: &NewMember,
    ) -> Result<NotebookId> {
        let mut st = self.state();
        let nb = Notebook::create(st.store(), title, purpose, founder)?;
        st.adopt_notebook(nb)
    }

    /// The notebook's index as a shared view.
    pub fn view(&self, nb: NotebookId) -> Result<Arc<NotebookView>> {
        Ok(self.state().core.replica.notebook(nb)?.view())
    }

    /// A session as a shared view (its document loads on first use).
    pub fn session(&self, nb: NotebookId, session: EntryId) -> Result<Arc<SessionView>> {
        self.read(nb, |n| n.session(session))
    }

    /// Applies an edit to the index and commits it.
    pub fn edit_index<T>(
        &self,
        nb: NotebookId,
        message: &str,
        f: impl FnOnce(&mut IndexDoc, Ctx) -> stones_doc::Result<T>,
    ) -> Result<T> {
        self.with_notebook(nb, |n| {
            let out = n.edit_index(message, f)?;
            Ok((out, vec![n.index_doc()]))
        })
    }

    /// Applies an edit to a session's document and commits it.
    pub fn edit_session<T>(
        &self,
        nb: NotebookId,
        session: EntryId,
        message: &str,
        f: impl FnOnce(&mut SessionDoc, Ctx) -> stones_doc::Result<T>,
    ) -> Result<T> {
        self.with_notebook(nb, |n| {
            let out = n.edit_session(session, message, f)?;
            let doc = n.doc_of_session(session)?;
            Ok((out, vec![doc]))
        })
    }

    /// Creates a session: its entry in the index and its own document, in one commit.
    pub fn new_session(
        &self,
        nb: NotebookId,
        s: &NewSession,
        checkin_question: &str,
    ) -> Result<EntryId> {
        self.with_notebook(nb, |n| {
            let id = n.new_session(s, checkin_question)?;
            let doc = n.doc_of_session(id)?;
            Ok((id, vec![n.index_doc(), doc]))
        })
    }

    /// Types into a text field at a code-point position: applied at once, durable in the
    /// journal before returning, committed by the policy (within tens of ms while a peer
    /// shares the notebook live, else at a pause), then pushed.
    pub fn type_text(
        &self,
        nb: NotebookId,
        target: Target,
        field: TextField,
        pos: usize,
        del: usize,
        insert: &str,
    ) -> Result<()> {
        let now = self.now();
        let mut st = self.state();
        let n = st.core.replica.notebook_mut(nb)?;
        n.type_text(target, field, pos, del, insert, now)?;
        let doc = n.doc_of(target)?;
        // Seen here at once; pushed once the policy commits it (the worker's next tick).
        st.push_event(super::EngineEvent::DocChanged {
            notebook: nb,
            doc,
            by: super::ChangeSource::Local,
        });
        st.dispatch();
        drop(st);
        self.nudge(); // the worker recomputes when the commit is due
        Ok(())
    }

    /// Appends text at the end of a text field (journaled like typing).
    pub fn append_text(
        &self,
        nb: NotebookId,
        target: Target,
        field: TextField,
        text: &str,
    ) -> Result<()> {
        let len = self.read(nb, |n| Ok(stones_doc::text_len(n.am_of(target)?, field)?))?;
        self.type_text(nb, target, field, len, 0, text)
    }

    /// Commits every notebook's pending typing now (focus change, quit) and pushes it.
    pub fn commit_pending(&self) -> Result<()> {
        let mut st = self.state();
        let result = st.commit_all_typing();
        st.dispatch();
        result
    }

    /// Whether this process holds typing not yet committed.
    pub fn has_pending(&self) -> bool {
        let mut st = self.state();
        st.core.replica.notebooks_mut().any(|n| n.has_pending())
    }

    /// Makes an invite in a notebook and its ticket; `addr` is where this device can be
    /// reached (the running network's, or `net::local_addr` without one).
    pub fn create_invite(
        &self,
        nb: NotebookId,
        addr: iroh::EndpointAddr,
        uses: u32,
        valid_for_ms: i64,
    ) -> Result<InviteTicket> {
        self.with_notebook(nb, |n| {
            let ticket = create_invite(n, addr, uses, valid_for_ms, None)?;
            Ok((ticket, vec![n.index_doc()]))
        })
    }

    /// Makes a one-use invite for a member the group already has who has no device yet:
    /// the device that joins with it becomes theirs (the ticket says whose).
    pub fn create_invite_for(
        &self,
        nb: NotebookId,
        addr: iroh::EndpointAddr,
        valid_for_ms: i64,
        member: stones_doc::MemberId,
    ) -> Result<InviteTicket> {
        self.with_notebook(nb, |n| {
            let ticket = create_invite(n, addr, 1, valid_for_ms, Some(member))?;
            Ok((ticket, vec![n.index_doc()]))
        })
    }

    /// What a text field holds now (one field read, not the whole session's view).
    pub fn field_text(&self, nb: NotebookId, target: Target, field: TextField) -> Result<String> {
        self.read(nb, |n| {
            let am = n.am_of(target)?;
            let text = field.resolve(am)?;
            Ok(am.text(&text).map_err(stones_doc::DocError::from)?)
        })
    }

    /// A cursor at a code-point position of a text field (for the caret; at or past the end:
    /// the end, wherever it moves).
    pub fn cursor(
        &self,
        nb: NotebookId,
        target: Target,
        field: TextField,
        pos: usize,
    ) -> Result<Cursor> {
        self.read(nb, |n| {
            let am = n.am_of(target)?;
            let text = field.resolve(am)?;
            // A caret after the last character stays at the end as others type there.
            let at = if pos >= am.length(&text) {
                stones_doc::automerge::CursorPosition::End
            } else {
                stones_doc::automerge::CursorPosition::Index(pos)
            };
            let c = am
                .get_cursor(&text, at, None)
                .map_err(stones_doc::DocError::from)?;
            Ok(Cursor(c))
        })
    }

    /// Where a cursor stands now, in code points (after whatever merged meanwhile).
    pub fn cursor_position(
        &self,
        nb: NotebookId,
        target: Target,
        field: TextField,
        cursor: &Cursor,
    ) -> Result<usize> {
        self.read(nb, |n| {
            let am = n.am_of(target)?;
            let text = field.resolve(am)?;
            Ok(am
                .get_cursor_position(&text, &cursor.0, None)
                .map_err(stones_doc::DocError::from)?)
        })
    }
}
