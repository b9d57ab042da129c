//! What signing every change would cost (the membership issue asks before choosing what to
//! sign): every change of a fixture home's notebook is signed (ed25519 over its change hash,
//! the device key), then every signature verified, as a receiving device would on a full
//! sync. Reports the time per signature and per verification, the whole full sync's
//! verification, and the bytes the signatures would add to a full sync.

use anyhow::Result;
use ed25519_dalek::{Signer, SigningKey, Verifier};
use std::path::Path;
use std::time::Instant;
use stones_store::Store;

/// The numbers, for one home's notebook.
pub struct SignCost {
    /// Changes in the notebook.
    pub changes: usize,
    /// Microseconds to sign one change hash.
    pub sign_us: f64,
    /// Microseconds to verify one signature.
    pub verify_us: f64,
    /// Milliseconds to verify every change (a full sync).
    pub verify_all_ms: f64,
    /// Bytes the signatures add to a full sync (64 B each).
    pub bytes: usize,
}

/// Measures on the first notebook of `home`.
pub fn measure(home: &Path) -> Result<SignCost> {
    let store = std::sync::Arc::new(Store::open(home)?);
    let key = SigningKey::from_bytes(&store.identity().secret_bytes());
    let mut hashes = Vec::new();
    for (doc, _, _) in store.db().docs()? {
        let (mut am, _, _) = stones_store::loaded::load_am(&store, doc)?;
        hashes.extend(am.get_changes(&[]).iter().map(|c| c.hash().0));
    }
    let started = Instant::now();
    let sigs: Vec<_> = hashes.iter().map(|h| key.sign(h)).collect();
    let sign_ms = started.elapsed().as_secs_f64() * 1000.0;
    let public = key.verifying_key();
    let started = Instant::now();
    let ok = hashes
        .iter()
        .zip(&sigs)
        .filter(|(h, s)| public.verify(h.as_slice(), s).is_ok())
        .count();
    let verify_ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(ok == hashes.len(), "a signature did not verify");
    let n = hashes.len().max(1) as f64;
    Ok(SignCost {
        changes: hashes.len(),
        sign_us: sign_ms * 1000.0 / n,
        verify_us: verify_ms * 1000.0 / n,
        verify_all_ms: verify_ms,
        bytes: hashes.len() * 64,
    })
}
