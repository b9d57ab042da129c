//! Naming a conflicted field for people: a stable id (`notebook/…` or `session/ID/…`, then
//! the path inside the document) to pick by, and where it is in words ("session 2026-03-03
//! Spring day: the title of reflection “What we noticed”").

use crate::error::{DocError, Result};
use crate::ids::EntryId;
use crate::index::NotebookView;
use crate::session::SessionView;
use std::fmt;
use std::str::FromStr;

/// Whether the field at `path` (in either document) is one a person sets as a whole — the
/// notebook's title and purpose, a held question's wording, a trail note, the check-in
/// question, a recorded turn — rather than text typed into (see `TextField::typed_into`).
pub fn set_whole(path: &[String]) -> bool {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    matches!(
        p.as_slice(),
        ["title"]
            | ["purpose"]
            | ["questions", _, "text"]
            | ["questions", _, "trail", _, "note"]
            | ["checkin", "question"]
            | ["checkin", "turns", _, "text"]
    )
}

/// Which document a field is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldDoc {
    /// The notebook's index.
    Notebook,
    /// A session's own document.
    Session(EntryId),
}

/// A field of the notebook, the same on every device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldId {
    /// The document.
    pub doc: FieldDoc,
    /// Map keys (and list positions) from the document's root.
    pub path: Vec<String>,
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.doc {
            FieldDoc::Notebook => write!(f, "notebook/{}", self.path.join("/")),
            FieldDoc::Session(s) => write!(f, "session/{s}/{}", self.path.join("/")),
        }
    }
}

impl FromStr for FieldId {
    type Err = DocError;
    fn from_str(s: &str) -> Result<FieldId> {
        let bad = || {
            DocError::Invalid(format!(
                "{s:?} is not a field id: expected notebook/… or session/ID/… as `stones conflicts` lists them"
            ))
        };
        let mut parts = s.trim().split('/');
        let doc = match parts.next() {
            Some("notebook") => FieldDoc::Notebook,
            Some("session") => {
                let id = parts.next().ok_or_else(bad)?;
                FieldDoc::Session(EntryId::from_hex(id).map_err(|_| bad())?)
            }
            _ => return Err(bad()),
        };
        let path: Vec<String> = parts.map(str::to_string).collect();
        if path.is_empty() || path.iter().any(String::is_empty) {
            return Err(bad());
        }
        Ok(FieldId { doc, path })
    }
}

fn quoted(s: &str) -> String {
    format!("“{s}”")
}

/// Where a field is, in words. `session` is the session's view when the field is in one.
pub fn place(nb: &NotebookView, id: &FieldId, session: Option<&SessionView>) -> String {
    let p: Vec<&str> = id.path.iter().map(String::as_str).collect();
    let field = p.last().copied().unwrap_or("");
    let entry = |list: &str| -> Option<EntryId> {
        p.windows(2)
            .find(|w| w[0] == list)
            .and_then(|w| EntryId::from_hex(w[1]).ok())
    };
    match id.doc {
        FieldDoc::Notebook => match p.as_slice() {
            ["sessions", s, ..] => match EntryId::from_hex(s).ok().and_then(|s| nb.session(s)) {
                Some(e) => format!("the {field} of session {} {}", e.date, e.title)
                    .trim()
                    .into(),
                None => format!("the {field} of a session"),
            },
            ["members", m, ..] => {
                let name = crate::ids::MemberId::from_hex(m)
                    .ok()
                    .map(|m| nb.name_of(Some(m)))
                    .unwrap_or_else(|| "a member".into());
                format!("the {field} of member {name}")
            }
            ["questions", q, ..] => match nb.questions.iter().find(|x| x.id.to_hex() == *q) {
                Some(q) => format!("the {field} of question {}", quoted(&q.text)),
                None => format!("the {field} of a question"),
            },
            ["learnings", l, ..] => match nb.learnings.iter().find(|x| x.id.to_hex() == *l) {
                Some(l) => format!("the {field} of learning {}", quoted(&l.title)),
                None => format!("the {field} of a learning"),
            },
            _ => format!("the notebook's {field}"),
        },
        FieldDoc::Session(s) => {
            let head = match nb.session(s) {
                Some(e) => format!("session {} {}", e.date, e.title).trim().to_string(),
                None => "a session".into(),
            };
            let what = if let Some(r) = entry("reflections") {
                let t = session
                    .and_then(|v| v.reflections.iter().find(|x| x.id == r))
                    .map(|x| quoted(&x.title))
                    .unwrap_or_default();
                format!("the {field} of reflection {t}")
            } else if let Some(st) = entry("stories") {
                let t = session
                    .and_then(|v| v.stories.iter().find(|x| x.id == st))
                    .map(|x| quoted(&x.title))
                    .unwrap_or_default();
                if p.contains(&"retellings") {
                    format!("the {field} of a retelling of story {t}")
                } else {
                    format!("the {field} of story {t}")
                }
            } else if p.as_slice() == ["checkin", "question"] {
                "the check-in question".to_string()
            } else if let ["checkin", "turns", m, ..] = p.as_slice() {
                let name = crate::ids::MemberId::from_hex(m)
                    .ok()
                    .map(|m| nb.name_of(Some(m)))
                    .unwrap_or_else(|| "someone".into());
                format!("{name}'s check-in turn ({field})")
            } else {
                format!("the {}", p.join(" "))
            };
            format!("{head}: {}", what.trim_end())
        }
    }
}
