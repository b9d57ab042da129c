//! The JSON export: one versioned file, every entry with its id, author, timestamps (unix
//! ms) and scope. The format is documented in `docs/export-json.md`.

use super::{ExportModel, ExportSession};
use crate::ids::MemberId;
use serde_json::{Value, json};

/// The `format` field of every JSON export.
pub const JSON_FORMAT: &str = "stepping-stones-export";
/// The version of the JSON format this build writes.
pub const JSON_VERSION: u32 = 1;

fn person(m: &ExportModel, id: Option<MemberId>) -> Value {
    match id {
        Some(id) => json!({"id": id.to_hex(), "name": m.name(Some(id))}),
        None => Value::Null,
    }
}

/// The whole export as pretty-printed JSON (keys sorted, so the output is deterministic).
pub fn json(m: &ExportModel) -> String {
    let nb = &m.notebook;
    let doc = json!({
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "include_group": m.include_group,
        "left_out": {
            "turns": m.left_out.turns,
            "reflections": m.left_out.reflections,
            "stories": m.left_out.stories,
        },
        "notebook": {"id": nb.notebook_id, "title": nb.title, "purpose": nb.purpose},
        "members": nb.members.iter().map(|x| json!({
            "id": x.id.to_hex(), "name": x.name, "sector": x.sector, "role": x.role,
            "joined_at": x.joined_at, "left_at": x.left_at,
        })).collect::<Vec<_>>(),
        "sessions": m.sessions.iter().map(|s| session(m, s)).collect::<Vec<_>>(),
        "questions": nb.questions.iter().map(|q| json!({
            "id": q.id.to_hex(), "text": q.text, "status": q.status.as_str(),
            "raised_by": person(m, q.raised_by),
            "raised_in": q.raised_in.map(|s| s.to_hex()),
            "created_at": q.created_at,
            "trail": q.trail.iter().map(|n| json!({
                "id": n.id.to_hex(), "at": n.at, "author": person(m, n.by),
                "session": n.session.map(|s| s.to_hex()),
                "status": n.status.map(|s| s.as_str()), "note": n.note,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "learnings": nb.learnings.iter().map(|l| json!({
            "id": l.id.to_hex(), "title": l.title, "body": l.body,
            "from_sessions": l.from_sessions.iter().map(|s| s.to_hex()).collect::<Vec<_>>(),
            "author": person(m, l.by), "created_at": l.created_at,
        })).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

fn session(m: &ExportModel, s: &ExportSession) -> Value {
    let (e, v) = (&s.entry, &s.view);
    json!({
        "id": e.id.to_hex(),
        "document": e.doc.to_hex(),
        "date": e.date.to_string(),
        "kind": e.kind.as_str(),
        "title": e.title,
        "convener": person(m, e.convener),
        "present": m.notebook.present_at(e).into_iter().map(|p| person(m, Some(p))).collect::<Vec<_>>(),
        "created_at": e.created_at,
        "checkin": {
            "question": v.checkin_question,
            "turns": v.turns.iter().map(|t| json!({
                "member": person(m, Some(t.member)), "text": t.text, "passed": t.passed,
                "scope": t.scope.as_str(), "author": person(m, t.by), "created_at": t.created_at,
            })).collect::<Vec<_>>(),
        },
        "reflections": v.reflections.iter().map(|r| json!({
            "id": r.id.to_hex(), "title": r.title, "body": r.body, "scope": r.scope.as_str(),
            "author": person(m, r.by), "created_at": r.created_at,
        })).collect::<Vec<_>>(),
        "stories": v.stories.iter().map(|st| json!({
            "id": st.id.to_hex(), "title": st.title, "text": st.text,
            "teller": person(m, st.teller), "scope": st.scope.as_str(),
            "author": person(m, st.by), "created_at": st.created_at,
            "retellings": st.retellings.iter().map(|r| json!({
                "id": r.id.to_hex(), "angle": r.angle, "text": r.text,
                "teller": person(m, r.teller), "author": person(m, r.by),
                "created_at": r.created_at,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "notes": v.notes,
    })
}
