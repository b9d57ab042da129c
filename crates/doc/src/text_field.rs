//! Addresses of a document's text fields, by stable ids (never list positions), so a
//! journaled keystroke names its target in a way that survives restarts and merges.
//!
//! Only some are typed into and merge by character ([`TextField::typed_into`]): reflections,
//! stories, retellings, notes and a learning's body. The others — the notebook's title and
//! purpose, a held question's wording, a trail note, the check-in question, a recorded
//! turn — are set as a whole (registers, `am::put_whole`); typing into them is refused, so
//! two concurrent changes become a conflict to resolve, never a mix of both.

use crate::error::{DocError, Result};
use crate::ids::{EntryId, MemberId};
use crate::schema::key;
use automerge::{ObjId, ObjType, ROOT, ReadDoc};

/// A text field in the index or in a session document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextField {
    /// Index: the notebook's title.
    NotebookTitle,
    /// Index: the notebook's purpose.
    Purpose,
    /// Index: a held question's wording.
    Question(EntryId),
    /// Index: one note in a held question's trail.
    QuestionNote(EntryId, EntryId),
    /// Index: a learning's body.
    LearningBody(EntryId),
    /// Session: the check-in question.
    CheckinQuestion,
    /// Session: a member's check-in turn.
    Turn(MemberId),
    /// Session: a reflection's body.
    Reflection(EntryId),
    /// Session: a story's text.
    Story(EntryId),
    /// Session: a retelling of a story (story, retelling).
    Retelling(EntryId, EntryId),
    /// Session: the free notes.
    Notes,
}

impl TextField {
    /// True for text people type into together (merged by character); false for a field set
    /// as a whole, which no keystroke may splice.
    pub fn typed_into(&self) -> bool {
        matches!(
            self,
            TextField::Reflection(_)
                | TextField::Story(_)
                | TextField::Retelling(..)
                | TextField::Notes
                | TextField::LearningBody(_)
        )
    }

    /// Refuses a field set as a whole, naming it.
    pub fn check_typed_into(&self) -> Result<()> {
        if self.typed_into() {
            return Ok(());
        }
        Err(DocError::Invalid(format!(
            "{} is set as a whole, not typed into: set it again instead",
            self.path().join("/")
        )))
    }

    /// True for fields of the index document, false for session fields.
    pub fn in_index(&self) -> bool {
        matches!(
            self,
            TextField::NotebookTitle
                | TextField::Purpose
                | TextField::Question(_)
                | TextField::QuestionNote(..)
                | TextField::LearningBody(_)
        )
    }

    /// The path of map keys from the root to the text object.
    fn path(&self) -> Vec<String> {
        let s = |k: &str| k.to_string();
        match self {
            TextField::NotebookTitle => vec![s(key::TITLE)],
            TextField::Purpose => vec![s(key::PURPOSE)],
            TextField::Question(q) => vec![s(key::QUESTIONS), q.to_hex(), s(key::TEXT)],
            TextField::QuestionNote(q, n) => {
                vec![
                    s(key::QUESTIONS),
                    q.to_hex(),
                    s(key::TRAIL),
                    n.to_hex(),
                    s(key::NOTE),
                ]
            }
            TextField::LearningBody(l) => vec![s(key::LEARNINGS), l.to_hex(), s(key::BODY)],
            TextField::CheckinQuestion => vec![s(key::CHECKIN), s(key::QUESTION)],
            TextField::Turn(m) => vec![s(key::CHECKIN), s(key::TURNS), m.to_hex(), s(key::TEXT)],
            TextField::Reflection(r) => vec![s(key::REFLECTIONS), r.to_hex(), s(key::BODY)],
            TextField::Story(st) => vec![s(key::STORIES), st.to_hex(), s(key::TEXT)],
            TextField::Retelling(st, r) => {
                vec![
                    s(key::STORIES),
                    st.to_hex(),
                    s(key::RETELLINGS),
                    r.to_hex(),
                    s(key::TEXT),
                ]
            }
            TextField::Notes => vec![s(key::NOTES)],
        }
    }

