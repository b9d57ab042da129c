#![deny(missing_docs)]
//! `stones-doc`: the Stepping Stones notebook model over automerge — schema, typed reads and
//! edits, the commit policy, history, conflicts, validation and rendering. Pure: no IO, no
//! tokio, no iroh. A notebook is one index document plus one document per session.

pub mod am;
mod bytes;
pub mod commit_policy;
pub mod conflicts;
pub mod credits;
pub mod date;
pub mod digest;
pub mod error;
pub mod export;
pub mod guard;
pub mod history;
pub mod ids;
pub mod index;
pub mod journal;
pub mod limits;
pub mod membership;
pub mod problems;
pub mod render;
pub mod rotation;
pub mod schema;
pub mod search;
pub mod session;
pub mod signed;
pub mod snapshot;
pub mod template;
pub mod text_field;
pub mod undo;
pub mod voices;

pub use automerge;
pub use commit_policy::CommitPolicy;
pub use date::Date;
pub use error::{DocError, Result};
pub use ids::{DeviceId, DocId, DocKind, EntryId, MemberId, NotebookId};
pub use index::{IndexDoc, MemberStatus, NewSession, NotebookView, SessionEntry};
pub use journal::JournalEdit;
pub use problems::Problems;
pub use schema::{QuestionStatus, Scope, SessionKind};
pub use session::{SessionDoc, SessionView, TurnChoice};
pub use snapshot::snapshot_heads;
pub use text_field::TextField;

use automerge::{AutoCommit, LoadOptions, TextEncoding};

/// A new empty automerge document that counts text positions in Unicode code points.
pub fn new_doc() -> AutoCommit {
    AutoCommit::new_with_encoding(TextEncoding::UnicodeCodePoint)
}

/// Loads saved document bytes (a snapshot and/or incremental changes, concatenated).
pub fn load_doc(bytes: &[u8]) -> Result<AutoCommit> {
    refuse_unwritten_kinds(bytes)?;
    guard::guarded("automerge document", || {
        let opts = LoadOptions::new().text_encoding(TextEncoding::UnicodeCodePoint);
        Ok(AutoCommit::load_with_options(bytes, opts)?)
    })
}

/// Checks that saved bytes are whole automerge chunks (magic, length, and for changes the
/// checksum). `load_incremental` silently skips what it cannot parse, so each incremental
/// chunk is checked first: damage must be reported, never dropped without a word.
pub fn check_chunk(bytes: &[u8]) -> Result<()> {
    for (is_change, chunk) in split_chunks(bytes)? {
        // `Change::from_bytes` does not compare the checksum, so a byte flipped in a
        // change's text would load as other words: the header's checksum is checked here
        // (the first 4 bytes of the SHA-256 of type, length and data; a compressed change's
        // is of its uncompressed form, which decompressing checks).
        if chunk[8] <= 1 && !checksum_holds(chunk) {
            return Err(DocError::Decode {
                what: "automerge chunk",
                why: "its checksum does not match its bytes (they were damaged)".into(),
            });
        }
        if is_change {
            guard::guarded("automerge chunk", || {
                automerge::Change::from_bytes(chunk.to_vec()).map_err(|e| DocError::Decode {
                    what: "automerge chunk",
                    why: e.to_string(),
                })
            })?;
        }
    }
    Ok(())
}

/// Splits saved bytes into their automerge chunks by header (magic, kind, length): each
/// with whether it is a change (else a whole document). Refuses kinds we never write;
/// checks nothing inside a chunk.
pub(crate) fn split_chunks(bytes: &[u8]) -> Result<Vec<(bool, &[u8])>> {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    let bad = |why: String| DocError::Decode {
        what: "automerge chunk",
        why,
    };
    let mut chunks = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.len() < 9 || rest[..4] != MAGIC {
            return Err(bad(format!(
                "no chunk header at byte {}",
                bytes.len() - rest.len()
            )));
        }
        let kind = rest[8];
        // Only documents (0), changes (1) and compressed changes (2) are ever written.
        // Automerge 0.12 also reads "bundles" (3), and its bundle decoder both panics on and
        // expands 30 hostile bytes into a 2 GiB allocation (found by the `doc_validation`
        // fuzzer), so bytes holding one never reach it.
        if kind > 2 {
            return Err(bad(format!(
                "a chunk of kind {kind} at byte {}, which no Stepping Stones device writes",
                bytes.len() - rest.len()
            )));
        }
        let (len, used) = uleb128(&rest[9..]).ok_or_else(|| bad("bad length".into()))?;
        let end = 9usize
            .checked_add(used)
            .and_then(|h| h.checked_add(usize::try_from(len).ok()?))
            .filter(|end| *end <= rest.len())
            .ok_or_else(|| bad(format!("chunk of {len} bytes runs past the end")))?;
        chunks.push((kind != 0, &rest[..end]));
        rest = &rest[end..];
    }
    Ok(chunks)
}

/// Refuses chunks of a kind no Stepping Stones device writes (see [`split_chunks`]).
fn refuse_unwritten_kinds(bytes: &[u8]) -> Result<()> {
    split_chunks(bytes).map(|_| ())
}

/// Whether an uncompressed chunk's checksum matches its bytes.
fn checksum_holds(chunk: &[u8]) -> bool {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(&chunk[8..]);
    hash[..4] == chunk[4..8]
}

pub(crate) fn uleb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// The length in code points of a text field.
pub fn text_len(doc: &AutoCommit, field: TextField) -> Result<usize> {
    use automerge::ReadDoc;
    Ok(doc.length(field.resolve(doc)?))
}

/// Splices a text field by code point (the path every keystroke takes). Fields set as a
/// whole are refused ([`TextField::typed_into`]).
pub fn splice_field(
    doc: &mut AutoCommit,
    field: TextField,
    pos: usize,
    del: usize,
    insert: &str,
) -> Result<()> {
    field.check_typed_into()?;
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
