//! Every input the fuzzers (`fuzz/`) found that crashed a reader, kept as a regression test:
//! each reader of document bytes answers with a value or an error, never a panic (the first
//! made automerge panic, the second ask for 2 GiB), and loading each is refused.
#![allow(clippy::unwrap_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use stones_doc::DocKind;

fn crashers() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-crashers");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(!out.is_empty());
    out
}

#[test]
fn no_crasher_panics_any_reader() {
    for (name, bytes) in crashers() {
        let readers: [(&str, &dyn Fn()); 4] = [
            ("check_chunk", &|| drop(stones_doc::check_chunk(&bytes))),
            ("snapshot_heads", &|| {
                drop(stones_doc::snapshot_heads(&bytes))
            }),
            ("changes_in", &|| {
                drop(stones_doc::signed::changes_in(&bytes))
            }),
            ("load_doc", &|| {
                if let Ok(doc) = stones_doc::load_doc(&bytes) {
                    for kind in [DocKind::Index, DocKind::Session] {
                        let _ = stones_doc::schema::check_kind(&doc, kind);
                    }
                    let _ = stones_doc::index::read_view(&doc);
                    let _ = stones_doc::session::read_view(&doc);
                }
            }),
        ];
        for (reader, read) in readers {
            let outcome = catch_unwind(AssertUnwindSafe(read));
            assert!(outcome.is_ok(), "{name} panicked {reader}");
        }
        // None of them is a document of ours: each is refused with a reason.
        let err = stones_doc::load_doc(&bytes).unwrap_err().to_string();
        assert!(!err.is_empty(), "{name}");
    }
}
