//! `stones-doc`: the Stepping Stones notebook model over automerge — schema, typed reads and
//! edits, the commit policy, history, conflicts, validation and rendering. Pure: no IO, no
//! tokio, no iroh. A notebook is one index document plus one document per session.

pub mod am;
pub mod commit_policy;
pub mod conflicts;
pub mod date;
pub mod error;
pub mod history;
pub mod ids;
pub mod index;
pub mod journal;
pub mod problems;
pub mod render;
pub mod schema;
pub mod session;
pub mod text_field;

pub use automerge;
pub use commit_policy::CommitPolicy;
pub use date::Date;
pub use error::{DocError, Result};
pub use ids::{DeviceId, DocId, EntryId, MemberId, NotebookId};
pub use index::{IndexDoc, NewSession, NotebookView, SessionEntry};
pub use journal::JournalEdit;
pub use problems::Problems;
pub use schema::{QuestionStatus, Scope, SessionKind};
pub use session::{SessionDoc, SessionView, TurnChoice};
pub use text_field::TextField;

use automerge::{AutoCommit, LoadOptions, TextEncoding};

/// A new empty automerge document that counts text positions in Unicode code points.
pub fn new_doc() -> AutoCommit {
    AutoCommit::new_with_encoding(TextEncoding::UnicodeCodePoint)
}

/// Loads saved document bytes (a snapshot and/or incremental changes, concatenated).
pub fn load_doc(bytes: &[u8]) -> Result<AutoCommit> {
    let opts = LoadOptions::new().text_encoding(TextEncoding::UnicodeCodePoint);
    Ok(AutoCommit::load_with_options(bytes, opts)?)
}

/// The length in code points of a text field.
pub fn text_len(doc: &AutoCommit, field: TextField) -> Result<usize> {
    use automerge::ReadDoc;
    Ok(doc.length(field.resolve(doc)?))
}

/// Splices a text field by code point (the path every keystroke takes).
pub fn splice_field(
    doc: &mut AutoCommit,
    field: TextField,
    pos: usize,
    del: usize,
    insert: &str,
) -> Result<()> {
    let text = field.resolve(doc)?;
    am::splice(doc, &text, pos, del, insert)
}

/// Access to the automerge document inside a typed wrapper.
pub trait Document {
    /// The automerge document.
    fn am(&self) -> &AutoCommit;
    /// The automerge document, mutably.
    fn am_mut(&mut self) -> &mut AutoCommit;
}

impl Document for IndexDoc {
    fn am(&self) -> &AutoCommit {
        self.doc()
    }
    fn am_mut(&mut self) -> &mut AutoCommit {
        self.doc_mut()
    }
}

impl Document for SessionDoc {
    fn am(&self) -> &AutoCommit {
        self.doc()
    }
    fn am_mut(&mut self) -> &mut AutoCommit {
        self.doc_mut()
    }
}
