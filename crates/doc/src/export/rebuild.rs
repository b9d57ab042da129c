//! Rebuilding documents from (filtered) views: a fresh index and fresh session documents,
//! written once with the same ids, texts, authors and timestamps, and no history. This is
//! how an Automerge export without `--include-group` holds no group-scope entry anywhere,
//! not even in its history. Reading a rebuilt document gives back the view it was built
//! from (the export tests check this).

use crate::am::{get_obj, put_stamp, put_text, put_whole};
use crate::error::Result;
use crate::ids::{EntryId, NotebookId};
use crate::index::{IndexDoc, NotebookView};
use crate::schema::key;
use crate::session::{SessionDoc, SessionView};
use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ScalarValue};

fn hex(id: Option<crate::ids::MemberId>) -> Option<String> {
    id.map(|m| m.to_hex())
}

/// A fresh index holding the view's notebook, members, sessions, questions and learnings
/// (devices and invites belong to the devices of a live notebook, not to an export).
/// `left_out` (what the export left out) is recorded so later exports still say it.
pub fn rebuild_index(
    v: &NotebookView,
    nb: NotebookId,
    left_out: &super::LeftOut,
    actor: ActorId,
    now_ms: i64,
) -> Result<AutoCommit> {
    let mut index = IndexDoc::create(nb, &v.title, &v.purpose, actor, now_ms)?;
    if left_out.total() > 0 {
        let d = index.doc_mut();
        let m = d.put_object(ROOT, key::EXPORT_LEFT_OUT, ObjType::Map)?;
        for (k, n) in [
            (key::TURNS_KEY, left_out.turns),
            (key::REFLECTIONS_KEY, left_out.reflections),
            (key::STORIES_KEY, left_out.stories),
        ] {
            d.put(&m, k, i64::try_from(n).unwrap_or(i64::MAX))?;
        }
    }
    for m in &v.members {
        let obj = index.new_entry(key::MEMBERS, &m.id.to_hex(), None, m.joined_at)?;
        let d = index.doc_mut();
        d.put(&obj, key::NAME, m.name.as_str())?;
        d.put(&obj, key::SECTOR, m.sector.as_str())?;
        d.put(&obj, key::ROLE, m.role.as_str())?;
        d.put(&obj, key::JOINED_AT, ScalarValue::Timestamp(m.joined_at))?;
        if let Some(left) = m.left_at {
            d.put(&obj, key::LEFT_AT, ScalarValue::Timestamp(left))?;
        }
    }
    for s in &v.sessions {
        let obj = index.new_entry(key::SESSIONS, &s.id.to_hex(), None, s.created_at)?;
        let d = index.doc_mut();
        d.put(&obj, key::DOC, s.doc.to_hex())?;
        d.put(&obj, key::DATE, s.date.to_string())?;
        d.put(&obj, key::KIND, s.kind.as_str())?;
        d.put(&obj, key::TITLE, s.title.as_str())?;
        if let Some(c) = s.convener {
            d.put(&obj, key::CONVENER, c.to_hex())?;
        }
        let present = d.put_object(&obj, key::PRESENT, ObjType::Map)?;
        for (members, here) in [(&s.present, true), (&s.absent, false)] {
            for m in members {
                d.put(&present, m.to_hex(), here)?;
            }
        }
    }
    for q in &v.questions {
        let obj = index.new_entry(key::QUESTIONS, &q.id.to_hex(), q.raised_by, q.created_at)?;
        let d = index.doc_mut();
        put_whole(d, &obj, key::TEXT, &q.text)?;
        if let Some(by) = q.raised_by {
            d.put(&obj, key::RAISED_BY, by.to_hex())?;
        }
        if let Some(s) = q.raised_in {
            d.put(&obj, key::RAISED_IN, s.to_hex())?;
        }
        d.put(&obj, key::STATUS, q.status.as_str())?;
        let trail = d.put_object(&obj, key::TRAIL, ObjType::Map)?;
        for n in &q.trail {
            let o = d.put_object(&trail, n.id.to_hex(), ObjType::Map)?;
            put_stamp(d, &o, n.at, hex(n.by).as_deref())?;
            d.put(&o, key::AT, ScalarValue::Timestamp(n.at))?;
            if let Some(s) = n.session {
                d.put(&o, key::SESSION, s.to_hex())?;
            }
            if let Some(st) = n.status {
                d.put(&o, key::STATUS, st.as_str())?;
            }
            put_whole(d, &o, key::NOTE, &n.note)?;
        }
    }
    for l in &v.learnings {
        let obj = index.new_entry(key::LEARNINGS, &l.id.to_hex(), l.by, l.created_at)?;
        let d = index.doc_mut();
        d.put(&obj, key::TITLE, l.title.as_str())?;
        put_text(d, &obj, key::BODY, &l.body)?;
        let list = d.put_object(&obj, key::FROM_SESSIONS, ObjType::List)?;
        for (i, s) in l.from_sessions.iter().enumerate() {
            d.insert(&list, i, s.to_hex())?;
        }
    }
    let mut am = std::mem::take(index.doc_mut());
    am.commit_with(
        automerge::transaction::CommitOptions::default()
            .with_message("rebuilt for export")
            .with_time(now_ms / 1000),
    );
    Ok(am)
}

