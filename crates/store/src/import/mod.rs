//! Bringing documents from elsewhere (an Automerge export) into the store as a notebook:
//! every document is checked first, then all are written in one transaction.

mod manifest;

pub use manifest::{ExportFolder, read_export};

use crate::chunks::{SNAPSHOT, append_chunk, register_doc};
use crate::error::{Result, StoreError};
use crate::store::Store;
use stones_doc::automerge::ChangeHash;
use stones_doc::signed::Signature;
use stones_doc::{DocId, DocKind, NotebookId};

/// Imports an Automerge export folder as a notebook; returns its id.
pub fn import_folder(store: &Store, dir: &std::path::Path) -> Result<NotebookId> {
    let folder = read_export(dir)?;
    import_notebook(store, folder.notebook, &folder.docs, &folder.signatures)?;
    Ok(folder.notebook)
}

/// Adds a notebook's documents (full saves) to the store, with the signatures of its index
/// changes (each kept only if it is its change's author's); refuses a notebook it already
/// has.
pub fn import_notebook(
    store: &Store,
    notebook: NotebookId,
    docs: &[(DocId, DocKind, Vec<u8>)],
    signatures: &[(ChangeHash, Signature)],
) -> Result<()> {
    let have = store.db().docs()?;
    if have.iter().any(|(_, nb, _)| *nb == notebook) {
        return Err(stones_doc::DocError::Invalid(format!(
            "this device already holds notebook {notebook}"
        ))
        .into());
    }
    if let Some((d, ..)) = docs
        .iter()
        .find(|(d, ..)| have.iter().any(|(h, ..)| h == d))
    {
        return Err(stones_doc::DocError::Invalid(format!(
            "document {d} is already in this store under another notebook"
        ))
        .into());
    }
    if docs.iter().filter(|(_, k, _)| *k == DocKind::Index).count() != 1 {
        return Err(stones_doc::DocError::Invalid(
            "an imported notebook needs exactly one index document".into(),
        )
        .into());
    }
    let mut checked = Vec::new();
    for (d, kind, bytes) in docs {
        let mut am = stones_doc::load_doc(bytes).map_err(|e| StoreError::Corrupt {
            path: store.home().to_path_buf(),
            detail: format!("imported document {d}: {e}"),
        })?;
        stones_doc::schema::check_kind(&am, *kind)
            .map_err(|e| StoreError::Import(format!("document {d}: {e}")))?;
        if *kind == DocKind::Index {
            checked = checked_signatures(*d, &mut am, signatures);
        }
    }
    store.db().write(|tx| {
        for (d, kind, bytes) in docs {
            register_doc(tx, *d, notebook, *kind)?;
            append_chunk(tx, *d, SNAPSHOT, bytes)?;
        }
        crate::signatures::put_signatures(tx, &checked)
    })
}

/// The signatures that are by their change's author, for changes the index holds.
fn checked_signatures(
    doc: DocId,
    am: &mut stones_doc::automerge::AutoCommit,
    signatures: &[(ChangeHash, Signature)],
) -> Vec<(DocId, ChangeHash, Signature)> {
    let by_hash: std::collections::BTreeMap<ChangeHash, Signature> =
        signatures.iter().copied().collect();
    stones_doc::signed::metas_of(am)
        .into_iter()
        .filter_map(|m| {
            let sig = by_hash.get(&m.hash)?;
            stones_doc::signed::check(&m.actor, &m.hash, Some(sig)).ok()?;
            Some((doc, m.hash, *sig))
        })
        .collect()
}
