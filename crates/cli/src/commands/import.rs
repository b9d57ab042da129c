//! `stones import PATH`: brings an Automerge export (manifest + documents) back as a
//! notebook on this device. The checks live in `stones_store::import`: every file is read
//! and checked before anything is written.

use super::Env;
use anyhow::Result;
use std::path::Path;

pub fn import(env: &Env, dir: &Path) -> Result<()> {
    let engine = env.engine_or_create("open")?;
    println!("{}", engine.import(dir)?);
    Ok(())
}
