//! Real nodes on 127.0.0.1 for the sync metrics, and waiting for them: loopback mode (no
//! relay, no discovery, no port mapping), so nothing leaves the machine.

use anyhow::{Result, bail};
use std::path::Path;
use std::time::{Duration, Instant};
use stones_doc::DeviceId;
use stones_sync::Engine;
use stones_sync::net::{NetConfig, NetMode};

/// Flushes the machine's dirty pages to disk (`sync`) once the harness has copied its homes,
/// so a latency metric's fsyncs do not pay for the harness's own copying (or the previous
/// metric's writes).
pub fn settle_disk() -> Result<()> {
    let status = std::process::Command::new("sync").status()?;
    if !status.success() {
        bail!("`sync` failed: {status}");
    }
    Ok(())
}

/// Starts a node on `home`, reachable on loopback only.
pub fn start(home: &Path) -> Result<Engine> {
    Ok(Engine::start(
        home,
        &NetConfig::new(NetMode::Loopback, None),
    )?)
}

/// Waits until `node` reports `peer` connected and caught up both ways.
pub fn wait_caught_up(node: &Engine, peer: DeviceId, timeout: Duration) -> Result<()> {
    let started = Instant::now();
    loop {
        if node
            .status()
            .peers
            .iter()
            .any(|p| p.device == peer && p.caught_up)
        {
            return Ok(());
        }
        if started.elapsed() > timeout {
            bail!("{peer} did not catch up within {timeout:?}");
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Bytes a node sent plus received since it started.
pub fn traffic(node: &Engine) -> u64 {
    let s = node.stats();
    s.bytes_in + s.bytes_out
}
