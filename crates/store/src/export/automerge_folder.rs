//! The Automerge export: the documents as they are (with their history) when everything is
//! included, else rebuilt from the filtered model (no history, so no left-out entry hides
//! anywhere), and a `manifest.json` naming each document for `import`.

use super::files::write_inside;
use crate::error::{Result, StoreError};
use crate::notebook::{Notebook, Target};
use crate::store::Store;
use std::path::Path;
use stones_doc::export::{self, ExportModel, ExportOptions};

/// The `format` field of an Automerge export's manifest.
pub const MANIFEST_FORMAT: &str = "stepping-stones-automerge";

/// The file of an export holding the index changes' signatures: 96 bytes each, a change
/// hash then its author device's signature of it.
pub const SIGNATURES_FILE: &str = "index.signatures";

/// Every signature of the index's changes this device holds, with this device's own made
/// now where none is kept yet.
fn index_signatures(nb: &mut Notebook) -> Result<Vec<u8>> {
    let store = nb.store().clone();
    let doc = nb.index_doc();
    let mut held: std::collections::BTreeMap<_, _> =
        store.db().signatures(doc)?.into_iter().collect();
    let me = store.device();
    for m in stones_doc::signed::metas_of(&mut nb.am_of(Target::Index)?.clone()) {
        if stones_doc::DeviceId::from_actor(&m.actor) == Some(me) {
            held.entry(m.hash).or_insert_with(|| store.sign(&m.hash));
        }
    }
    Ok(held
        .iter()
        .flat_map(|(h, sig)| h.0.iter().chain(sig.iter()).copied())
        .collect())
}

/// Writes the documents and the manifest into `out` (already prepared).
pub fn write(nb: &mut Notebook, m: &ExportModel, opts: &ExportOptions, out: &Path) -> Result<()> {
    let raw = opts.include_group && !opts.filtered();
    let nb_id = nb.id();
    let actor = stones_doc::automerge::ActorId::random();
    let now = Store::now_ms();
    let index = if raw {
        nb.am_of(Target::Index)?.clone().save()
    } else {
        export::rebuild_index(&m.notebook, nb_id, &m.left_out, actor.clone(), now)?.save()
    };
    write_inside(out, "index.automerge", &index, opts.readable_by_others)?;
    // With the history kept, the index changes' signatures go too (peers refuse unsigned
    // ones); a rebuilt index is new history, signed by nobody.
    let signatures = if raw {
        let sigs = index_signatures(nb)?;
        write_inside(out, SIGNATURES_FILE, &sigs, opts.readable_by_others)?;
        Some(SIGNATURES_FILE)
    } else {
        None
    };
    let mut docs = vec![serde_json::json!({
        "id": nb.index_doc().to_hex(), "kind": "index", "session": null, "file": "index.automerge",
    })];
    for s in &m.sessions {
        let bytes = if raw {
            nb.am_of(Target::Session(s.entry.id))?.clone().save()
        } else {
            export::rebuild_session(s.entry.id, &s.view, actor.clone(), now)?.save()
        };
        let file = format!("sessions/{}.automerge", s.entry.doc.to_hex());
        write_inside(out, &file, &bytes, opts.readable_by_others)?;
        docs.push(serde_json::json!({
            "id": s.entry.doc.to_hex(), "kind": "session", "session": s.entry.id.to_hex(), "file": file,
        }));
    }
    let manifest = serde_json::json!({
        "format": MANIFEST_FORMAT,
        "version": 1,
        "notebook": {"id": nb_id.to_hex(), "title": m.notebook.title},
        "include_group": m.include_group,
        "history": if raw { "kept" } else { "dropped: rebuilt from the exported content" },
        "index_signatures": signatures,
        "left_out": {"turns": m.left_out.turns, "reflections": m.left_out.reflections, "stories": m.left_out.stories},
        "documents": docs,
    });
    let text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| StoreError::Export(format!("manifest: {e}")))?
        + "\n";
    write_inside(
        out,
        "manifest.json",
        text.as_bytes(),
        opts.readable_by_others,
    )
}
