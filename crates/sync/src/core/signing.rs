//! Signed index changes on the wire (design: ARCHITECTURE.md, Membership): the signatures
//! that go with what a device sends, and screening what arrives, shared by every replica.
//! Only index documents are signed; a session document's changes pass as they are.

use crate::wire::SignedHash;
use std::collections::HashMap;
use stones_doc::automerge::{AutoCommit, ChangeHash, sync};
use stones_doc::signed::{Refused, Screened, Signature};
use stones_doc::{DeviceId, DocKind};

/// What taking in a peer's changes did.
#[derive(Clone, Debug, Default)]
pub struct Received {
    /// Whether the document changed.
    pub changed: bool,
    /// The changes refused from this message, with why.
    pub refused: Refused,
}

impl From<Screened> for Received {
    fn from(s: Screened) -> Received {
        Received {
            changed: false,
            refused: s.refused,
        }
    }
}

/// Merges what a whole document a peer sent holds beyond `am` (after `screen_whole`): a
/// forged change (an author's sequence number reused) is refused with what builds on it
/// instead of failing the merge, `refused` remembers it, and `sent` (the heads the sender
/// holds, as far as we accept them) no longer claims it. Returns what it refused.
pub fn merge_whole(
    am: &mut AutoCommit,
    incoming: &mut AutoCommit,
    sent: &mut Vec<ChangeHash>,
    refused: &mut Refused,
) -> crate::error::Result<Refused> {
    let forged = stones_doc::signed::merge_accepted(am, incoming)?;
    if !forged.is_empty() {
        refused.extend(forged.clone());
        *sent = stones_doc::signed::accepted_heads(am, sent, refused)?;
    }
    Ok(forged)
}

/// The change hashes a sync message carries (to send their signatures with it).
pub fn hashes_in(message: &sync::Message) -> Vec<ChangeHash> {
    message
        .changes
        .iter()
        .filter_map(|entry| stones_doc::signed::changes_in(entry).ok())
        .flatten()
        .map(|c| c.hash())
        .collect()
}

/// The signatures a message carried, by change hash.
pub fn by_hash(signatures: &[SignedHash]) -> HashMap<ChangeHash, Signature> {
    signatures
        .iter()
        .map(|(h, s)| (ChangeHash(*h), *s))
        .collect()
}

/// The signatures to send with changes of a document: for each (or, with `None`, for every
/// change it holds) the one held, or for this device's own changes one made now (`made`
/// gains those, to be kept). A change with neither goes unsigned: the receiver refuses it.
pub fn signatures_for(
    am: &mut AutoCommit,
    hashes: Option<&[ChangeHash]>,
    me: DeviceId,
    mut held: impl FnMut(&ChangeHash) -> Option<Signature>,
    sign: impl Fn(&ChangeHash) -> Signature,
    made: &mut Vec<(ChangeHash, Signature)>,
) -> Vec<SignedHash> {
    let mut own = |hash: &ChangeHash, author: Option<DeviceId>| {
        let sig = held(hash).or_else(|| (author == Some(me)).then(|| sign(hash)))?;
        if author == Some(me) {
            made.push((*hash, sig));
        }
        Some((hash.0, sig))
    };
    match hashes {
        Some(hashes) => hashes
            .iter()
            .filter_map(|h| {
                let author = am
                    .get_change_meta_by_hash(h)
                    .and_then(|m| DeviceId::from_actor(&m.actor));
                own(h, author)
            })
            .collect(),
        None => stones_doc::signed::metas_of(am)
            .iter()
            .filter_map(|m| own(&m.hash, DeviceId::from_actor(&m.actor)))
            .collect(),
    }
}

/// Screens a peer's sync message for a document of this kind before it is received (size
/// limits for every document, signatures for the index; see
/// [`stones_doc::signed::screen_sync_message`]).
pub fn screen_sync(
    am: &mut AutoCommit,
    kind: DocKind,
    message: &mut sync::Message,
    signatures: &[SignedHash],
    refused: &mut Refused,
) -> crate::error::Result<Screened> {
    let sigs = by_hash(signatures);
    Ok(stones_doc::signed::screen_sync_message(
        am,
        kind == DocKind::Index,
        message,
        |h| sigs.get(h).copied(),
        refused,
    )?)
}

/// Screens a whole document a peer sent (size limits for every document, signatures for
/// the index; see [`stones_doc::signed::screen_whole`]): what was decided, and the heads
/// sent as far as we accept them.
pub fn screen_whole(
    ours: Option<&mut AutoCommit>,
    kind: DocKind,
    incoming: &mut AutoCommit,
    signatures: &[SignedHash],
    refused: &mut Refused,
) -> crate::error::Result<(Screened, Vec<ChangeHash>)> {
    let sigs = by_hash(signatures);
    Ok(stones_doc::signed::screen_whole(
        ours,
        kind == DocKind::Index,
        incoming,
        |h| sigs.get(h).copied(),
        refused,
    )?)
}
