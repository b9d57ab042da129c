//! The byte-level reader and writer under the wire messages: fixed-size ids, big-endian
//! integers, length-prefixed bytes and strings, every read bounds-checked so a short or
//! hostile frame is an error naming what was being read, never a panic.

use std::fmt;

/// Why a frame could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// What was being read when the frame ran out or held a bad value.
    pub what: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed frame: {}", self.what)
    }
}

impl std::error::Error for DecodeError {}

pub(crate) fn bad(what: impl Into<String>) -> DecodeError {
    DecodeError { what: what.into() }
}

/// Appends encoded values to a buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    pub fn raw(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }
    /// Length-prefixed bytes (u32 length). Lengths beyond u32 cannot fit a frame anyway.
    pub fn bytes(&mut self, v: &[u8]) {
        self.u32(u32::try_from(v.len()).unwrap_or(u32::MAX));
        self.raw(v);
    }
    pub fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }
    /// A list: u32 count then each item.
    pub fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Writer, &T)) {
        self.u32(u32::try_from(items.len()).unwrap_or(u32::MAX));
        for item in items {
            each(self, item);
        }
    }
}

/// Reads encoded values from a frame, failing cleanly on anything short or malformed.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }
    pub fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        if self.rest.len() < n {
            return Err(bad(format!(
                "{what}: needs {n} bytes, {} left",
                self.rest.len()
            )));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }
    pub fn u8(&mut self, what: &str) -> Result<u8, DecodeError> {
        Ok(self.take(1, what)?[0])
    }
    pub fn u32(&mut self, what: &str) -> Result<u32, DecodeError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }
    pub fn bytes(&mut self, what: &str) -> Result<Vec<u8>, DecodeError> {
        let n = self.u32(what)? as usize;
        Ok(self.take(n, what)?.to_vec())
    }
    /// A UTF-8 string of at most `max` bytes.
    pub fn str(&mut self, what: &str, max: usize) -> Result<String, DecodeError> {
        let b = self.bytes(what)?;
        if b.len() > max {
            return Err(bad(format!("{what}: {} bytes, at most {max}", b.len())));
        }
        String::from_utf8(b).map_err(|_| bad(format!("{what}: not UTF-8")))
    }
    /// A list whose items are at least `min_item` bytes each, so a hostile count cannot
    /// make us allocate more than the frame could hold.
    pub fn list<T>(
        &mut self,
        what: &str,
        min_item: usize,
        mut each: impl FnMut(&mut Reader<'a>) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        let n = self.u32(what)? as usize;
        if n.saturating_mul(min_item.max(1)) > self.rest.len() {
            return Err(bad(format!(
                "{what}: {n} items cannot fit in {} bytes",
                self.rest.len()
            )));
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(each(self)?);
        }
        Ok(out)
    }
    pub fn finish(&self, what: &str) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(bad(format!("{what}: {} trailing bytes", self.rest.len())))
        }
    }
}
