//! Taking in what screening let through, so that one forged change cannot make automerge
//! refuse the whole batch: a change that reuses an author and sequence number another
//! change holds (here, or earlier in the same batch — only a forged change does) makes
//! `apply_changes` fail for every change with it, and the connection with it. Such a change
//! is refused instead, with what builds on it in the batch, and the rest is applied.
//! Honest batches take automerge's one call; only a forged one pays for a retry per
//! forgery.

use super::{Refused, Unsigned};
use crate::error::Result;
use automerge::{ActorId, AutoCommit, AutomergeError, Change};

/// Applies `changes` to `am`; a change automerge refuses for its (author, sequence number)
/// is refused (and what builds on it), and what it refused returned.
pub fn apply_accepted(am: &mut AutoCommit, mut changes: Vec<Change>) -> Result<Refused> {
    let mut refused = Refused::default();
    loop {
        let (actor, seq) = match am.apply_changes(changes.clone()) {
            Ok(()) => return Ok(refused),
            Err(AutomergeError::DuplicateSeqNumber(seq, actor))
            | Err(AutomergeError::DuplicateAuthor(_, actor, seq)) => (actor, seq),
            Err(e) => return Err(e.into()),
        };
        let Some(at) = forged_at(&changes, &actor, seq) else {
            // Not one of ours to refuse (automerge's own queue): nothing else to do.
            return Err(AutomergeError::DuplicateSeqNumber(seq, actor).into());
        };
        let c = changes.remove(at);
        refused
            .changes
            .insert(c.hash(), (c.deps().to_vec(), Unsigned::ReusesSequence));
        // What builds on it goes with it.
        loop {
            let before = changes.len();
            changes.retain(|c| {
                let builds = c.deps().iter().any(|d| refused.changes.contains_key(d));
                if builds {
                    refused
                        .changes
                        .insert(c.hash(), (c.deps().to_vec(), Unsigned::BuildsOnRefused));
                }
                !builds
            });
            if changes.len() == before {
                break;
            }
        }
    }
}

/// Which change automerge stopped at: the one with that author and sequence number (the
/// later of two in the batch: automerge takes the first and stops at the second).
fn forged_at(changes: &[Change], actor: &ActorId, seq: u64) -> Option<usize> {
    changes
        .iter()
        .rposition(|c| c.actor_id() == actor && c.seq() == seq)
}

/// Merges what `incoming` holds that `am` does not (a whole document a peer sent), refusing
/// forged changes as [`apply_accepted`] does.
pub fn merge_accepted(am: &mut AutoCommit, incoming: &mut AutoCommit) -> Result<Refused> {
    let changes = am.get_changes_added(incoming);
    apply_accepted(am, changes)
}
