//! The index document: one per notebook, naming the members, devices, invites, sessions,
//! held questions and learnings. Edits are typed methods; reads return a plain view.

mod corrections;
mod edit;
mod hosts;
mod invite_status;
mod member_status;
mod members;
mod merged;
pub mod names;
mod view;

pub use edit::NewSession;
pub use invite_status::{InviteState, InviteStatus};
pub use member_status::MemberStatus;
pub use members::Newcomer;
pub use view::{
    DeviceView, InviteView, LearningView, MemberView, NotebookView, QuestionNoteView, QuestionView,
    SessionEntry, learning_titles, read_membership, read_view,
};

use crate::error::Result;
use crate::ids::NotebookId;
use crate::schema::{NOTEBOOK_SCHEMA, key};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};

/// The index document of a notebook.
#[derive(Debug)]
pub struct IndexDoc {
    doc: AutoCommit,
}

impl IndexDoc {
    /// A new index with every top-level map created once, by the notebook's creator.
    /// Its ops stay uncommitted until the caller commits them (with a message and time).
    pub fn create(
        id: NotebookId,
        title: &str,
        purpose: &str,
        actor: automerge::ActorId,
        now_ms: i64,
    ) -> Result<IndexDoc> {
        let mut doc = crate::new_doc().with_actor(actor);
        doc.put(ROOT, key::SCHEMA, NOTEBOOK_SCHEMA)?;
        doc.put(ROOT, key::NOTEBOOK_ID, id.to_hex())?;
        crate::am::put_whole(&mut doc, &ROOT, key::TITLE, title)?;
        crate::am::put_whole(&mut doc, &ROOT, key::PURPOSE, purpose)?;
        crate::am::put_stamp(&mut doc, &ROOT, now_ms, None)?;
        for map in [
            key::ACTS,
            key::NETWORK,
            key::MEMBERS,
            key::DEVICES,
            key::INVITES,
            key::SESSIONS,
            key::QUESTIONS,
            key::LEARNINGS,
        ] {
            doc.put_object(ROOT, map, automerge::ObjType::Map)?;
        }
        Ok(IndexDoc { doc })
    }

    /// Wraps an automerge document (loaded from the store or received from a peer).
    pub fn from_doc(doc: AutoCommit) -> IndexDoc {
        IndexDoc { doc }
    }

    /// The underlying automerge document.
    pub fn doc(&self) -> &AutoCommit {
        &self.doc
    }

    /// The underlying automerge document, for committing, saving and merging.
    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }
}
