//! The bytes a store keeps for a document's folded items, so a fresh process searches without
//! loading or re-reading the document. Every read is bounds-checked: damaged bytes are an
//! error (the caller then rebuilds the items from the document), never a panic.

use super::items::{ItemKind, SearchItem};
use super::query::Folded;
use crate::error::{DocError, Result};
use crate::ids::{EntryId, MemberId};

const VERSION: u8 = 1;

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt16(out: &mut Vec<u8>, id: Option<[u8; 16]>) {
    match id {
        Some(id) => {
            out.push(1);
            out.extend_from_slice(&id);
        }
        None => out.push(0),
    }
}

/// Encodes folded items.
pub fn encode(items: &[Folded]) -> Vec<u8> {
    let mut out = vec![VERSION];
    out.extend_from_slice(&(items.len() as u32).to_be_bytes());
    for f in items {
        let i = &f.item;
        out.push(i.kind.code());
        put_opt16(&mut out, i.session.map(|s| s.0));
        put_opt16(&mut out, i.by.map(|m| m.0));
        out.extend_from_slice(&i.at.to_be_bytes());
        for s in [&i.id, &i.title, &i.body, &f.title, &f.body] {
            put_str(&mut out, s);
        }
    }
    out
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.rest.len() < n {
            return Err(bad("cut short"));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }
    fn opt16(&mut self) -> Result<Option<[u8; 16]>> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.array()?)),
            _ => Err(bad("bad option tag")),
        }
    }
    fn string(&mut self) -> Result<String> {
        let n = u32::from_be_bytes(self.array()?) as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| bad("text is not UTF-8"))
    }
}

fn bad(why: &str) -> DocError {
    DocError::Decode {
        what: "search items",
        why: why.to_string(),
    }
}

/// Decodes what [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Result<Vec<Folded>> {
    let mut r = Reader { rest: bytes };
    if r.u8()? != VERSION {
        return Err(bad("unknown version"));
    }
    let n = u32::from_be_bytes(r.array()?) as usize;
    // Each item takes at least 31 bytes: never allocate more than the bytes can hold.
    if n > r.rest.len() / 31 {
        return Err(bad("more items than bytes"));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let kind = ItemKind::from_code(r.u8()?).ok_or_else(|| bad("unknown kind"))?;
        let session = r.opt16()?.map(EntryId);
        let by = r.opt16()?.map(MemberId);
        let at = i64::from_be_bytes(r.array()?);
        let (id, title, body) = (r.string()?, r.string()?, r.string()?);
        let (folded_title, folded_body) = (r.string()?, r.string()?);
        out.push(Folded {
            item: SearchItem {
                kind,
                id,
                session,
                by,
                at,
                title,
                body,
            },
            title: folded_title,
            body: folded_body,
        });
    }
    if !r.rest.is_empty() {
        return Err(bad("bytes left over"));
    }
    Ok(out)
}
