//! Reading a saved document's header without loading it: a whole-document save (one automerge
//! document chunk) names its heads before its columns, and its checksum covers every byte. A
//! device receiving a document it did not have can check and store it, and know its heads,
//! without replaying it (loading waits until someone opens it, and a load failure then names
//! the document and chunk).

use crate::error::{DocError, Result};
use automerge::ChangeHash;
use sha2::{Digest, Sha256};

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;

fn bad(why: impl Into<String>) -> DocError {
    DocError::Decode {
        what: "document snapshot",
        why: why.into(),
    }
}

/// The heads of `bytes` if they are exactly one document chunk with a valid checksum.
pub fn snapshot_heads(bytes: &[u8]) -> Result<Vec<ChangeHash>> {
    if bytes.len() < 10 || bytes[..4] != MAGIC {
        return Err(bad("no chunk header"));
    }
    if bytes[8] != DOCUMENT {
        return Err(bad("not a document chunk"));
    }
    let (len, used) = crate::uleb128(&bytes[9..]).ok_or_else(|| bad("bad length"))?;
    let start = 9 + used;
    let data = usize::try_from(len)
        .ok()
        .and_then(|l| bytes.get(start..start.checked_add(l)?))
        .ok_or_else(|| bad("the chunk runs past the end"))?;
    if start + data.len() != bytes.len() {
        return Err(bad("more than one chunk"));
    }
    let mut h = Sha256::new();
    h.update(&bytes[8..start]);
    h.update(data);
    let digest = h.finalize();
    if digest[..4] != bytes[4..8] {
        return Err(bad("checksum mismatch"));
    }
    let mut r = data;
    let actors = take_uleb(&mut r)?;
    for _ in 0..actors {
        let n = usize::try_from(take_uleb(&mut r)?).map_err(|_| bad("actor length"))?;
        r = r.get(n..).ok_or_else(|| bad("actor runs past the end"))?;
    }
    let heads = take_uleb(&mut r)?;
    let mut out = Vec::new();
    for _ in 0..heads {
        let (h, rest) = r
            .split_first_chunk::<32>()
            .ok_or_else(|| bad("heads run past the end"))?;
        out.push(ChangeHash(*h));
        r = rest;
    }
    Ok(out)
}

fn take_uleb(r: &mut &[u8]) -> Result<u64> {
    let (v, used) = crate::uleb128(r).ok_or_else(|| bad("bad number"))?;
    *r = &r[used..];
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;

    #[test]
    fn heads_of_a_save_match_the_document() {
        let mut a = crate::new_doc();
        a.put(automerge::ROOT, "k", "v")
            .unwrap_or_else(|e| panic!("{e}"));
        a.commit();
        let mut b = a.fork();
        b.put(automerge::ROOT, "other", 1)
            .unwrap_or_else(|e| panic!("{e}"));
        a.put(automerge::ROOT, "k", "w")
            .unwrap_or_else(|e| panic!("{e}"));
        a.merge(&mut b).unwrap_or_else(|e| panic!("{e}"));
        let mut heads = a.get_heads();
        assert_eq!(heads.len(), 2, "two concurrent heads");
        let bytes = a.save();
        let mut got = snapshot_heads(&bytes).unwrap_or_else(|e| panic!("{e}"));
        heads.sort();
        got.sort();
        assert_eq!(got, heads);
    }

    #[test]
    fn damage_and_other_chunks_are_refused() {
        let mut a = crate::new_doc();
        a.put(automerge::ROOT, "k", "v")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut bytes = a.save();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(snapshot_heads(&bytes).is_err(), "checksum");
        let mut two = a.save();
        two.extend(a.save());
        assert!(snapshot_heads(&two).is_err(), "two chunks");
        a.put(automerge::ROOT, "k", "x")
            .unwrap_or_else(|e| panic!("{e}"));
        let change = a.save_incremental();
        assert!(snapshot_heads(&change).is_err(), "a change chunk");
        assert!(snapshot_heads(&[1, 2, 3]).is_err());
        assert!(snapshot_heads(&a.save()[..20]).is_err(), "truncated");
    }
}
