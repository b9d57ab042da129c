//! Typed edits of the index: members, devices, invites, sessions, held questions, learnings.

use super::IndexDoc;
use crate::am::{ensure_map, put_stamp, put_text, put_whole};
use crate::date::Date;
use crate::error::{DocError, Result};
use crate::ids::{DocId, EntryId, MemberId};
use crate::schema::{QuestionStatus, SessionKind, key};
use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ROOT, ReadDoc, ScalarValue};

/// What a new session entry in the index holds.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// The day it is held.
    pub date: Date,
    /// Weekly, monthly or other.
    pub kind: SessionKind,
    /// Its title (may be empty).
    pub title: String,
    /// Who convenes it, if decided.
    pub convener: Option<MemberId>,
}

fn nonempty(what: &str, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(DocError::Invalid(format!("{what} must not be empty")));
    }
    Ok(())
}

impl IndexDoc {
    pub(super) fn entry(&mut self, map: &str, id: &str) -> Result<ObjId> {
        let parent = ensure_map(&mut self.doc, &ROOT, map)?;
        crate::am::get_obj(&self.doc, &parent, id, ObjType::Map).ok_or_else(|| DocError::NotFound {
            what: map_what(map),
            id: id.to_string(),
        })
    }

    pub(crate) fn new_entry(
        &mut self,
        map: &str,
        id: &str,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<ObjId> {
        let parent = ensure_map(&mut self.doc, &ROOT, map)?;
        let obj = self.doc.put_object(&parent, id, ObjType::Map)?;
        put_stamp(
            &mut self.doc,
            &obj,
            now_ms,
            by.map(|m| m.to_hex()).as_deref(),
        )?;
        Ok(obj)
    }

    /// Adds a session entry; the session's own document has the returned doc id.
    pub fn add_session(
        &mut self,
        s: &NewSession,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<(EntryId, DocId)> {
        let (id, doc_id) = (EntryId::random(), DocId::random());
        let obj = self.new_entry(key::SESSIONS, &id.to_hex(), by, now_ms)?;
        self.doc.put(&obj, key::DOC, doc_id.to_hex())?;
        self.doc.put(&obj, key::DATE, s.date.to_string())?;
        self.doc.put(&obj, key::KIND, s.kind.as_str())?;
        self.doc.put(&obj, key::TITLE, s.title.trim())?;
        if let Some(c) = s.convener {
            self.doc.put(&obj, key::CONVENER, c.to_hex())?;
        }
        self.doc.put_object(&obj, key::PRESENT, ObjType::Map)?;
        Ok((id, doc_id))
    }

    /// Marks members as in the room (`present`) or not, for one session.
    pub fn set_attendance(
        &mut self,
        session: EntryId,
        members: &[MemberId],
        present: bool,
    ) -> Result<()> {
        let obj = self.entry(key::SESSIONS, &session.to_hex())?;
        let map = ensure_map(&mut self.doc, &obj, key::PRESENT)?;
        for m in members {
            self.doc.put(&map, m.to_hex(), present)?;
        }
        Ok(())
    }

    /// Changes a session's header fields. Only fields whose value differs are written, so a
    /// device correcting the title and another correcting the date at the same time do not
    /// each write the other's old value back (which automerge might then keep).
    pub fn update_session(&mut self, session: EntryId, s: &NewSession) -> Result<()> {
        let obj = self.entry(key::SESSIONS, &session.to_hex())?;
        let convener = s.convener.map(|c| c.to_hex());
        let fields = [
            (key::DATE, Some(s.date.to_string())),
            (key::KIND, Some(s.kind.as_str().to_string())),
            (key::TITLE, Some(s.title.trim().to_string())),
            (key::CONVENER, convener),
        ];
        for (k, want) in fields {
            let now = match self.doc.get(&obj, k)? {
                Some((automerge::Value::Scalar(v), _)) => v.as_str().map(str::to_string),
                _ => None,
            };
            let conflicted = self.doc.get_all(&obj, k)?.len() > 1;
            if now == want && !conflicted {
                continue;
            }
            match want {
                Some(v) => self.doc.put(&obj, k, v)?,
                None => self.doc.delete(&obj, k)?,
            }
        }
        Ok(())
    }

    /// Raises a held question.
    pub fn add_question(
        &mut self,
        text: &str,
        by: Option<MemberId>,
        raised_in: Option<EntryId>,
        now_ms: i64,
    ) -> Result<EntryId> {
        nonempty("a question", text)?;
        let id = EntryId::random();
        let obj = self.new_entry(key::QUESTIONS, &id.to_hex(), by, now_ms)?;
        put_whole(&mut self.doc, &obj, key::TEXT, text)?;
        if let Some(by) = by {
            self.doc.put(&obj, key::RAISED_BY, by.to_hex())?;
        }
        if let Some(s) = raised_in {
            self.doc.put(&obj, key::RAISED_IN, s.to_hex())?;
        }
        self.doc
            .put(&obj, key::STATUS, QuestionStatus::Open.as_str())?;
        self.doc.put_object(&obj, key::TRAIL, ObjType::Map)?;
        Ok(id)
    }

    /// Adds a dated note to a question's trail; `status` records a status change with it.
    pub fn add_question_note(
        &mut self,
        question: EntryId,
        note: &str,
        by: Option<MemberId>,
        session: Option<EntryId>,
        status: Option<QuestionStatus>,
        now_ms: i64,
    ) -> Result<EntryId> {
        if status.is_none() {
            nonempty("a note", note)?;
        }
        let q = self.entry(key::QUESTIONS, &question.to_hex())?;
        let trail = ensure_map(&mut self.doc, &q, key::TRAIL)?;
        let id = EntryId::random();
        let obj = self.doc.put_object(&trail, id.to_hex(), ObjType::Map)?;
        put_stamp(
            &mut self.doc,
            &obj,
            now_ms,
            by.map(|m| m.to_hex()).as_deref(),
        )?;
        self.doc
            .put(&obj, key::AT, ScalarValue::Timestamp(now_ms))?;
        if let Some(s) = session {
            self.doc.put(&obj, key::SESSION, s.to_hex())?;
        }
        if let Some(st) = status {
            self.doc.put(&obj, key::STATUS, st.as_str())?;
        }
        put_whole(&mut self.doc, &obj, key::NOTE, note)?;
        Ok(id)
    }

    /// Sets a question's status and leaves a note of the change in its trail.
    pub fn set_question_status(
        &mut self,
        question: EntryId,
        status: QuestionStatus,
        by: Option<MemberId>,
        session: Option<EntryId>,
        now_ms: i64,
    ) -> Result<()> {
        let q = self.entry(key::QUESTIONS, &question.to_hex())?;
        self.doc.put(&q, key::STATUS, status.as_str())?;
        self.add_question_note(question, "", by, session, Some(status), now_ms)?;
        Ok(())
    }

    /// Records a learning, linked to the sessions it came from.
    pub fn add_learning(
        &mut self,
        title: &str,
        body: &str,
        from: &[EntryId],
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<EntryId> {
        nonempty("a learning's title", title)?;
        let id = EntryId::random();
        let obj = self.new_entry(key::LEARNINGS, &id.to_hex(), by, now_ms)?;
        self.doc.put(&obj, key::TITLE, title.trim())?;
        put_text(&mut self.doc, &obj, key::BODY, body)?;
        let list = self
            .doc
            .put_object(&obj, key::FROM_SESSIONS, ObjType::List)?;
        for (i, s) in from.iter().enumerate() {
            self.doc.insert(&list, i, s.to_hex())?;
        }
        Ok(id)
    }

    /// Sets the group's preferred relay URL (empty clears it).
    pub fn set_relay(&mut self, url: &str) -> Result<()> {
        let net = ensure_map(&mut self.doc, &ROOT, key::NETWORK)?;
        self.doc.put(&net, key::RELAY, url.trim())?;
        Ok(())
    }
}

fn map_what(map: &str) -> &'static str {
    match map {
        key::MEMBERS => "member",
        key::DEVICES => "device",
        key::INVITES => "invite",
        key::SESSIONS => "session",
        key::QUESTIONS => "question",
        key::LEARNINGS => "learning",
        _ => "entry",
    }
}
