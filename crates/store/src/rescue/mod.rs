//! Checking and rescuing a store: `check` reads every document and chunk of a home's store
//! file without writing to it and says which are damaged; `rescue` copies every document
//! that can still be read (from redb's tables, or page by page when redb cannot open the
//! file) into a fresh store in another folder, with the same device identity, and leaves
//! the damaged file as it was. A document that belongs to no notebook it could place is
//! written beside the new store as an automerge file, so nothing readable is thrown away.

mod gather;

pub use gather::{Assembled, Source, assemble, gather};

use crate::error::{Result, StoreError, io};
use crate::home::{IDENTITY_FILE, STORE_FILE, has_store};
use crate::store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use stones_doc::automerge::ChangeHash;
use stones_doc::{DocId, DocKind, NotebookId};

/// The folder, beside a rescued store, for documents no notebook could take.
pub const UNPLACED: &str = "unplaced";

/// One document's health.
#[derive(Clone, Debug)]
pub struct DocHealth {
    /// Its id.
    pub doc: DocId,
    /// Its notebook, if known.
    pub notebook: Option<NotebookId>,
    /// What it is, in words ("the index of …", "the session of 2026-03-01 …").
    pub what: String,
    /// Chunks found (older versions included when read page by page).
    pub chunks: usize,
    /// Damaged chunks (0: the document as a whole) and why.
    pub damaged: Vec<(u64, String)>,
    /// Whether any of it could be read.
    pub readable: bool,
}

/// What `check` found.
#[derive(Clone, Debug)]
pub struct Report {
    /// The store file.
    pub file: PathBuf,
    /// How it was read.
    pub source: Source,
    /// Every document, in id order.
    pub docs: Vec<DocHealth>,
}

impl Report {
    /// Whether the file opened (repaired, if a writer was killed) and every document and
    /// chunk is sound.
    pub fn is_sound(&self) -> bool {
        matches!(self.source, Source::Tables | Source::Repaired)
            && self.docs.iter().all(|d| d.damaged.is_empty())
    }

    /// The damaged documents.
    pub fn damaged(&self) -> impl Iterator<Item = &DocHealth> {
        self.docs.iter().filter(|d| !d.damaged.is_empty())
    }
}

/// Reads every document and chunk of `home`'s store, writing nothing.
pub fn check(home: &Path) -> Result<Report> {
    let file = home.join(STORE_FILE);
    let (found, source) = gather(&file)?;
    Ok(check_report(file, source, &assemble(&found)))
}

/// One notebook put into the fresh store.
#[derive(Clone, Debug)]
pub struct RescuedNotebook {
    /// Its id.
    pub id: NotebookId,
    /// Its title.
    pub title: String,
    /// Sessions whose documents were rescued.
    pub sessions: usize,
    /// Sessions its index lists whose documents were not (a sync with the group brings
    /// them back): their words.
    pub not_rescued: Vec<String>,
}

/// What `rescue` did.
#[derive(Clone, Debug)]
pub struct Rescued {
    /// The check of the old store it read.
    pub report: Report,
    /// Notebooks in the new store.
    pub notebooks: Vec<RescuedNotebook>,
    /// Documents written as files under `unplaced/` instead (no notebook could take them).
    pub unplaced: Vec<PathBuf>,
}

/// Copies everything readable in `from`'s store into a fresh store at `to` (which must not
/// hold one), with `from`'s identity; `from` is left untouched.
pub fn rescue(from: &Path, to: &Path) -> Result<Rescued> {
    if has_store(to) {
        return Err(StoreError::Import(format!(
            "{} already holds a store: rescue into a new folder",
            to.display()
        )));
    }
    let file = from.join(STORE_FILE);
    let (found, source) = gather(&file)?;
    let docs = assemble(&found);
    crate::privacy::create_private_dir(to)?;
    let identity = from.join(IDENTITY_FILE);
    if identity.is_file() {
        let copy = to.join(IDENTITY_FILE);
        std::fs::copy(&identity, &copy).map_err(io(&copy))?;
        crate::privacy::private_file(&copy)?;
    }
    let store = Store::open_or_create(to)?;
    let mut by_notebook: BTreeMap<NotebookId, Vec<&Assembled>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for d in &docs {
        match (d.notebook, d.kind, &d.am) {
            (Some(nb), Some(_), Some(_)) => by_notebook.entry(nb).or_default().push(d),
            (_, _, Some(_)) => unplaced.push(d),
            _ => {}
        }
    }
    let mut notebooks = Vec::new();
    for (nb, members) in by_notebook {
        match import_one(&store, nb, &members, &found.signatures) {
            Ok(done) => notebooks.push(done),
            Err(e) => {
                tracing::warn!("notebook {nb} could not be rescued as a notebook: {e}");
                unplaced.extend(members);
            }
        }
    }
    drop(store);
    let unplaced = write_unplaced(to, &unplaced)?;
    let report = check_report(file, source, &docs);
    Ok(Rescued {
        report,
        notebooks,
        unplaced,
    })
}

