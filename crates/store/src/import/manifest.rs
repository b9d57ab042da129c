//! Reading an Automerge export folder (`manifest.json` and the files it names), checking
//! every field and path before anything reaches the store.

use crate::error::{Result, StoreError, io};
use crate::export::MANIFEST_FORMAT;
use crate::export::files::is_plain_relative;
use std::path::Path;
use stones_doc::automerge::ChangeHash;
use stones_doc::signed::Signature;
use stones_doc::{DocId, DocKind, NotebookId};

/// An export folder, read and checked.
#[derive(Debug)]
pub struct ExportFolder {
    /// The notebook it holds.
    pub notebook: NotebookId,
    /// Its documents (id, kind, full save bytes).
    pub docs: Vec<(DocId, DocKind, Vec<u8>)>,
    /// The index changes' signatures, if the export kept history.
    pub signatures: Vec<(ChangeHash, Signature)>,
}

/// Reads `dir/manifest.json` and every document it names.
pub fn read_export(dir: &Path) -> Result<ExportFolder> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        StoreError::Import(format!(
            "{} is not an Automerge export (no readable manifest.json: {e})",
            dir.display()
        ))
    })?;
    let bad = |what: &str| StoreError::Import(format!("{}: {what}", manifest_path.display()));
    let m: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(&format!("not valid JSON ({e})")))?;
    if m["format"] != MANIFEST_FORMAT {
        return Err(bad("not a Stepping Stones Automerge export"));
    }
    if m["version"].as_u64() != Some(1) {
        return Err(bad(
            "an export version this build cannot read (it reads version 1)",
        ));
    }
    let notebook = NotebookId::from_hex(m["notebook"]["id"].as_str().unwrap_or_default())
        .map_err(|e| bad(&format!("notebook id: {e}")))?;
    let mut docs = Vec::new();
    for d in m["documents"]
        .as_array()
        .ok_or_else(|| bad("no documents list"))?
    {
        let id = DocId::from_hex(d["id"].as_str().unwrap_or_default())
            .map_err(|e| bad(&format!("document id: {e}")))?;
        let kind = match d["kind"].as_str() {
            Some("index") => DocKind::Index,
            Some("session") => DocKind::Session,
            _ => return Err(bad(&format!("document {id}: unknown kind"))),
        };
        let file = d["file"]
            .as_str()
            .ok_or_else(|| bad(&format!("document {id}: no file")))?;
        if !is_plain_relative(file) {
            return Err(bad(&format!(
                "document {id}: file {file:?} is outside the export"
            )));
        }
        let path = dir.join(file);
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        docs.push((id, kind, bytes));
    }
    let signatures = match m["index_signatures"].as_str() {
        None => Vec::new(),
        Some(file) if !is_plain_relative(file) => {
            return Err(bad(&format!(
                "signatures file {file:?} is outside the export"
            )));
        }
        Some(file) => {
            let path = dir.join(file);
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            if bytes.len() % 96 != 0 {
                return Err(bad(&format!(
                    "{file}: {} bytes, not whole signatures of 96",
                    bytes.len()
                )));
            }
            bytes
                .chunks_exact(96)
                .filter_map(|c| {
                    let hash: [u8; 32] = c[..32].try_into().ok()?;
                    let sig: Signature = c[32..].try_into().ok()?;
                    Some((ChangeHash(hash), sig))
                })
                .collect()
        }
    };
    Ok(ExportFolder {
        notebook,
        docs,
        signatures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(dir: &Path, file: &str) {
        let m = serde_json::json!({
            "format": MANIFEST_FORMAT, "version": 1,
            "notebook": {"id": NotebookId::random().to_hex()},
            "documents": [{"id": DocId::random().to_hex(), "kind": "index", "file": file}],
        });
        std::fs::write(dir.join("manifest.json"), m.to_string()).unwrap();
    }

    #[test]
    fn a_manifest_naming_a_file_outside_the_export_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        manifest(dir.path(), "../../etc/passwd");
        let err = read_export(dir.path()).unwrap_err().to_string();
        assert!(err.contains("outside the export"), "{err}");
    }

    #[test]
    fn a_folder_without_a_manifest_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_export(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not an Automerge export"), "{err}");
    }
}
