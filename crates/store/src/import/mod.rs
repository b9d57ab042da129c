//! Bringing documents from elsewhere (an Automerge export) into the store as a notebook:
//! every document is checked first, then all are written in one transaction.

mod manifest;

pub use manifest::{ExportFolder, read_export};

use crate::chunks::{SNAPSHOT, append_chunk, register_doc};
use crate::error::{Result, StoreError};
use crate::store::Store;
use stones_doc::{DocId, DocKind, NotebookId};

/// Imports an Automerge export folder as a notebook; returns its id.
pub fn import_folder(store: &Store, dir: &std::path::Path) -> Result<NotebookId> {
    let folder = read_export(dir)?;
    import_notebook(store, folder.notebook, &folder.docs)?;
    Ok(folder.notebook)
}

/// Adds a notebook's documents (full saves) to the store; refuses a notebook it already has.
pub fn import_notebook(
    store: &Store,
    notebook: NotebookId,
    docs: &[(DocId, DocKind, Vec<u8>)],
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
    for (d, _, bytes) in docs {
        stones_doc::load_doc(bytes).map_err(|e| StoreError::Corrupt {
            path: store.home().to_path_buf(),
            detail: format!("imported document {d}: {e}"),
        })?;
    }
    store.db().write(|tx| {
        for (d, kind, bytes) in docs {
            register_doc(tx, *d, notebook, *kind)?;
            append_chunk(tx, *d, SNAPSHOT, bytes)?;
        }
        Ok(())
    })
}
