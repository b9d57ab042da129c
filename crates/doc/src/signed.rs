//! Signed changes. Every change to a notebook's index document (members, devices, invites,
//! membership acts, and the rest of the index) carries an ed25519 signature over its change
//! hash by the device its actor id names: an actor id is the device's public key and a
//! writer slot byte, so the key that must have signed is read off the change itself.
//! Session documents are not signed (measured: ARCHITECTURE.md, Membership).
//!
//! Here: signing, checking, and screening what a peer sent — which changes new to us to
//! refuse (no signature, a wrong one, too large for our limits, or built on a refused
//! change), and which heads the peer then holds as far as we accept them. Every document is
//! screened for size (`limits`); only the index for signatures. The store keeps signatures
//! beside the document; the sync protocol carries them with the changes.

use crate::error::{DocError, Result};
use crate::ids::DeviceId;
use automerge::{ActorId, AutoCommit, Change, ChangeHash, ReadDoc};
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use std::collections::{BTreeMap, BTreeSet};

mod apply;
mod room;

pub use apply::{apply_accepted, merge_accepted};
pub use room::Room;

/// An ed25519 signature over a change hash.
pub type Signature = [u8; 64];

/// Signs a change hash with a device's secret key.
pub fn sign(secret: &[u8; 32], hash: &ChangeHash) -> Signature {
    SigningKey::from_bytes(secret).sign(&hash.0).to_bytes()
}

/// Why a change was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsigned {
    /// No signature came with it.
    Missing,
    /// A signature came, but not by the key its actor id names: forged, or damaged.
    Forged,
    /// Its actor id names no device key at all.
    NoDevice,
    /// It overwrites or deletes a key of the index's root (the notebook id, or one of its
    /// maps: members, devices, invites, acts…), which no edit of ours ever does.
    OverwritesRoot,
    /// It starts a second history of the document (no dependencies, where the document
    /// already has its first change).
    SecondRoot,
    /// It carries more operations than one change may (`limits::MAX_CHANGE_OPS`).
    Oversized {
        /// How many it carries.
        ops: usize,
    },
    /// It would take the document past the operations one document may hold
    /// (`limits::MAX_DOC_OPS`).
    OverfillsDocument,
    /// It would take its writer's operations in the document past their share
    /// (`limits::MAX_DEVICE_SHARE_OPS`).
    OverfillsShare,
    /// It reuses an author and sequence number another change holds: a forged change.
    ReusesSequence,
    /// It builds on a change refused for one of the reasons above.
    BuildsOnRefused,
}

impl std::fmt::Display for Unsigned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unsigned::Missing => "it carries no signature of the device that wrote it",
            Unsigned::Forged => "its signature is not by the device its author id names",
            Unsigned::NoDevice => "its author id names no device",
            Unsigned::OverwritesRoot => "it overwrites the notebook's root (its id or a whole map)",
            Unsigned::SecondRoot => "it starts a second history of the notebook's index",
            Unsigned::Oversized { ops } => {
                return write!(
                    f,
                    "it carries {ops} operations, more than the {} one change may carry \
                     (a text of {} characters at most)",
                    crate::limits::MAX_CHANGE_OPS,
                    crate::limits::MAX_TEXT_CHARS
                );
            }
            Unsigned::OverfillsDocument => {
                return write!(
                    f,
                    "it would take the document past the {} operations one document may hold",
                    crate::limits::MAX_DOC_OPS
                );
            }
            Unsigned::OverfillsShare => {
                return write!(
                    f,
                    "it would take its writer past the {} operations one device's writing may \
                     hold in one document",
                    crate::limits::MAX_DEVICE_SHARE_OPS
                );
            }
            Unsigned::ReusesSequence => {
                "it reuses the author and sequence number of another change (a forged change)"
            }
            Unsigned::BuildsOnRefused => "it builds on a refused change",
        })
    }
}

/// Checks a change's signature: it must be by the device key its actor id begins with.
pub fn check(
    actor: &ActorId,
    hash: &ChangeHash,
    signature: Option<&Signature>,
) -> std::result::Result<(), Unsigned> {
    let device = DeviceId::from_actor(actor).ok_or(Unsigned::NoDevice)?;
    let key = VerifyingKey::from_bytes(&device.0).map_err(|_| Unsigned::NoDevice)?;
    let signature = signature.ok_or(Unsigned::Missing)?;
    key.verify(&hash.0, &ed25519_dalek::Signature::from_bytes(signature))
        .map_err(|_| Unsigned::Forged)
}

