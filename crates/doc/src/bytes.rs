//! The small binary layout that caches of derived data are written in (search items, voices
//! tallies): big-endian integers, length-prefixed strings and byte strings, optional 16-byte
//! ids. Every read is bounds-checked: damaged bytes are a [`DocError::Decode`] naming what was
//! being read, never a panic.

use crate::error::{DocError, Result};

/// Appends a length-prefixed byte string.
pub(crate) fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_be_bytes());
    out.extend_from_slice(b);
}

/// Appends a length-prefixed UTF-8 string.
pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

/// Appends an optional 16-byte id (a tag byte, then the id).
pub(crate) fn put_opt16(out: &mut Vec<u8>, id: Option<[u8; 16]>) {
    match id {
        Some(id) => {
            out.push(1);
            out.extend_from_slice(&id);
        }
        None => out.push(0),
    }
}

/// Reads what the `put_` functions wrote.
pub(crate) struct Reader<'a> {
    /// What is left to read.
    pub rest: &'a [u8],
    /// What is being decoded, for errors.
    pub what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], what: &'static str) -> Reader<'a> {
        Reader { rest: bytes, what }
    }
    /// An error about the bytes being read.
    pub fn bad(&self, why: &str) -> DocError {
        DocError::Decode {
            what: self.what,
            why: why.to_string(),
        }
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.rest.len() < n {
            return Err(self.bad("cut short"));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    pub fn opt16(&mut self) -> Result<Option<[u8; 16]>> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.array()?)),
            _ => Err(self.bad("bad option tag")),
        }
    }
    pub fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    pub fn string(&mut self) -> Result<String> {
        let b = self.bytes()?;
        String::from_utf8(b.to_vec()).map_err(|_| self.bad("text is not UTF-8"))
    }
    /// A count of items each at least `min_size` bytes long: never more than the bytes left
    /// can hold, so a damaged count cannot make a reader allocate without bound.
    pub fn count(&mut self, min_size: usize) -> Result<usize> {
        let n = self.u32()? as usize;
        if n > self.rest.len() / min_size.max(1) {
            return Err(self.bad("more items than bytes"));
        }
        Ok(n)
    }
    /// Checks nothing is left over.
    pub fn finish(&self) -> Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.bad("bytes left over"))
        }
    }
}