fn import_one(
    store: &Store,
    nb: NotebookId,
    members: &[&Assembled],
    signatures: &BTreeMap<(DocId, [u8; 32]), Vec<u8>>,
) -> Result<RescuedNotebook> {
    let index = members
        .iter()
        .find(|d| d.kind == Some(DocKind::Index))
        .and_then(|d| d.am.as_ref())
        .ok_or_else(|| StoreError::Import(format!("the index of notebook {nb} is lost")))?;
    let view = stones_doc::index::read_view(index);
    let mut docs = Vec::new();
    for d in members {
        if let (Some(kind), Some(am)) = (d.kind, &d.am) {
            docs.push((d.doc, kind, am.clone().save()));
        }
    }
    let sigs: Vec<(ChangeHash, stones_doc::signed::Signature)> = signatures
        .iter()
        .filter(|((doc, _), _)| members.iter().any(|m| m.doc == *doc))
        .filter_map(|((_, hash), sig)| Some((ChangeHash(*hash), sig.as_slice().try_into().ok()?)))
        .collect();
    crate::import::import_notebook(store, nb, &docs, &sigs)?;
    let have: Vec<DocId> = members.iter().map(|d| d.doc).collect();
    let not_rescued = view
        .sessions
        .iter()
        .filter(|s| !have.contains(&s.doc))
        .map(session_words)
        .collect();
    Ok(RescuedNotebook {
        id: nb,
        title: view.title,
        sessions: members
            .iter()
            .filter(|d| d.kind == Some(DocKind::Session))
            .count(),
        not_rescued,
    })
}

fn write_unplaced(to: &Path, docs: &[&Assembled]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if docs.is_empty() {
        return Ok(out);
    }
    let dir = to.join(UNPLACED);
    crate::privacy::create_private_dir(&dir)?;
    for d in docs {
        if let Some(am) = &d.am {
            let path = dir.join(format!("{}.automerge", d.doc));
            std::fs::write(&path, am.clone().save()).map_err(io(&path))?;
            crate::privacy::private_file(&path)?;
            out.push(path);
        }
    }
    Ok(out)
}

fn check_report(file: PathBuf, source: Source, docs: &[Assembled]) -> Report {
    let names = names(docs);
    Report {
        docs: docs
            .iter()
            .map(|d| DocHealth {
                doc: d.doc,
                notebook: d.notebook,
                what: names.get(&d.doc).cloned().unwrap_or_else(|| unnamed(d)),
                chunks: d.chunks,
                damaged: d.damaged.clone(),
                readable: d.am.is_some(),
            })
            .collect(),
        file,
        source,
    }
}

/// Each document's words, from the indexes that could be read.
fn names(docs: &[Assembled]) -> BTreeMap<DocId, String> {
    let mut out = BTreeMap::new();
    for d in docs {
        if let (Some(DocKind::Index), Some(am)) = (d.kind, &d.am) {
            let view = stones_doc::index::read_view(am);
            out.insert(d.doc, format!("the index of {:?}", view.title));
            for s in &view.sessions {
                out.insert(s.doc, session_words(s));
            }
        }
    }
    out
}

fn session_words(s: &stones_doc::SessionEntry) -> String {
    if s.title.is_empty() {
        format!("the session of {} ({})", s.date, s.kind)
    } else {
        format!("the session of {} ({}, {:?})", s.date, s.kind, s.title)
    }
}

fn unnamed(d: &Assembled) -> String {
    match d.kind {
        Some(DocKind::Index) => format!("an index, document {}", d.doc),
        Some(DocKind::Session) => format!("a session no readable index lists, document {}", d.doc),
        None => format!("document {} (not readable as a notebook's)", d.doc),
    }
}
