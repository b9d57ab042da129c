//! The edit journal: every keystroke written at once to an append-only file per writer slot
//! (`writers/<slot>.journal`: one write per entry, made durable by the syncer thread within
//! about a millisecond, `journal_sync.rs` — a redb transaction cost four fsyncs and three
//! times a raw durable append, see ARCHITECTURE.md). A commit
//! records in its own redb transaction, per (slot, document), the last journal entry it
//! covers ("done marks"), so a replay after a crash skips what was committed even if the
//! file was never truncated. The file is emptied once every entry in it is covered.
//!
//! Entry: length (u32 LE) ‖ seq (u64 LE) ‖ first 8 bytes of blake3(seq ‖ body) ‖ body. A torn
//! or damaged tail (a crash mid-append, never acknowledged) ends the readable journal.

use crate::db::{Db, META};
use crate::error::{Result, StoreError, io};
use crate::home::WRITERS_DIR;
use redb::{ReadableTable, WriteTransaction};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use stones_doc::{DocId, JournalEdit};

const MAX_ENTRY: u32 = 16 << 20;
const HEADER: usize = 4 + 8 + 8;

/// The journal file of writer slot `slot`.
pub fn journal_path(home: &Path, slot: u8) -> PathBuf {
    home.join(WRITERS_DIR).join(format!("{slot}.journal"))
}

fn mark_key(slot: u8, doc: DocId) -> String {
    format!("journal-done/{slot:03}/{doc}")
}

fn checksum(seq: u64, body: &[u8]) -> [u8; 8] {
    let mut h = blake3::Hasher::new();
    h.update(&seq.to_le_bytes());
    h.update(body);
    let mut out = [0u8; 8];
    out.copy_from_slice(&h.finalize().as_bytes()[..8]);
    out
}

/// This process's journal: its slot's file, the next sequence number, and the documents
/// with entries no commit covers yet.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    state: Mutex<State>,
    syncer: crate::journal_sync::Syncer,
}

#[derive(Debug)]
struct State {
    file: File,
    /// The file's length after the last whole entry: a failed append is cut back to it, so
    /// a torn entry never sits before later ones (a reader stops at the first torn entry).
    len: u64,
    /// A failed append could not be cut back: nothing more may be appended until it is.
    torn: bool,
    next_seq: u64,
    /// doc → last seq appended for it that no commit has covered yet.
    open: BTreeMap<DocId, u64>,
}

impl Journal {
    /// Opens slot `slot`'s journal for appending (after recovery replayed what it held).
    pub fn open(home: &Path, slot: u8, db: &Db) -> Result<Journal> {
        let path = journal_path(home, slot);
        let file = crate::privacy::private_options()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        let in_file = read_journal(home, slot)?.last().map(|e| e.0).unwrap_or(0);
        let marked = done_marks(db, slot)?.values().copied().max().unwrap_or(0);
        let len = file.metadata().map_err(io(&path))?.len();
        let syncer = file
            .try_clone()
            .and_then(crate::journal_sync::Syncer::start)
            .map_err(io(&path))?;
        Ok(Journal {
            syncer,
            path,
            state: Mutex::new(State {
                len,
                torn: false,
                file,
                next_seq: in_file.max(marked) + 1,
                open: BTreeMap::new(),
            }),
        })
    }

    fn state(&self) -> Result<std::sync::MutexGuard<'_, State>> {
        self.state.lock().map_err(|_| {
            StoreError::Doc(stones_doc::DocError::Invalid(
                "the journal's lock was poisoned".into(),
            ))
        })
    }

    /// Appends one edit: written before this returns (a killed process loses nothing),
    /// fdatasync'ed by the syncer soon after. A failed earlier sync is this call's error.
    pub fn append(&self, edit: &JournalEdit) -> Result<()> {
        let mut st = self.state()?;
        let seq = st.next_seq;
        let rec = encode_entry(seq, edit);
        if rec.len() - HEADER > MAX_ENTRY as usize {
            return Err(StoreError::Doc(stones_doc::DocError::Invalid(
                "a journal entry over 16 MiB".into(),
            )));
        }
        if st.torn {
            let len = st.len;
            st.file.set_len(len).map_err(io(&self.path))?;
            st.torn = false;
        }
        if let Err(e) = st.file.write_all(&rec) {
            // A disk that filled up mid-entry: cut the part that was written.
            let len = st.len;
            st.torn = st.file.set_len(len).is_err();
            return Err(io(&self.path)(e));
        }
        st.len += rec.len() as u64;
        st.next_seq += 1;
        st.open.insert(edit.doc, seq);
        drop(st);
        self.syncer.written().map_err(|e| self.sync_failed(e))
    }

    /// Waits until every edit appended so far is on the disk (fdatasync'ed).
    pub fn wait_durable(&self) -> Result<()> {
        self.syncer.wait_durable().map_err(|e| self.sync_failed(e))
    }

    fn sync_failed(&self, why: String) -> StoreError {
        io(&self.path)(std::io::Error::other(format!(
            "typing could not be made durable on the disk: {why}"
        )))
    }

    /// The last uncovered entry of each of these documents: what a commit of them covers.
    pub fn open_entries(&self, docs: &[DocId]) -> Result<Vec<(DocId, u64)>> {
        let st = self.state()?;
        Ok(docs
            .iter()
            .filter_map(|d| st.open.get(d).map(|s| (*d, *s)))
            .collect())
    }

    /// A commit covering `covered` is durable: forget them, and empty the file once no entry
    /// in it is uncovered (the done marks keep a replay correct if this is lost in a crash).
    pub fn committed(&self, covered: &[(DocId, u64)]) -> Result<()> {
        let mut st = self.state()?;
        for (doc, seq) in covered {
            if st.open.get(doc) == Some(seq) {
                st.open.remove(doc);
            }
        }
        if st.open.is_empty() {
            st.file.set_len(0).map_err(io(&self.path))?;
            st.len = 0;
            st.torn = false;
        }
        Ok(())
    }
}