    /// Finds the text object this field names in `doc`.
    pub fn resolve(&self, doc: &impl ReadDoc) -> Result<ObjId> {
        let path = self.path();
        let mut obj = ROOT;
        for (i, k) in path.iter().enumerate() {
            let want = if i + 1 == path.len() {
                ObjType::Text
            } else {
                ObjType::Map
            };
            obj = crate::am::get_obj(doc, &obj, k, want).ok_or_else(|| DocError::NotFound {
                what: "text field",
                id: path.join("/"),
            })?;
        }
        Ok(obj)
    }

    /// The text this field holds now in `doc`.
    pub fn read(&self, doc: &impl ReadDoc) -> Result<String> {
        Ok(doc.text(self.resolve(doc)?)?)
    }

    /// Appends a compact binary form (tag byte + ids) to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let (tag, a, b): (u8, Option<[u8; 16]>, Option<[u8; 16]>) = match self {
            TextField::NotebookTitle => (1, None, None),
            TextField::Purpose => (2, None, None),
            TextField::Question(q) => (3, Some(q.0), None),
            TextField::QuestionNote(q, n) => (4, Some(q.0), Some(n.0)),
            TextField::LearningBody(l) => (5, Some(l.0), None),
            TextField::CheckinQuestion => (6, None, None),
            TextField::Turn(m) => (7, Some(m.0), None),
            TextField::Reflection(r) => (8, Some(r.0), None),
            TextField::Story(s) => (9, Some(s.0), None),
            TextField::Retelling(s, r) => (10, Some(s.0), Some(r.0)),
            TextField::Notes => (11, None, None),
        };
        out.push(tag);
        out.extend(a.iter().chain(b.iter()).flatten());
    }

    /// Reads the binary form from the front of `bytes`, returning the rest.
    pub fn decode(bytes: &[u8]) -> Result<(TextField, &[u8])> {
        let bad = |why: &str| DocError::Decode {
            what: "text field",
            why: why.to_string(),
        };
        let (&tag, rest) = bytes.split_first().ok_or_else(|| bad("empty"))?;
        let id = |r: &[u8]| -> Result<[u8; 16]> {
            r.get(..16)
                .and_then(|s| s.try_into().ok())
                .ok_or_else(|| bad("truncated id"))
        };
        let one = |r: &[u8]| id(r).map(EntryId);
        let field = match tag {
            1 => TextField::NotebookTitle,
            2 => TextField::Purpose,
            3 => TextField::Question(one(rest)?),
            4 => TextField::QuestionNote(one(rest)?, one(rest.get(16..).unwrap_or_default())?),
            5 => TextField::LearningBody(one(rest)?),
            6 => TextField::CheckinQuestion,
            7 => TextField::Turn(MemberId(id(rest)?)),
            8 => TextField::Reflection(one(rest)?),
            9 => TextField::Story(one(rest)?),
            10 => TextField::Retelling(one(rest)?, one(rest.get(16..).unwrap_or_default())?),
            11 => TextField::Notes,
            other => return Err(bad(&format!("unknown tag {other}"))),
        };
        let used = match tag {
            4 | 10 => 32,
            3 | 5 | 7 | 8 | 9 => 16,
            _ => 0,
        };
        Ok((field, &rest[used..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_every_field() {
        let (a, b) = (EntryId::random(), EntryId::random());
        let all = [
            TextField::NotebookTitle,
            TextField::Purpose,
            TextField::Question(a),
            TextField::QuestionNote(a, b),
            TextField::LearningBody(b),
            TextField::CheckinQuestion,
            TextField::Turn(MemberId(a.0)),
            TextField::Reflection(a),
            TextField::Story(b),
            TextField::Retelling(a, b),
            TextField::Notes,
        ];
        for f in all {
            let mut out = Vec::new();
            f.encode(&mut out);
            out.push(99);
            let (back, rest) = TextField::decode(&out).unwrap();
            assert_eq!(back, f);
            assert_eq!(rest, &[99]);
            for cut in 0..out.len() - 1 {
                let _ = TextField::decode(&out[..cut]);
            }
        }
        assert!(TextField::decode(&[200]).is_err());
    }
}