/// The changes in saved bytes: change chunks one by one, a whole-document chunk as all the
/// changes it holds. (A sync message's changes are such bytes, one entry or many.)
pub fn changes_in(bytes: &[u8]) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for (is_change, chunk) in crate::split_chunks(bytes)? {
        if is_change {
            out.push(crate::guard::guarded("automerge change", || {
                Change::from_bytes(chunk.to_vec()).map_err(|e| DocError::Decode {
                    what: "automerge change",
                    why: e.to_string(),
                })
            })?);
        } else {
            out.extend(crate::load_doc(chunk)?.get_changes(&[]));
        }
    }
    Ok(out)
}

/// Changes refused from one document: each with its dependencies (to find what the sender
/// holds that we accept) and why.
#[derive(Clone, Debug, Default)]
pub struct Refused {
    /// Refused change → (its dependencies, why).
    pub changes: BTreeMap<ChangeHash, (Vec<ChangeHash>, Unsigned)>,
}

impl Refused {
    /// Whether nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes were refused.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Adds another screening's refusals.
    pub fn extend(&mut self, other: Refused) {
        self.changes.extend(other.changes);
    }

    /// The first reason, for a message to the sender.
    pub fn reason(&self) -> Option<&Unsigned> {
        self.changes
            .values()
            .map(|(_, why)| why)
            .find(|w| **w != Unsigned::BuildsOnRefused)
            .or_else(|| self.changes.values().map(|(_, why)| why).next())
    }
}

/// What screening needs of a change: its hash, author and dependencies.
#[derive(Clone, Debug)]
pub struct ChangeMeta {
    /// The change hash (what is signed).
    pub hash: ChangeHash,
    /// Its actor id (whose key must have signed).
    pub actor: ActorId,
    /// The changes it builds on.
    pub deps: Vec<ChangeHash>,
    /// Whether it overwrites or deletes a key of the document's root (known only when the
    /// change's ops were read: [`ChangeMeta::read`] with the root rule).
    pub overwrites_root: bool,
    /// How many operations it carries (0 where only the metadata was read).
    pub ops: usize,
}

impl ChangeMeta {
    /// What screening needs of `c`. Its ops are decoded only for the root rule
    /// (`root_rule`: the index's), and never for an oversized change, which is refused for
    /// its size (10 million ops decoded take gigabytes).
    pub fn read(c: &Change, root_rule: bool) -> Self {
        use automerge::legacy::{ObjectId, OpType};
        let ops = c.len();
        let overwrites_root = root_rule
            && ops <= crate::limits::MAX_CHANGE_OPS
            && c.decode().operations.iter().any(|op| {
                op.obj == ObjectId::Root
                    && (!op.pred.is_empty() || matches!(op.action, OpType::Delete))
            });
        ChangeMeta {
            hash: c.hash(),
            actor: c.actor_id().clone(),
            deps: c.deps().to_vec(),
            overwrites_root,
            ops,
        }
    }
}

/// Which rules a document's incoming changes must meet.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    /// Whether every change must be signed by its author's device, keep the root and not
    /// start a second history (the index).
    pub signed: bool,
    /// Whether we hold the document already (a change with no dependencies would start a
    /// second history).
    pub have_any: bool,
    /// How many operations the document holds here already.
    pub doc_ops: u64,
    /// Each writer's share and the hosts' room, counted where the document comes near its
    /// limits (`None`: far below them, where only the document's limit is checked).
    pub room: Option<Room>,
}

impl Rules {
    /// The rules for changes coming into `am` (`signed`: the index's), counting the room
    /// only where `incoming_ops` more take it near its limits.
    pub fn for_doc(am: &mut AutoCommit, signed: bool, incoming_ops: u64) -> Rules {
        let doc_ops = am.stats().num_ops;
        Rules {
            signed,
            have_any: !am.get_heads().is_empty(),
            doc_ops,
            room: Room::needed(doc_ops, incoming_ops).then(|| Room::of(am, signed)),
        }
    }
}

#[cfg(test)]
impl Rules {
    /// The index's rules, for tests of signing alone.
    pub fn signed(have_any: bool) -> Rules {
        Rules {
            signed: true,
            have_any,
            ..Rules::default()
        }
    }
}

/// Every change of a document, as screening needs them (without decoding their ops).
pub fn metas_of(am: &mut AutoCommit) -> Vec<ChangeMeta> {
    am.get_changes_meta(&[])
        .into_iter()
        .map(|m| ChangeMeta {
            hash: m.hash,
            actor: m.actor.into_owned(),
            deps: m.deps,
            overwrites_root: false,
            ops: 0,
        })
        .collect()
}

/// What screening decided about the changes new here.
#[derive(Clone, Debug, Default)]
pub struct Screened {
    /// Refused, with why.
    pub refused: Refused,
    /// Accepted: their signatures checked (keep them, to pass on with the changes).
    pub accepted: Vec<ChangeHash>,
}

