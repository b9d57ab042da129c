//! Reading hostile bytes with automerge without a panic: automerge 0.12's column decoders
//! (hexane) panic on some malformed documents — the `doc_validation` fuzzer found one after
//! six seconds (`tests/data/fuzz-crashers`) — so every parse of bytes from outside (a peer, an
//! import, a stored chunk) runs through [`guarded`], which turns such a panic into an error
//! naming what was being read. Only parses of fresh values go through it: nothing half-built
//! survives the panic.

use crate::error::{DocError, Result};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `parse`; a panic inside it becomes [`DocError::Decode`] for `what`.
pub fn guarded<T>(what: &'static str, parse: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(parse)) {
        Ok(result) => result,
        Err(panic) => {
            let inside = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            Err(DocError::Decode {
                what,
                why: format!("automerge failed inside while reading it ({inside})"),
            })
        }
    }
}
