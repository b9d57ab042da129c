//! Corrections and withdrawal in the index: a learning's title and the sessions it came
//! from, and withdrawing a held question (it leaves the current index with its trail; the
//! history and devices that already synced it keep it).

use super::IndexDoc;
use crate::error::{DocError, Result};
use crate::ids::EntryId;
use crate::schema::key;
use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT};

impl IndexDoc {
    /// Corrects a learning: its title and/or the sessions it came from (`None` leaves
    /// either as it is; the sessions are replaced as a whole).
    pub fn update_learning(
        &mut self,
        learning: EntryId,
        title: Option<&str>,
        from: Option<&[EntryId]>,
    ) -> Result<()> {
        if title.is_some_and(|t| t.trim().is_empty()) {
            return Err(DocError::Invalid(
                "a learning's title must not be empty".into(),
            ));
        }
        let obj = self.entry(key::LEARNINGS, &learning.to_hex())?;
        if let Some(t) = title {
            self.doc.put(&obj, key::TITLE, t.trim())?;
        }
        if let Some(from) = from {
            let list = self
                .doc
                .put_object(&obj, key::FROM_SESSIONS, ObjType::List)?;
            for (i, s) in from.iter().enumerate() {
                self.doc.insert(&list, i, s.to_hex())?;
            }
        }
        Ok(())
    }

    /// Withdraws a held question from the current index.
    pub fn withdraw_question(&mut self, question: EntryId) -> Result<()> {
        self.entry(key::QUESTIONS, &question.to_hex())?;
        let questions = crate::am::get_obj(&self.doc, &ROOT, key::QUESTIONS, ObjType::Map)
            .ok_or_else(|| DocError::NotFound {
                what: "question",
                id: question.to_hex(),
            })?;
        self.doc.delete(&questions, question.to_hex())?;
        Ok(())
    }
}