impl Screened {
    /// Takes in what was refused after screening (when applied): no longer accepted.
    pub fn take_in(&mut self, later: Refused) {
        self.accepted.retain(|h| !later.changes.contains_key(h));
        self.refused.extend(later);
    }
}

/// Which of `incoming` to refuse: a change not yet held (`held` says) must fit the size
/// limits (`limits`; the document's ops counted in `incoming`'s order from
/// `rules.doc_ops`); under `rules.signed` it needs a valid signature (`signature_of`) and
/// must not overwrite the root nor start a second history; and it must not depend on a
/// refused change (`earlier` holds those refused before, from the same document).
pub fn screen(
    incoming: &[ChangeMeta],
    held: impl Fn(&ChangeHash) -> bool,
    rules: Rules,
    signature_of: impl Fn(&ChangeHash) -> Option<Signature>,
    earlier: &Refused,
) -> Screened {
    let refused = refuse(incoming, &held, rules, signature_of, earlier);
    let accepted = incoming
        .iter()
        .map(|c| c.hash)
        .filter(|h| !held(h) && !refused.changes.contains_key(h))
        .collect();
    Screened { refused, accepted }
}

fn refuse(
    incoming: &[ChangeMeta],
    held: &impl Fn(&ChangeHash) -> bool,
    rules: Rules,
    signature_of: impl Fn(&ChangeHash) -> Option<Signature>,
    earlier: &Refused,
) -> Refused {
    let mut refused = Refused::default();
    let fresh: Vec<&ChangeMeta> = incoming.iter().filter(|c| !held(&c.hash)).collect();
    // A document has one first change: a new one where we hold it, or two arriving at once.
    let roots = fresh.iter().filter(|c| c.deps.is_empty()).count();
    let second_root = |c: &ChangeMeta| c.deps.is_empty() && (rules.have_any || roots > 1);
    let mut doc_ops = rules.doc_ops;
    let mut room = rules.room;
    for c in &fresh {
        let signed = || match check(&c.actor, &c.hash, signature_of(&c.hash).as_ref()) {
            Err(why) => Some(why),
            Ok(()) if c.overwrites_root => Some(Unsigned::OverwritesRoot),
            Ok(()) if second_root(c) => Some(Unsigned::SecondRoot),
            Ok(()) => None,
        };
        let size = |room: &mut Option<Room>| match room {
            Some(room) => room.admit(c, doc_ops).err(),
            None => (doc_ops + c.ops as u64 > crate::limits::MAX_DOC_OPS)
                .then_some(Unsigned::OverfillsDocument),
        };
        let why = if c.ops > crate::limits::MAX_CHANGE_OPS {
            Some(Unsigned::Oversized { ops: c.ops })
        } else if let Some(why) = rules.signed.then(signed).flatten() {
            Some(why)
        } else {
            size(&mut room)
        };
        if why.is_none() {
            doc_ops += c.ops as u64;
        }
        if let Some(why) = why {
            refused.changes.insert(c.hash, (c.deps.clone(), why));
        }
    }
    // Whatever builds on a refused change is refused too (until nothing more is).
    loop {
        let before = refused.len();
        for c in &fresh {
            let bad_dep = c
                .deps
                .iter()
                .any(|d| refused.changes.contains_key(d) || earlier.changes.contains_key(d));
            if bad_dep && !refused.changes.contains_key(&c.hash) {
                refused
                    .changes
                    .insert(c.hash, (c.deps.clone(), Unsigned::BuildsOnRefused));
            }
        }
        if refused.len() == before {
            return refused;
        }
    }
}

