//! What the protocol core needs from the device's documents: which notebooks it holds, who
//! may sync them, the documents themselves, and persisted sync states. The store implements
//! it for real devices; an in-memory replica implements it for the test network.

use super::signing::Received;
use crate::error::Result;
use crate::wire::SignedHash;
use stones_doc::automerge::{ChangeHash, sync};
use stones_doc::{DeviceId, DocId, DocKind, NotebookId};

/// Whether a peer may sync a notebook with this device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// The peer is an active device of the notebook.
    Member,
    /// We are joining this notebook (no index yet) and the peer is the device that let us in.
    Joining,
    /// The peer is not in our index at all, but we are a member and chose to dial it: it may
    /// be a member who joined after our index was last synced. We send it nothing but a
    /// request for the index (only if its digest shows it holds ours); once the index
    /// arrives and names it, it becomes a member; otherwise we hang up.
    Unverified,
    /// Not allowed, and why (said to the peer; never names what we hold).
    Refused(String),
}

impl Access {
    /// Whether we may send this peer the notebook.
    pub fn allowed(&self) -> bool {
        matches!(self, Access::Member | Access::Joining)
    }
}

/// A notebook's documents in the order the protocol sends them: the index first (it names
/// the sessions and the devices), then by id.
pub fn index_first(docs: impl IntoIterator<Item = (DocId, DocKind)>) -> Vec<(DocId, DocKind)> {
    let mut v: Vec<(DocId, DocKind)> = docs.into_iter().collect();
    v.sort_by_key(|(d, k)| (*k, *d));
    v
}

/// A device's documents as the protocol core sees them.
pub trait Replica {
    /// Notebooks this device holds or is joining.
    fn notebooks(&self) -> Vec<NotebookId>;
    /// May `peer` sync `notebook` with us?
    fn access(&self, notebook: NotebookId, peer: DeviceId) -> Access;
    /// The documents held of a notebook, the index first.
    fn docs(&mut self, notebook: NotebookId) -> Result<Vec<(DocId, DocKind)>>;
    /// The notebook's index document, if held (asked once per session sent: a replica
    /// that knows it without listing every document should say so).
    fn index_of(&mut self, notebook: NotebookId) -> Result<Option<DocId>> {
        Ok(self
            .docs(notebook)?
            .into_iter()
            .find(|(_, k)| *k == DocKind::Index)
            .map(|(d, _)| d))
    }
    /// The notebook and kind of a held document.
    fn doc_info(&self, doc: DocId) -> Option<(NotebookId, DocKind)>;
    /// A held document's heads (empty if not held).
    fn heads(&mut self, doc: DocId) -> Result<Vec<ChangeHash>>;
    /// The next sync message for a peer, if any.
    fn generate(&mut self, doc: DocId, state: &mut sync::State) -> Result<Option<sync::Message>>;
    /// Applies a peer's sync message, creating the document if it is new here; an index
    /// document's changes are screened first (`signing::screen_sync`) against the
    /// signatures that came with them, and those accepted are kept.
    fn receive(
        &mut self,
        notebook: NotebookId,
        doc: DocId,
        kind: DocKind,
        state: &mut sync::State,
        message: sync::Message,
        signatures: &[SignedHash],
    ) -> Result<Received>;
    /// The signatures to send with these changes of a document (`None`: all it holds);
    /// nothing for a session document (see `signing::signatures_for`).
    fn signatures_for(
        &mut self,
        doc: DocId,
        hashes: Option<&[ChangeHash]>,
    ) -> Result<Vec<SignedHash>>;
    /// A held document, saved whole (for a peer that lacks it).
    fn whole(&mut self, doc: DocId) -> Result<Vec<u8>>;
    /// Merges a whole document a peer sent, creating it if it is new here (an index is
    /// screened first, like [`Replica::receive`]). Returns what it did and the heads of what
    /// was sent, as far as we accept it.
    fn receive_whole(
        &mut self,
        notebook: NotebookId,
        doc: DocId,
        kind: DocKind,
        bytes: &[u8],
        signatures: &[SignedHash],
    ) -> Result<(Received, Vec<ChangeHash>)>;
    /// The persisted sync state for (peer, doc), or a fresh one.
    fn load_state(&mut self, peer: DeviceId, doc: DocId) -> sync::State;
    /// Remembers a sync state; written at the next flush.
    fn save_state(&mut self, peer: DeviceId, doc: DocId, state: &sync::State);
    /// Makes everything received and every saved state durable.
    fn flush(&mut self) -> Result<()>;
}