/// Inside a commit's transaction: entries of `slot` up to `seq` for `doc` are committed.
pub(crate) fn mark_done(
    tx: &WriteTransaction,
    slot: u8,
    doc: DocId,
    seq: u64,
) -> Result<(), redb::Error> {
    let mut t = tx.open_table(META)?;
    let key = mark_key(slot, doc);
    let old = t.get(key.as_str())?.map(|v| v.value()).unwrap_or(0);
    t.insert(key.as_str(), old.max(seq))?;
    Ok(())
}

/// The done marks of a slot: doc → last committed journal seq.
pub fn done_marks(db: &Db, slot: u8) -> Result<BTreeMap<DocId, u64>> {
    let tx = db.read()?;
    let t = tx.open_table(META).map_err(|e| db.err(e))?;
    let prefix = format!("journal-done/{slot:03}/");
    let mut out = BTreeMap::new();
    for row in t.range(prefix.as_str()..).map_err(|e| db.err(e))? {
        let (k, v) = row.map_err(|e| db.err(e))?;
        let Some(hex) = k.value().strip_prefix(prefix.as_str()).map(str::to_string) else {
            break;
        };
        if let Ok(doc) = DocId::from_hex(&hex) {
            out.insert(doc, v.value());
        }
    }
    Ok(out)
}

/// Journal entries, oldest first: (seq, decoded entry or why it can't be read).
pub type Entries = Vec<(u64, Result<JournalEdit, String>)>;

/// A slot's journal, oldest first. Reading stops at a torn or damaged entry (logged).
pub fn read_journal(home: &Path, slot: u8) -> Result<Entries> {
    let path = journal_path(home, slot);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&path)(e)),
    };
    let (out, read) = parse_journal(&bytes);
    if read < bytes.len() {
        tracing::warn!(
            path = %path.display(),
            at = read,
            "journal ends in a torn or damaged entry (never acknowledged); ignored"
        );
    }
    Ok(out)
}

/// A journal file's entries, oldest first, and how many bytes of it they take: reading stops
/// at the first entry that is cut short, too long or fails its checksum.
pub fn parse_journal(bytes: &[u8]) -> (Entries, usize) {
    let mut out = Vec::new();
    let mut at = 0usize;
    while bytes.len() - at >= HEADER {
        let word = |from: usize, n: usize| &bytes[at + from..at + from + n];
        let len = u32::from_le_bytes(word(0, 4).try_into().unwrap_or_default()) as usize;
        let seq = u64::from_le_bytes(word(4, 8).try_into().unwrap_or_default());
        let end = at + HEADER + len;
        if len > MAX_ENTRY as usize || end > bytes.len() {
            break;
        }
        let body = &bytes[at + HEADER..end];
        if word(12, 8) != checksum(seq, body) {
            break;
        }
        out.push((seq, JournalEdit::decode(body).map_err(|e| e.to_string())));
        at = end;
    }
    (out, at)
}

/// Makes one journal entry's bytes (what `append` writes), for tests and fuzzing seeds.
pub fn encode_entry(seq: u64, edit: &JournalEdit) -> Vec<u8> {
    let body = edit.encode();
    let mut rec = Vec::with_capacity(HEADER + body.len());
    rec.extend((body.len() as u32).to_le_bytes());
    rec.extend(seq.to_le_bytes());
    rec.extend(checksum(seq, &body));
    rec.extend(&body);
    rec
}

/// Slots whose journal file holds anything.
pub fn journal_slots(home: &Path) -> Result<Vec<u8>> {
    let dir = home.join(WRITERS_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&dir)(e)),
    };
    let mut slots = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let slot = name
            .strip_suffix(".journal")
            .and_then(|n| n.parse::<u8>().ok());
        if let Some(slot) = slot
            && e.metadata().map(|m| m.len() > 0).unwrap_or(false)
        {
            slots.push(slot);
        }
    }
    slots.sort_unstable();
    Ok(slots)
}

/// Entries of a slot that no commit covers yet (what a replay would apply).
pub fn uncovered(db: &Db, home: &Path, slot: u8) -> Result<Vec<JournalEdit>> {
    let marks = done_marks(db, slot)?;
    Ok(read_journal(home, slot)?
        .into_iter()
        .filter_map(|(seq, e)| {
            e.ok()
                .filter(|e| marks.get(&e.doc).is_none_or(|m| seq > *m))
        })
        .collect())
}

/// Empties a slot's journal file (everything in it is covered).
pub fn clear(home: &Path, slot: u8) -> Result<()> {
    let path = journal_path(home, slot);
    match File::options().write(true).open(&path) {
        Ok(f) => f.set_len(0).map_err(io(&path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(&path)(e)),
    }
}
