//! Automerge's own fuzz crashers and edge-case documents (`crates/doc/tests/data/
//! automerge-corpus`, from the automerge repository's tests), read for any crate's tests:
//! `#[path = "…/doc/tests/corpus/mod.rs"] mod corpus;`.

use std::path::Path;

/// Every corpus file (its name, its bytes), sorted by name; the README is left out.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("crates/doc/tests/data/automerge-corpus"))
        .find(|d| d.is_dir())
        .expect("the automerge corpus is in crates/doc/tests/data");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("the corpus folder can be listed")
        .map(|e| e.expect("a corpus entry").path())
        .filter(|p| p.extension().is_none_or(|x| x != "md"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(&p).expect("a corpus file can be read");
            (name, bytes)
        })
        .collect();
    out.sort();
    assert!(
        out.len() >= 17,
        "the corpus is missing files: {}",
        out.len()
    );
    out
}
