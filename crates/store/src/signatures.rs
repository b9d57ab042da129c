//! Signatures of index changes, kept beside the document: (document, change hash) → the
//! ed25519 signature its author's device made (design: ARCHITECTURE.md, Membership). This
//! device signs its own changes on demand with its identity key; others' come with the
//! changes from peers, are checked by the sync layer, and are written with them. Changes the
//! sync layer refused are recorded too, with why, so `stones status` can count them.

use crate::db::{Db, REFUSED, SIGNATURES};
use crate::error::Result;
use crate::store::Store;
use redb::WriteTransaction;
use stones_doc::DocId;
use stones_doc::automerge::ChangeHash;
use stones_doc::signed::Signature;

impl Db {
    /// The signature held for one change of a document, if any.
    pub fn signature(&self, doc: DocId, hash: &ChangeHash) -> Result<Option<Signature>> {
        let tx = self.read()?;
        let t = tx.open_table(SIGNATURES).map_err(|e| self.err(e))?;
        let v = t.get((doc.0, hash.0)).map_err(|e| self.err(e))?;
        Ok(v.and_then(|v| v.value().try_into().ok()))
    }

    /// Every signature held for a document's changes.
    pub fn signatures(&self, doc: DocId) -> Result<Vec<(ChangeHash, Signature)>> {
        let tx = self.read()?;
        let t = tx.open_table(SIGNATURES).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in t
            .range((doc.0, [0u8; 32])..=(doc.0, [0xffu8; 32]))
            .map_err(|e| self.err(e))?
        {
            let (k, v) = row.map_err(|e| self.err(e))?;
            if let Ok(sig) = Signature::try_from(v.value()) {
                out.push((ChangeHash(k.value().1), sig));
            }
        }
        Ok(out)
    }
}

impl Db {
    /// The changes of a document refused from peers, with why.
    pub fn refused_changes(&self, doc: DocId) -> Result<Vec<(ChangeHash, String)>> {
        let tx = self.read()?;
        let t = tx.open_table(REFUSED).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in t
            .range((doc.0, [0u8; 32])..=(doc.0, [0xffu8; 32]))
            .map_err(|e| self.err(e))?
        {
            let (k, v) = row.map_err(|e| self.err(e))?;
            out.push((ChangeHash(k.value().1), v.value().to_string()));
        }
        Ok(out)
    }
}

impl Store {
    /// This device's signature of a change hash.
    pub fn sign(&self, hash: &ChangeHash) -> Signature {
        stones_doc::signed::sign(&self.identity().secret_bytes(), hash)
    }

    /// Writes signatures in their own transaction (documents' bytes are unchanged, so no
    /// other process need re-read anything).
    pub fn put_signatures(&self, signatures: &[(DocId, ChangeHash, Signature)]) -> Result<()> {
        if signatures.is_empty() {
            return Ok(());
        }
        self.db().write_quiet(|tx| put_signatures(tx, signatures))
    }
}

/// Writes signatures inside a write transaction.
pub(crate) fn put_signatures(
    tx: &WriteTransaction,
    signatures: &[(DocId, ChangeHash, Signature)],
) -> Result<(), redb::Error> {
    let mut t = tx.open_table(SIGNATURES)?;
    for (doc, hash, sig) in signatures {
        t.insert((doc.0, hash.0), sig.as_slice())?;
    }
    Ok(())
}

/// Records refused changes inside a write transaction.
pub(crate) fn put_refused(
    tx: &WriteTransaction,
    refused: &[(DocId, ChangeHash, String)],
) -> Result<(), redb::Error> {
    let mut t = tx.open_table(REFUSED)?;
    for (doc, hash, why) in refused {
        t.insert((doc.0, hash.0), why.as_str())?;
    }
    Ok(())
}
