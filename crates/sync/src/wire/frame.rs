//! Framing: a u32 big-endian length before each encoded message, capped at [`MAX_FRAME`].

use super::codec::{DecodeError, bad};

/// The largest frame accepted or sent (16 MiB).
pub const MAX_FRAME: usize = 16 << 20;

/// Prefixes an encoded message with its length.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 4);
    out.extend_from_slice(&u32::try_from(body.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// Checks a frame's length prefix against the cap; the body length to read next.
pub fn read_frame_len(prefix: [u8; 4]) -> Result<usize, DecodeError> {
    let n = u32::from_be_bytes(prefix) as usize;
    if n > MAX_FRAME {
        return Err(bad(format!(
            "frame of {n} bytes is over the {MAX_FRAME}-byte limit"
        )));
    }
    if n == 0 {
        return Err(bad("empty frame"));
    }
    Ok(n)
}
