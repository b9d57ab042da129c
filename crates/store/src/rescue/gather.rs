//! Reading every document a store file still holds, for `check` and `rescue`: through redb
//! (read only: a damaged file is never written to) when it opens and its tables read, else
//! page by page (`salvage`). Then each document is put together from its chunks, every
//! chunk checked on its own, so one bad chunk spoils only what it held.

use crate::chunks::SNAPSHOT;
use crate::db::{CHUNKS, DOCS, SIGNATURES};
use crate::error::{Result, io};
use crate::salvage::{self, Found};
use redb::{ReadableDatabase, ReadableTable};
use std::collections::BTreeMap;
use std::path::Path;
use stones_doc::automerge::AutoCommit;
use stones_doc::{DocId, DocKind, NotebookId};

/// How the documents were read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// redb opened the file and read its tables.
    Tables,
    /// The file was not closed cleanly (a process killed while it wrote, the machine
    /// stopped): redb needs to repair it, which the next command does on opening. Read from
    /// a repaired copy; the file itself was not written to.
    Repaired,
    /// redb could not (the reason): the file's pages were read one by one.
    Pages(String),
}

/// One document as far as it could be put together.
#[derive(Debug)]
pub struct Assembled {
    /// Its id.
    pub doc: DocId,
    /// The notebook it belongs to, as registered or as its content says.
    pub notebook: Option<NotebookId>,
    /// Index or session, as registered or as its schema tag says.
    pub kind: Option<DocKind>,
    /// What loaded (`None`: nothing of it could be read).
    pub am: Option<AutoCommit>,
    /// How many chunks (versions included) were found.
    pub chunks: usize,
    /// What is damaged in it: chunk sequence number (0: the document as a whole) and why.
    pub damaged: Vec<(u64, String)>,
}

/// Every document the file at `file` still holds, and how they were read.
pub fn gather(file: &Path) -> Result<(Found, Source)> {
    if !file.is_file() {
        return Err(io(file)(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "there is no store file here",
        )));
    }
    let builder = {
        let mut b = redb::Builder::new();
        b.set_concurrency_mode(redb::ConcurrencyMode::MultiWriter);
        b
    };
    let read = match builder.open_read_only(file) {
        // A read-only open reads only the pages it needs: a file cut short after its last
        // live page still opens read only, while the product's own (writable) open refuses
        // it ("File truncated below stored layout"). Check says what the product will meet.
        Ok(db) => opens_for_writing(&builder, file)
            .and_then(|()| from_tables(&db))
            .map(|found| (found, Source::Tables)),
        // A file a killed writer left needs redb's repair, which a read-only open cannot
        // make ("Database repair aborted"): repair a copy instead (issue 14's crash rounds
        // found every killed joiner's store called damaged). A file cut short fails the
        // repair too, and is read page by page.
        Err(redb::DatabaseError::RepairAborted) => from_repaired_copy(&builder, file)
            .map(|found| (found, Source::Repaired))
            .map_err(|e| {
                format!(
                    "{} (and a repaired copy: {e})",
                    redb::DatabaseError::RepairAborted
                )
            }),
        Err(e) => Err(e.to_string()),
    };
    match read {
        Ok(read) => Ok(read),
        Err(why) => {
            let bytes = std::fs::read(file).map_err(io(file))?;
            Ok((salvage::scan(&bytes), Source::Pages(why)))
        }
    }
}

