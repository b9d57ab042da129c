//! `stones export`: builds the export model from the notebook (loading sessions one by one,
//! with a progress bar on a terminal) and writes the chosen format. Never writes outside
//! the target, never overwrites without `--force`.

use super::{Env, open};
use crate::args::ExportArgs;
use anyhow::{Context, Result, bail};
use std::io::{IsTerminal, Write};
use std::path::{Component, Path};
use stones_doc::export::{self, ExportModel, ExportOptions};
use stones_doc::{Date, DocKind};
use stones_store::{Notebook, Store, Target};

/// What an export folder may hold from an earlier export (removed under `--force`).
const EXPORT_ENTRIES: &[&str] = &[
    "README.md",
    "questions.md",
    "learnings.md",
    "sessions",
    "manifest.json",
    "index.automerge",
];

pub fn export(env: &Env, a: &ExportArgs) -> Result<()> {
    let format = a.format.as_str();
    if !matches!(format, "markdown" | "html" | "json" | "automerge") {
        bail!("unknown format {format:?}: use markdown, html, json or automerge");
    }
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    let view = nb.view();
    let sessions = a
        .session
        .iter()
        .map(|s| crate::resolve::session(&view, s))
        .collect::<Result<Vec<_>>>()?;
    let date = |d: &Option<String>| -> Result<Option<Date>> {
        d.as_deref()
            .map(|d| d.parse::<Date>().with_context(|| format!("date {d:?}")))
            .transpose()
    };
    let opts = ExportOptions {
        include_group: a.include_group,
        sessions: (!sessions.is_empty()).then_some(sessions),
        from: date(&a.from)?,
        to: date(&a.to)?,
    };
    let model = build(&mut nb, &opts)?;
    match format {
        "markdown" => {
            prepare_folder(&a.out, a.force)?;
            for (rel, text) in export::markdown(&model) {
                write_inside(&a.out, &rel, text.as_bytes())?;
            }
        }
        "html" => write_file(&a.out, export::html(&model).as_bytes(), a.force)?,
        "json" => write_file(&a.out, export::json(&model).as_bytes(), a.force)?,
        _ => {
            prepare_folder(&a.out, a.force)?;
            automerge(&mut nb, &model, &opts, &a.out)?;
        }
    }
    eprintln!(
        "exported {} session(s) to {}. {}",
        model.sessions.len(),
        a.out.display(),
        model.left_out.sentence(model.include_group)
    );
    Ok(())
}

/// Loads the chosen sessions (a progress bar on a terminal) and builds the model.
fn build(nb: &mut Notebook, opts: &ExportOptions) -> Result<ExportModel> {
    let view = nb.view();
    let wanted: Vec<_> = view
        .sessions
        .iter()
        .filter(|s| opts.wants(s))
        .cloned()
        .collect();
    let bar = std::io::stderr().is_terminal() && wanted.len() > 20;
    let mut loaded = Vec::with_capacity(wanted.len());
    for (i, entry) in wanted.iter().enumerate() {
        match nb.session(entry.id) {
            Ok(s) => loaded.push((entry.clone(), s)),
            Err(e) => eprintln!(
                "stones: session {} ({}) left out: {e}",
                entry.date, entry.id
            ),
        }
        if bar {
            let done = (i + 1) * 30 / wanted.len();
            eprint!(
                "\rexporting [{}{}] {}/{}",
                "#".repeat(done),
                " ".repeat(30 - done),
                i + 1,
                wanted.len()
            );
            let _ = std::io::stderr().flush();
        }
    }
    if bar {
        eprintln!();
    }
    let loaded: Vec<_> = loaded.into_iter().map(|(e, v)| (e, (*v).clone())).collect();
    Ok(ExportModel::build(&view, &loaded, opts))
}

/// The Automerge export: the documents as they are (with history) when everything is
/// included, else rebuilt from the filtered model (no history, no left-out entry anywhere).
fn automerge(nb: &mut Notebook, m: &ExportModel, opts: &ExportOptions, out: &Path) -> Result<()> {
    let raw = opts.include_group && !opts.filtered();
    let nb_id = nb.id();
    let actor = stones_doc::automerge::ActorId::random();
    let now = Store::now_ms();
    let index = if raw {
        nb.am_of(Target::Index)?.clone().save()
    } else {
        export::rebuild_index(&m.notebook, nb_id, &m.left_out, actor.clone(), now)?.save()
    };
    let index_doc = nb_index_doc(nb)?;
    write_inside(out, "index.automerge", &index)?;
    let mut docs = vec![serde_json::json!({
        "id": index_doc.to_hex(), "kind": "index", "session": null, "file": "index.automerge",
    })];
    for s in &m.sessions {
        let bytes = if raw {
            nb.am_of(Target::Session(s.entry.id))?.clone().save()
        } else {
            export::rebuild_session(s.entry.id, &s.view, actor.clone(), now)?.save()
        };
        let file = format!("sessions/{}.automerge", s.entry.doc.to_hex());
        write_inside(out, &file, &bytes)?;
        docs.push(serde_json::json!({
            "id": s.entry.doc.to_hex(), "kind": "session", "session": s.entry.id.to_hex(), "file": file,
        }));
    }
    let manifest = serde_json::json!({
        "format": crate::commands::import::MANIFEST_FORMAT,
        "version": 1,
        "notebook": {"id": nb_id.to_hex(), "title": m.notebook.title},
        "include_group": m.include_group,
        "history": if raw { "kept" } else { "dropped: rebuilt from the exported content" },
        "left_out": {"turns": m.left_out.turns, "reflections": m.left_out.reflections, "stories": m.left_out.stories},
        "documents": docs,
    });
    let text = serde_json::to_string_pretty(&manifest)? + "\n";
    write_inside(out, "manifest.json", text.as_bytes())
}

fn nb_index_doc(nb: &Notebook) -> Result<stones_doc::DocId> {
    let id = nb.id();
    nb.store()
        .db()
        .docs()?
        .into_iter()
        .find(|(_, n, k)| *n == id && *k == DocKind::Index)
        .map(|(d, _, _)| d)
        .context("the notebook's index document is missing")
}

/// Makes sure `dir` is a folder we may write into: new, empty, or (with --force) one that
/// holds an earlier export, whose files are removed first.
fn prepare_folder(dir: &Path, force: bool) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let non_empty = std::fs::read_dir(dir)?.next().is_some();
        if non_empty && !force {
            bail!(
                "{} is not empty: choose an empty folder, or add --force to replace an earlier export there",
                dir.display()
            );
        }
        for entry in EXPORT_ENTRIES {
            let p = dir.join(entry);
            if p.is_dir() {
                std::fs::remove_dir_all(&p)?;
            } else if p.exists() {
                std::fs::remove_file(&p)?;
            }
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(())
}

/// Writes `rel` (a relative path of plain names) under `dir`, refusing anything that could
/// step outside it.
fn write_inside(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let rel = Path::new(rel);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        bail!(
            "refusing to write {} outside the export folder",
            rel.display()
        );
    }
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    if path.is_dir() {
        bail!(
            "{} is a folder: give a file name for this format",
            path.display()
        );
    }
    if path.exists() && !force {
        bail!("{} exists: add --force to replace it", path.display());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}