/// A fresh session document holding exactly the view's (already filtered) content.
pub fn rebuild_session(
    session: EntryId,
    v: &SessionView,
    actor: ActorId,
    now_ms: i64,
) -> Result<AutoCommit> {
    let mut s = SessionDoc::create(session, &v.checkin_question, actor, now_ms)?;
    let d = s.doc_mut();
    let root_map = |d: &AutoCommit, k: &str| get_obj(d, &ROOT, k, ObjType::Map);
    let checkin = root_map(d, key::CHECKIN).ok_or_else(|| missing(key::CHECKIN))?;
    let turns =
        get_obj(d, &checkin, key::TURNS, ObjType::Map).ok_or_else(|| missing(key::TURNS))?;
    for t in &v.turns {
        let o = d.put_object(&turns, t.member.to_hex(), ObjType::Map)?;
        put_stamp(d, &o, t.created_at, hex(t.by).as_deref())?;
        put_whole(d, &o, key::TEXT, &t.text)?;
        d.put(&o, key::PASSED, t.passed)?;
        d.put(&o, key::SCOPE, t.scope.as_str())?;
    }
    let reflections = root_map(d, key::REFLECTIONS).ok_or_else(|| missing(key::REFLECTIONS))?;
    for r in &v.reflections {
        let o = d.put_object(&reflections, r.id.to_hex(), ObjType::Map)?;
        put_stamp(d, &o, r.created_at, hex(r.by).as_deref())?;
        d.put(&o, key::TITLE, r.title.as_str())?;
        d.put(&o, key::SCOPE, r.scope.as_str())?;
        put_text(d, &o, key::BODY, &r.body)?;
    }
    let stories = root_map(d, key::STORIES).ok_or_else(|| missing(key::STORIES))?;
    for st in &v.stories {
        let o = d.put_object(&stories, st.id.to_hex(), ObjType::Map)?;
        put_stamp(d, &o, st.created_at, hex(st.by).as_deref())?;
        if let Some(t) = st.teller {
            d.put(&o, key::TELLER, t.to_hex())?;
        }
        d.put(&o, key::TITLE, st.title.as_str())?;
        d.put(&o, key::SCOPE, st.scope.as_str())?;
        put_text(d, &o, key::TEXT, &st.text)?;
        let rs = d.put_object(&o, key::RETELLINGS, ObjType::Map)?;
        for r in &st.retellings {
            let ro = d.put_object(&rs, r.id.to_hex(), ObjType::Map)?;
            put_stamp(d, &ro, r.created_at, hex(r.by).as_deref())?;
            if let Some(t) = r.teller {
                d.put(&ro, key::TELLER, t.to_hex())?;
            }
            d.put(&ro, key::ANGLE, r.angle.as_str())?;
            put_text(d, &ro, key::TEXT, &r.text)?;
        }
    }
    put_text(d, &ROOT, key::NOTES, &v.notes)?;
    let mut am = std::mem::take(d);
    am.commit_with(
        automerge::transaction::CommitOptions::default()
            .with_message("rebuilt for export")
            .with_time(now_ms / 1000),
    );
    Ok(am)
}

fn missing(what: &str) -> crate::DocError {
    crate::DocError::Invalid(format!("a new session document lacks its {what} map"))
}
