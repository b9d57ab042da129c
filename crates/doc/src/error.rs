//! The one error type of `stones-doc`: what went wrong reading or editing a document.

use thiserror::Error;

/// Errors from reading, editing or decoding notebook documents.
#[derive(Debug, Error)]
pub enum DocError {
    /// Automerge refused an operation or failed to load bytes.
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    /// An id (of a session, member, entry…) is not in the document.
    #[error("no {what} with id {id}")]
    NotFound {
        /// What kind of thing.
        what: &'static str,
        /// The id looked for.
        id: String,
    },
    /// A value given by the user is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// A text position lies past the end of the text.
    #[error("position {pos} (+{del} deleted) is past the end of a text of {len} characters")]
    OutOfRange {
        /// Where the edit starts (code points).
        pos: usize,
        /// How many code points it deletes.
        del: usize,
        /// The text's length (code points).
        len: usize,
    },
    /// A text would grow past the most one text may hold.
    #[error("a text of {chars} characters is longer than the {max} one text may hold; split it")]
    TooLong {
        /// The length the edit would give it (code points).
        chars: usize,
        /// The most it may hold.
        max: usize,
    },
    /// The document does not have the shape this version understands at a needed place.
    #[error("document shape: {0}")]
    Shape(String),
    /// Bytes that should encode a journal entry or id do not.
    #[error("cannot decode {what}: {why}")]
    Decode {
        /// What was being decoded.
        what: &'static str,
        /// Why it failed.
        why: String,
    },
}

/// Shorthand for results in this crate.
pub type Result<T, E = DocError> = std::result::Result<T, E>;