/// Screens a peer's sync message for a document held as `am` (a fresh document if it is
/// new here; `signed`: the index's rules too) before automerge takes it in. When something
/// is refused, the accepted changes are applied to `am` here and the message keeps none;
/// either way a claimed head that is refused (now or before, as `refused` remembers) is
/// replaced by what we accept, so the sync protocol neither asks for it again nor counts it
/// as missing. Returns what this message brought; `refused` gains what it refused.
pub fn screen_sync_message(
    am: &mut AutoCommit,
    signed: bool,
    message: &mut automerge::sync::Message,
    signature_of: impl Fn(&ChangeHash) -> Option<Signature>,
    refused: &mut Refused,
) -> Result<Screened> {
    let mut screened = Screened::default();
    if !message.changes.is_empty() {
        let mut incoming = Vec::new();
        for entry in message.changes.iter() {
            incoming.extend(changes_in(entry)?);
        }
        let held: BTreeSet<ChangeHash> = incoming
            .iter()
            .map(Change::hash)
            .filter(|h| am.get_change_meta_by_hash(h).is_some())
            .collect();
        let metas: Vec<ChangeMeta> = incoming
            .iter()
            .map(|c| ChangeMeta::read(c, signed))
            .collect();
        let incoming_ops = metas.iter().map(|m| m.ops as u64).sum();
        let rules = Rules::for_doc(am, signed, incoming_ops);
        screened = screen(&metas, |h| held.contains(h), rules, signature_of, refused);
        // Applied here first: what is refused stays out, and a forged change (an author's
        // sequence number reused) is refused instead of failing them all. Where nothing was
        // refused the message keeps its changes (the sync protocol takes them again as held,
        // and keeps its own bookkeeping of what was received).
        let kept: Vec<Change> = incoming
            .into_iter()
            .filter(|c| {
                !screened.refused.changes.contains_key(&c.hash()) && !held.contains(&c.hash())
            })
            .collect();
        let forged = apply::apply_accepted(am, kept)?;
        screened.take_in(forged);
        if !screened.refused.is_empty() {
            message.changes = automerge::sync::ChunkList::empty();
            refused.extend(screened.refused.clone());
        }
    }
    message.heads = accepted_heads(am, &message.heads, refused)?;
    Ok(screened)
}

/// Screens a whole document a peer sent against what `ours` holds (`None`: new here;
/// `signed`: the index's rules too). When something is refused, `incoming` becomes a
/// document of only the accepted changes.
/// Returns what screening decided and the heads the sender holds as far as we accept them.
pub fn screen_whole(
    ours: Option<&mut AutoCommit>,
    signed: bool,
    incoming: &mut AutoCommit,
    signature_of: impl Fn(&ChangeHash) -> Option<Signature>,
    refused: &mut Refused,
) -> Result<(Screened, Vec<ChangeHash>)> {
    let mut ours = ours;
    let held: BTreeSet<ChangeHash> = match ours.as_deref_mut() {
        Some(am) => metas_of(incoming)
            .iter()
            .map(|m| m.hash)
            .filter(|h| am.get_change_meta_by_hash(h).is_some())
            .collect(),
        None => BTreeSet::new(),
    };
    // Only what is new here needs reading op by op (for the root rule).
    let metas: Vec<ChangeMeta> = incoming
        .get_changes(&[])
        .iter()
        .filter(|c| !held.contains(&c.hash()))
        .map(|c| ChangeMeta::read(c, signed))
        .collect();
    let incoming_ops = metas.iter().map(|m| m.ops as u64).sum();
    let rules = match ours {
        Some(am) => Rules::for_doc(am, signed, incoming_ops),
        None => Rules::for_doc(&mut crate::new_doc(), signed, incoming_ops),
    };
    let screened = screen(&metas, |h| held.contains(h), rules, signature_of, refused);
    let sent = incoming.get_heads();
    let now = &screened.refused;
    if now.is_empty() {
        return Ok((screened, sent));
    }
    refused.extend(now.clone());
    let kept: Vec<Change> = incoming
        .get_changes(&[])
        .into_iter()
        .filter(|c| !now.changes.contains_key(&c.hash()))
        .collect();
    let mut clean = crate::new_doc();
    clean.apply_changes(kept)?;
    let accepted = accepted_heads(&mut clean, &sent, refused)?;
    *incoming = clean;
    Ok((screened, accepted))
}

/// The heads a peer holds as far as we accept them: its claimed heads, each refused one
/// replaced by its nearest ancestors we accept, reduced to a true frontier of what `am`
/// holds. Heads neither held nor refused (changes still on their way) stay as claimed.
pub fn accepted_heads(
    am: &mut AutoCommit,
    claimed: &[ChangeHash],
    refused: &Refused,
) -> Result<Vec<ChangeHash>> {
    if !claimed.iter().any(|h| refused.changes.contains_key(h)) {
        return Ok(claimed.to_vec());
    }
    let mut work: Vec<ChangeHash> = claimed.to_vec();
    let mut seen = BTreeSet::new();
    let (mut held, mut elsewhere) = (Vec::new(), BTreeSet::new());
    while let Some(h) = work.pop() {
        if !seen.insert(h) {
            continue;
        }
        if let Some((deps, _)) = refused.changes.get(&h) {
            work.extend(deps.iter().copied());
        } else if am.get_change_meta_by_hash(&h).is_some() {
            held.push(h);
        } else {
            elsewhere.insert(h);
        }
    }
    let mut heads: BTreeSet<ChangeHash> = if held.is_empty() {
        BTreeSet::new()
    } else {
        am.fork_at(&held)?.get_heads().into_iter().collect()
    };
    heads.extend(elsewhere);
    Ok(heads.into_iter().collect())
}

#[cfg(test)]
mod tests;
