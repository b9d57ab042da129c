//! Salvage: what can still be read out of a store file redb cannot open (truncated, pages
//! overwritten), by reading its pages directly. Every page-aligned leaf of the three tables
//! that hold documents is recognised by its shape (redb's leaf layout: a type byte, an entry
//! count, value end offsets, fixed-width keys, values) and kept only if every value looks
//! like that table's:
//! - `chunks`: 24-byte keys (document id, sequence number little-endian), values a kind
//!   byte and an automerge chunk (its magic bytes right after);
//! - `docs`: 16-byte keys, values 17 bytes (notebook id, kind 0 or 1);
//! - `signatures`: 48-byte keys (document id, change hash), values 64 bytes.
//!
//! redb writes copy-on-write, so older versions of pages may still be in the file: every
//! version found is kept (they are versions of the same documents; merging them loses
//! nothing). Whether a chunk's bytes are sound is for the caller to check: this only finds.

use std::collections::BTreeMap;
use stones_doc::{DocId, DocKind, NotebookId};

/// redb pages start at multiples of the page size, which is a multiple of this.
const PAGE_STEP: usize = 4096;
/// redb's tag for a leaf page.
const LEAF: u8 = 1;
/// The first bytes of every automerge chunk.
const AUTOMERGE_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// What a scan found.
#[derive(Debug, Default)]
pub struct Found {
    /// Each document's chunks, by sequence number; a number may hold several versions.
    pub chunks: BTreeMap<DocId, BTreeMap<u64, Vec<Vec<u8>>>>,
    /// Documents' registrations: notebook and kind.
    pub registered: BTreeMap<DocId, (NotebookId, DocKind)>,
    /// Signatures of changes: (document, change hash) → signature bytes.
    pub signatures: BTreeMap<(DocId, [u8; 32]), Vec<u8>>,
    /// How many leaf pages were read.
    pub leaves: usize,
}

impl Found {
    /// Adds one version of a chunk (the stored value: kind byte, automerge bytes).
    pub fn add_chunk(&mut self, doc: DocId, seq: u64, value: &[u8]) {
        let versions = self.chunks.entry(doc).or_default().entry(seq).or_default();
        if !versions.iter().any(|v| v.as_slice() == value) {
            versions.push(value.to_vec());
        }
    }
}

/// Scans a store file's bytes (whatever is left of them).
pub fn scan(bytes: &[u8]) -> Found {
    let mut found = Found::default();
    for start in (0..bytes.len()).step_by(PAGE_STEP) {
        let page = &bytes[start..];
        if page.first() != Some(&LEAF) {
            continue;
        }
        if let Some(entries) = leaf(page, 24).filter(|e| e.iter().all(|(_, v)| is_chunk(v))) {
            found.leaves += 1;
            for (k, v) in entries {
                let (doc, seq) = k.split_at(16);
                found.add_chunk(doc_id(doc), u64::from_le_bytes(array(seq)), v);
            }
        } else if let Some(entries) = leaf(page, 16).filter(|e| e.iter().all(|(_, v)| is_doc(v))) {
            found.leaves += 1;
            for (k, v) in entries {
                if let Some(kind) = DocKind::from_code(v[16]) {
                    let notebook = NotebookId(array(&v[..16]));
                    found.registered.insert(doc_id(k), (notebook, kind));
                }
            }
        } else if let Some(entries) =
            leaf(page, 48).filter(|e| e.iter().all(|(_, v)| v.len() == 64))
        {
            found.leaves += 1;
            for (k, v) in entries {
                let (doc, hash) = k.split_at(16);
                found
                    .signatures
                    .insert((doc_id(doc), array(hash)), v.to_vec());
            }
        }
    }
    found
}

