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
    /// A member's name is another member's already (case and accents aside).
    #[error("{}", name_taken(name, *has_device))]
    NameTaken {
        /// The other member's name, as the notebook holds it.
        name: String,
        /// Whether that member has a device of their own.
        has_device: bool,
    },
    /// Someone else's entry: only its author (or, where the practice says so, the
    /// convener) may change it.
    #[error("{0}")]
    NotYours(String),
    /// Only a host may do this.
    #[error("only a host may {doing}; ask one of the group's hosts")]
    NotHost {
        /// What was tried, in plain words ("remove a member").
        doing: &'static str,
    },
    /// It would leave the group with no host.
    #[error(
        "{name} is the group's only host: make another member a host first, so someone can \
         still remove members and cancel invites"
    )]
    LastHost {
        /// The last host's name.
        name: String,
    },
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

fn name_taken(name: &str, has_device: bool) -> String {
    let way_out = if has_device {
        "if this is another person, give a name the group can tell apart (a surname or initial)"
    } else {
        "if it is them, invite them to their own device (`stones invite --for NAME`, or \
         \"Invite to their own device\" on their entry); if not, give a name the group can \
         tell apart (a surname or initial)"
    };
    format!("name: there is already a member called {name}; {way_out}")
}

/// Shorthand for results in this crate.
pub type Result<T, E = DocError> = std::result::Result<T, E>;
