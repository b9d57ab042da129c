//! `stones import PATH`: brings an Automerge export (manifest + documents) back as a
//! notebook on this device. Every file is checked before anything is written.

use super::Env;
use anyhow::{Context, Result, bail};
use std::path::{Component, Path};
use stones_doc::{DocId, DocKind, NotebookId};
use stones_store::Store;

/// The `format` field of an Automerge export's manifest.
pub const MANIFEST_FORMAT: &str = "stepping-stones-automerge";

pub fn import(env: &Env, dir: &Path) -> Result<()> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).with_context(|| {
        format!(
            "{} is not an Automerge export (no manifest.json)",
            dir.display()
        )
    })?;
    let m: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", manifest_path.display()))?;
    let bad = |what: &str| anyhow::anyhow!("{}: {what}", manifest_path.display());
    if m["format"] != MANIFEST_FORMAT {
        bail!(bad("not a Stepping Stones Automerge export"));
    }
    if m["version"].as_u64() != Some(1) {
        bail!(bad(
            "an export version this build cannot read (it reads version 1)"
        ));
    }
    let nb = NotebookId::from_hex(m["notebook"]["id"].as_str().unwrap_or_default())
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
            _ => bail!(bad(&format!("document {id}: unknown kind"))),
        };
        let file = d["file"]
            .as_str()
            .ok_or_else(|| bad(&format!("document {id}: no file")))?;
        if !Path::new(file)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            bail!(bad(&format!(
                "document {id}: file {file:?} is outside the export"
            )));
        }
        let bytes = std::fs::read(dir.join(file))
            .with_context(|| format!("cannot read {}", dir.join(file).display()))?;
        docs.push((id, kind, bytes));
    }
    let store = Store::open_or_create(&env.home)
        .with_context(|| format!("cannot open a store in {}", env.home.display()))?;
    stones_store::import::import_notebook(&store, nb, &docs)?;
    println!("{nb}");
    Ok(())
}