/// The entries of a leaf page with fixed-width keys of `key_len` bytes and variable-width
/// values, as far as the bytes go (a page cut short gives its first entries); `None` when
/// the page does not have that shape.
fn leaf(page: &[u8], key_len: usize) -> Option<Vec<(&[u8], &[u8])>> {
    let count = usize::from(u16::from_le_bytes(array(page.get(2..4)?)));
    if count == 0 {
        return None;
    }
    let keys_at = 4 + 4 * count;
    let values_at = keys_at + key_len * count;
    let mut entries = Vec::with_capacity(count);
    let mut value_from = values_at;
    for i in 0..count {
        let end = u32::from_le_bytes(array(page.get(4 + 4 * i..8 + 4 * i)?)) as usize;
        if end < value_from {
            return None;
        }
        let (Some(key), Some(value)) = (
            page.get(keys_at + key_len * i..keys_at + key_len * (i + 1)),
            page.get(value_from..end),
        ) else {
            break;
        };
        entries.push((key, value));
        value_from = end;
    }
    (!entries.is_empty()).then_some(entries)
}

fn is_chunk(value: &[u8]) -> bool {
    value.len() > 5 && value[0] <= 1 && value[1..5] == AUTOMERGE_MAGIC
}

fn is_doc(value: &[u8]) -> bool {
    value.len() == 17 && value[16] <= 1
}

fn doc_id(bytes: &[u8]) -> DocId {
    DocId(array(bytes))
}

/// The first `N` bytes as an array (zeros where there are fewer; callers pass exact slices).
fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let n = bytes.len().min(N);
    out[..n].copy_from_slice(&bytes[..n]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A leaf page the way redb lays it out.
    fn page(key_len: usize, entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
        let n = entries.len();
        let mut p = vec![LEAF, 0];
        p.extend_from_slice(&(n as u16).to_le_bytes());
        let mut end = 4 + 4 * n + key_len * n;
        for (_, v) in entries {
            end += v.len();
            p.extend_from_slice(&(end as u32).to_le_bytes());
        }
        for (k, _) in entries {
            p.extend_from_slice(k);
        }
        for (_, v) in entries {
            p.extend_from_slice(v);
        }
        p.resize(p.len().div_ceil(PAGE_STEP) * PAGE_STEP, 0);
        p
    }

    fn chunk_key(doc: u8, seq: u64) -> Vec<u8> {
        let mut k = vec![doc; 16];
        k.extend_from_slice(&seq.to_le_bytes());
        k
    }

    fn chunk_value(body: &[u8]) -> Vec<u8> {
        let mut v = vec![1];
        v.extend_from_slice(&AUTOMERGE_MAGIC);
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn chunks_docs_and_signatures_are_found_by_the_shape_of_their_pages() {
        let mut file = vec![0u8; PAGE_STEP]; // the header page
        file.extend(page(
            24,
            &[
                (chunk_key(7, 1), chunk_value(b"one")),
                (chunk_key(7, 2), chunk_value(b"two")),
            ],
        ));
        let mut reg = vec![9u8; 16];
        reg.push(0);
        file.extend(page(16, &[(vec![7u8; 16], reg)]));
        file.extend(page(48, &[(vec![7u8; 48], vec![3u8; 64])]));
        // Something else: a page of another table's shape is left alone.
        file.extend(page(16, &[(vec![1u8; 16], vec![0u8; 40])]));
        let found = scan(&file);
        assert_eq!(found.leaves, 3);
        let doc = DocId([7; 16]);
        assert_eq!(found.chunks[&doc][&2], vec![chunk_value(b"two")]);
        assert_eq!(
            found.registered[&doc],
            (NotebookId([9; 16]), DocKind::Index)
        );
        assert_eq!(found.signatures.len(), 1);
        assert!(!found.registered.contains_key(&DocId([1; 16])));
    }

    #[test]
    fn a_page_cut_short_gives_the_entries_before_the_cut() {
        let mut file = page(
            24,
            &[
                (chunk_key(5, 1), chunk_value(&[1; 100])),
                (chunk_key(5, 2), chunk_value(&[2; 100])),
            ],
        );
        let cut = 4 + 8 + 48 + 105 + 50;
        file.truncate(cut);
        let found = scan(&file);
        let doc = &found.chunks[&DocId([5; 16])];
        assert_eq!(doc.len(), 1);
        assert!(doc.contains_key(&1));
        // Garbage never panics.
        for len in 0..64 {
            let mut junk = vec![LEAF; len];
            junk.extend((0..len).map(|i| i as u8));
            let _ = scan(&junk);
        }
    }
}
