//! Conflicts across a notebook: the index and every session document this device holds,
//! each walked where it is (`walk.rs`), and a pick committed like any other edit.

use super::walk::{Keep, Visit};
use super::{Notebook, Target};
use crate::derived_cache::Derived;
use crate::error::{Result, StoreError};
use stones_doc::conflicts::{Conflict, FieldDoc, FieldId, find, pick};
use stones_doc::{Document, EntryId};

/// Every conflicted field, and the sessions that could not be read.
#[derive(Debug, Default)]
pub struct ConflictReport {
    /// Each field with its values, the index's first, then sessions by date.
    pub found: Vec<(FieldId, Conflict)>,
    /// Sessions whose document could not be read, with why.
    pub skipped: Vec<(EntryId, String)>,
}

/// A session's conflicted fields, as a walk finds them.
type Found = Vec<(FieldId, Conflict)>;

/// Only how many fields of a session conflict is kept: almost always none, and then the
/// session need not be loaded again until it changes; one that has some is read each time.
const KEEP: Keep<Found> = Keep {
    kind: Derived::Conflicts,
    encode: |found| (found.len() as u32).to_be_bytes().to_vec(),
    decode: |b| (b == 0u32.to_be_bytes()).then(Vec::new),
};

impl Notebook {
    /// Finds every field holding concurrent values now.
    pub fn conflicts(&mut self) -> Result<ConflictReport> {
        let view = self.view();
        let mut found: Vec<(FieldId, Conflict)> = find(self.index.doc.am())
            .into_iter()
            .map(|c| {
                let id = FieldId {
                    doc: FieldDoc::Notebook,
                    path: c.path.clone(),
                };
                (id, c)
            })
            .collect();
        let entries: Vec<_> = view.sessions.iter().collect();
        let (visits, skipped) = self.walk_sessions(&entries, &KEEP, |e, am| {
            let session = e.id;
            find(am)
                .into_iter()
                .map(|c| {
                    let id = FieldId {
                        doc: FieldDoc::Session(session),
                        path: c.path.clone(),
                    };
                    (id, c)
                })
                .collect::<Found>()
        })?;
        for v in visits {
            if let Visit::Read(cs) = v {
                found.extend(cs);
            }
        }
        Ok(ConflictReport { found, skipped })
    }

    /// Keeps value `n` of a conflicted field and commits it.
    pub fn pick_conflict(&mut self, field: &FieldId, n: usize) -> Result<Target> {
        let target = match field.doc {
            FieldDoc::Notebook => Target::Index,
            FieldDoc::Session(s) => {
                self.view().session(s).ok_or_else(|| StoreError::NotFound {
                    what: "session",
                    id: s.to_hex(),
                })?;
                Target::Session(s)
            }
        };
        let message = format!("keep value {n} of {field}");
        match target {
            Target::Index => self.edit_index(&message, |idx, _| pick(idx.am_mut(), &field.path, n)),
            Target::Session(s) => {
                self.edit_session(s, &message, |doc, _| pick(doc.doc_mut(), &field.path, n))
            }
        }?;
        Ok(target)
    }
}