/// Whether the product's writable open accepts the file, tried on a private copy (the file
/// itself is never written to).
fn opens_for_writing(builder: &redb::Builder, file: &Path) -> Result<(), String> {
    let copy = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    std::fs::copy(file, copy.path()).map_err(|e| e.to_string())?;
    builder
        .open(copy.path())
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Copies the file to a private temporary file, lets redb repair the copy, reads it.
fn from_repaired_copy(builder: &redb::Builder, file: &Path) -> Result<Found, String> {
    let copy = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    std::fs::copy(file, copy.path()).map_err(|e| e.to_string())?;
    let db = builder.open(copy.path()).map_err(|e| e.to_string())?;
    from_tables(&db)
}

fn from_tables(db: &impl ReadableDatabase) -> Result<Found, String> {
    let tx = db.begin_read().map_err(|e| e.to_string())?;
    let mut found = Found::default();
    let docs = tx.open_table(DOCS).map_err(|e| e.to_string())?;
    for row in docs.iter().map_err(|e| e.to_string())? {
        let (k, v) = row.map_err(|e| e.to_string())?;
        let v = v.value();
        if let (Some(nb), Some(kind)) =
            (v.get(..16), v.get(16).and_then(|c| DocKind::from_code(*c)))
        {
            let mut id = [0u8; 16];
            id.copy_from_slice(nb);
            found
                .registered
                .insert(DocId(k.value()), (NotebookId(id), kind));
        }
    }
    // One pass over every chunk row: the stored value is already kind byte + bytes.
    let chunks = tx.open_table(CHUNKS).map_err(|e| e.to_string())?;
    for row in chunks.iter().map_err(|e| e.to_string())? {
        let (k, v) = row.map_err(|e| e.to_string())?;
        let (doc, seq) = k.value();
        found.add_chunk(DocId(doc), seq, v.value());
    }
    let sigs = tx.open_table(SIGNATURES).map_err(|e| e.to_string())?;
    for row in sigs.iter().map_err(|e| e.to_string())? {
        let (k, v) = row.map_err(|e| e.to_string())?;
        let (doc, hash) = k.value();
        found
            .signatures
            .insert((DocId(doc), hash), v.value().to_vec());
    }
    Ok(found)
}

/// Puts every document found together, and every registered one that has no chunk left
/// (as nothing read).
pub fn assemble(found: &Found) -> Vec<Assembled> {
    let mut out: Vec<Assembled> = found
        .chunks
        .iter()
        .map(|(doc, by_seq)| assemble_one(*doc, by_seq, found.registered.get(doc)))
        .collect();
    for (doc, (nb, kind)) in &found.registered {
        if !found.chunks.contains_key(doc) {
            out.push(Assembled {
                doc: *doc,
                notebook: Some(*nb),
                kind: Some(*kind),
                am: None,
                chunks: 0,
                damaged: vec![(0, "none of its chunks is left".into())],
            });
        }
    }
    place_sessions(&mut out);
    out
}

fn assemble_one(
    doc: DocId,
    by_seq: &BTreeMap<u64, Vec<Vec<u8>>>,
    registered: Option<&(NotebookId, DocKind)>,
) -> Assembled {
    let mut am = stones_doc::new_doc();
    let mut damaged = Vec::new();
    let mut chunks = 0;
    for (seq, versions) in by_seq {
        for value in versions {
            chunks += 1;
            let Some((kind, bytes)) = value.split_first() else {
                damaged.push((*seq, "an empty chunk".into()));
                continue;
            };
            let sound = if *kind == SNAPSHOT {
                stones_doc::load_doc(bytes).map(|_| ())
            } else {
                stones_doc::check_chunk(bytes)
            };
            let loaded = sound.map_err(|e| e.to_string()).and_then(|()| {
                stones_doc::guard::guarded("automerge chunk", || Ok(am.load_incremental(bytes)?))
                    .map_err(|e| e.to_string())
            });
            if let Err(e) = loaded {
                damaged.push((*seq, e));
            }
        }
    }
    let missing = am.get_missing_deps(&[]);
    if !missing.is_empty() {
        damaged.push((
            0,
            format!(
                "some changes wait for {} earlier changes that are lost",
                missing.len()
            ),
        ));
    }
    let read_kind = [DocKind::Index, DocKind::Session]
        .into_iter()
        .find(|k| stones_doc::schema::check_kind(&am, *k).is_ok());
    let kind = registered.map(|(_, k)| *k).or(read_kind);
    if let (Some(reg), Some(read)) = (registered.map(|(_, k)| *k), read_kind)
        && reg != read
    {
        damaged.push((0, format!("registered as {reg:?} but it reads as {read:?}")));
    }
    let notebook = registered.map(|(nb, _)| *nb).or_else(|| {
        (read_kind == Some(DocKind::Index))
            .then(|| NotebookId::from_hex(&stones_doc::index::read_view(&am).notebook_id).ok())
            .flatten()
    });
    let empty = am.get_heads().is_empty();
    Assembled {
        doc,
        notebook,
        kind,
        am: (!empty).then_some(am),
        chunks,
        damaged,
    }
}

/// Sessions whose registration was lost belong to the notebook whose index lists them.
fn place_sessions(docs: &mut [Assembled]) {
    let mut listed: BTreeMap<DocId, NotebookId> = BTreeMap::new();
    for d in docs.iter() {
        if let (Some(DocKind::Index), Some(nb), Some(am)) = (d.kind, d.notebook, &d.am) {
            for s in stones_doc::index::read_view(am).sessions {
                listed.insert(s.doc, nb);
            }
        }
    }
    for d in docs.iter_mut().filter(|d| d.notebook.is_none()) {
        d.notebook = listed.get(&d.doc).copied();
    }
}
