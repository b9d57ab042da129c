//! `stones import PATH`: brings an Automerge export (manifest + documents) back as a
//! notebook on this device. The checks live in `stones_store::import`: every file is read
//! and checked before anything is written.

use super::Env;
use anyhow::{Context, Result};
use std::path::Path;
use stones_sync::Engine;

pub fn import(env: &Env, dir: &Path) -> Result<()> {
    let engine = Engine::open_or_create(&env.home)
        .with_context(|| format!("cannot open a store in {}", env.home.display()))?;
    println!("{}", engine.import(dir)?);
    Ok(())
}
