//! The replica's signatures of index changes: held in memory per document (read from the
//! store the first time a document needs them), this device's own made on demand, those
//! accepted from peers written at the next flush; and the changes refused per document, so
//! a peer's claim to hold them never counts as something we lack.

use super::EngineReplica;
use crate::core::signing;
use crate::error::Result;
use crate::wire::SignedHash;
use std::collections::BTreeMap;
use stones_doc::DocId;
use stones_doc::automerge::ChangeHash;
use stones_doc::signed::{Refused, Signature};

/// Signatures held, by change.
pub(super) type Held = BTreeMap<ChangeHash, Signature>;

impl EngineReplica {
    /// Takes a document's held signatures out (put them back with
    /// [`EngineReplica::put_back_signatures`]), reading them from the store the first time.
    pub(super) fn take_signatures(&mut self, doc: DocId) -> Result<Held> {
        if let Some(held) = self.signatures.remove(&doc) {
            return Ok(held);
        }
        Ok(self.store.db().signatures(doc)?.into_iter().collect())
    }

    /// Puts a document's signatures back, with `new` ones (made or accepted just now) also
    /// to be written at the next flush.
    pub(super) fn put_back_signatures(
        &mut self,
        doc: DocId,
        mut held: Held,
        new: Vec<(ChangeHash, Signature)>,
    ) {
        for (hash, sig) in new {
            if held.insert(hash, sig).is_none() {
                self.new_signatures.push((doc, hash, sig));
            }
        }
        self.signatures.insert(doc, held);
    }

    /// Keeps the signatures that came with the changes screening accepted.
    pub(super) fn keep_signatures(
        &mut self,
        doc: DocId,
        accepted: &[ChangeHash],
        sent: &[SignedHash],
    ) -> Result<()> {
        if accepted.is_empty() || sent.is_empty() {
            return Ok(()); // nothing to keep (a session document's changes are not signed)
        }
        let sent = signing::by_hash(sent);
        let new = accepted
            .iter()
            .filter_map(|h| Some((*h, *sent.get(h)?)))
            .collect();
        let held = self.take_signatures(doc)?;
        self.put_back_signatures(doc, held, new);
        Ok(())
    }

    /// The changes refused so far from a document (taken out; put back after screening).
    pub(super) fn take_refused(&mut self, doc: DocId) -> Refused {
        self.refused.remove(&doc).unwrap_or_default()
    }

    /// Puts a document's refused changes back, recording those `now` refused (written at
    /// the next flush).
    pub(super) fn put_back_refused(&mut self, doc: DocId, refused: Refused, now: Option<&Refused>) {
        if let Some(now) = now {
            for (hash, (_, why)) in &now.changes {
                self.new_refused.push((doc, *hash, why.to_string()));
            }
        }
        if !refused.is_empty() {
            self.refused.insert(doc, refused);
        }
    }
}
