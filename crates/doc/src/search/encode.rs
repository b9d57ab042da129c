//! The bytes a store keeps for a document's folded items, so a fresh process searches without
//! loading or re-reading the document. Every read is bounds-checked: damaged bytes are an
//! error (the caller then rebuilds the items from the document), never a panic.

use super::items::{ItemKind, SearchItem};
use super::query::Folded;
use crate::bytes::{Reader, put_opt16, put_str};
use crate::error::Result;
use crate::ids::{EntryId, MemberId};

const VERSION: u8 = 1;

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

/// Decodes what [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Result<Vec<Folded>> {
    let mut r = Reader::new(bytes, "search items");
    if r.u8()? != VERSION {
        return Err(r.bad("unknown version"));
    }
    // Each item takes at least 31 bytes.
    let n = r.count(31)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let kind = ItemKind::from_code(r.u8()?).ok_or_else(|| r.bad("unknown kind"))?;
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
    r.finish()?;
    Ok(out)
}
