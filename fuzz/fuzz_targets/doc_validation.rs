//! Every reader of document bytes on arbitrary input: chunk checks, snapshot heads, change
//! parsing, loading, the kind check, and the index and session views of whatever loads.
//! Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "guard_hook.rs"]
mod guard_hook;
use stones_doc::DocKind;

fuzz_target!(|bytes: &[u8]| {
    guard_hook::tolerate_guarded_automerge_panics();
    let _ = stones_doc::check_chunk(bytes);
    let _ = stones_doc::snapshot_heads(bytes);
    let _ = stones_doc::signed::changes_in(bytes);
    if let Ok(doc) = stones_doc::load_doc(bytes) {
        for kind in [DocKind::Index, DocKind::Session] {
            let _ = stones_doc::schema::check_kind(&doc, kind);
        }
        let _ = stones_doc::index::read_view(&doc);
        let _ = stones_doc::session::read_view(&doc);
    }
});
