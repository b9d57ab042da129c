//! A session document: the check-in round, reflections, stories with their retellings, and
//! notes of one meeting. One automerge document per session keeps each small (design §1).

mod authority;
mod edit;
mod view;
mod withdraw;

pub use authority::{Standing, may_change_scope, may_record_turn, may_withdraw};
pub use edit::TurnChoice;
pub use view::{ReflectionView, RetellingView, SessionView, StoryView, TurnView, read_view};
pub use withdraw::Withdrawable;

use crate::error::Result;
use crate::ids::EntryId;
use crate::schema::{SESSION_SCHEMA, key};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT};

/// The document of one session.
#[derive(Debug)]
pub struct SessionDoc {
    doc: AutoCommit,
}

impl SessionDoc {
    /// A new, empty session document with its maps created once by the session's creator.
    pub fn create(
        session: EntryId,
        checkin_question: &str,
        actor: automerge::ActorId,
        now_ms: i64,
    ) -> Result<SessionDoc> {
        let mut doc = crate::new_doc().with_actor(actor);
        doc.put(ROOT, key::SCHEMA, SESSION_SCHEMA)?;
        doc.put(ROOT, key::SESSION_ID, session.to_hex())?;
        crate::am::put_stamp(&mut doc, &ROOT, now_ms, None)?;
        let checkin = doc.put_object(ROOT, key::CHECKIN, ObjType::Map)?;
        crate::am::put_whole(&mut doc, &checkin, key::QUESTION, checkin_question)?;
        doc.put_object(&checkin, key::TURNS, ObjType::Map)?;
        doc.put_object(ROOT, key::REFLECTIONS, ObjType::Map)?;
        doc.put_object(ROOT, key::STORIES, ObjType::Map)?;
        crate::am::put_text(&mut doc, &ROOT, key::NOTES, "")?;
        Ok(SessionDoc { doc })
    }

    /// Wraps an automerge document.
    pub fn from_doc(doc: AutoCommit) -> SessionDoc {
        SessionDoc { doc }
    }

    /// The underlying automerge document.
    pub fn doc(&self) -> &AutoCommit {
        &self.doc
    }

    /// The underlying automerge document, for committing, saving and merging.
    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// Reads the session into a view.
    pub fn view(&self) -> SessionView {
        read_view(&self.doc)
    }
}
