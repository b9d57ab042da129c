//! Shared helpers of the sync crate's integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::{Duration, Instant};

/// Waits until `ok` holds, polling; fails the test after a minute (a ceiling for a loaded
/// machine, not a speed goal).
pub fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub mod group;
