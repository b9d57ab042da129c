//! The edit journal's entry: the intent of one text edit (document, base heads, field,
//! position, deleted count, inserted text), encoded compactly, and its replay onto a doc.
//! The store makes each entry durable the moment it is typed; a commit truncates them.

use crate::error::{DocError, Result};
use crate::ids::DocId;
use crate::text_field::TextField;
use automerge::{AutoCommit, ChangeHash};

const VERSION: u8 = 1;

/// One journaled keystroke (or burst): enough to redo it after a crash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEdit {
    /// The document edited.
    pub doc: DocId,
    /// The document's heads when the uncommitted run of edits began; replay forks here.
    pub base_heads: Vec<ChangeHash>,
    /// The text edited.
    pub field: TextField,
    /// Position in Unicode code points.
    pub pos: u32,
    /// Code points deleted at `pos`.
    pub del: u32,
    /// Text inserted at `pos`.
    pub insert: String,
}

impl JournalEdit {
    /// Encodes the entry for the store.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.insert.len());
        out.push(VERSION);
        out.extend(self.doc.0);
        out.push(u8::try_from(self.base_heads.len()).unwrap_or(u8::MAX));
        for h in self.base_heads.iter().take(255) {
            out.extend(h.0);
        }
        self.field.encode(&mut out);
        out.extend(self.pos.to_le_bytes());
        out.extend(self.del.to_le_bytes());
        out.extend(self.insert.as_bytes());
        out
    }

    /// Decodes an entry, with a clear error for anything malformed.
    pub fn decode(bytes: &[u8]) -> Result<JournalEdit> {
        let bad = |why: String| DocError::Decode {
            what: "journal entry",
            why,
        };
        let mut r = Reader(bytes);
        let version = r.take(1).map_err(&bad)?[0];
        if version != VERSION {
            return Err(bad(format!("unknown version {version}")));
        }
        let doc = DocId(r.array().map_err(&bad)?);
        let n = r.take(1).map_err(&bad)?[0];
        let base_heads = (0..n)
            .map(|_| r.array().map(ChangeHash))
            .collect::<Result<Vec<_>, _>>()
            .map_err(&bad)?;
        let (field, rest) = TextField::decode(r.0)?;
        r.0 = rest;
        let pos = u32::from_le_bytes(r.array().map_err(&bad)?);
        let del = u32::from_le_bytes(r.array().map_err(&bad)?);
        let insert = String::from_utf8(r.0.to_vec()).map_err(|e| bad(format!("text: {e}")))?;
        Ok(JournalEdit {
            doc,
            base_heads,
            field,
            pos,
            del,
            insert,
        })
    }

    /// Applies the edit to `doc` (without committing).
    pub fn apply(&self, doc: &mut AutoCommit) -> Result<()> {
        let text = self.field.resolve(doc)?;
        crate::am::splice(
            doc,
            &text,
            self.pos as usize,
            self.del as usize,
            &self.insert,
        )
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err(format!(
                "truncated: wanted {n} more bytes, {} left",
                self.0.len()
            ));
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let s = self.take(N)?;
        s.try_into().map_err(|_| "length".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EntryId;

    #[test]
    fn round_trip_and_truncation() {
        let e = JournalEdit {
            doc: DocId::random(),
            base_heads: vec![ChangeHash([5; 32]), ChangeHash([6; 32])],
            field: TextField::Reflection(EntryId::random()),
            pos: 3,
            del: 1,
            insert: "café ☕ naïve".into(),
        };
        let bytes = e.encode();
        assert_eq!(JournalEdit::decode(&bytes).unwrap(), e);
        for cut in 0..bytes.len() {
            // Every prefix either decodes to something or is refused; never a panic.
            let _ = JournalEdit::decode(&bytes[..cut]);
        }
        assert!(JournalEdit::decode(&bytes[..10]).is_err());
    }
}
