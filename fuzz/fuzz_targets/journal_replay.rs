//! The keystroke journal's reader on arbitrary bytes (a journal file as a crash or a bad disk
//! may leave it), and one entry's decoder on arbitrary bodies: never a panic; the reader
//! never reads past the bytes, and every entry it returns re-encodes to the bytes it read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stones_store::journal::{encode_entry, parse_journal};

fuzz_target!(|bytes: &[u8]| {
    let (entries, read) = parse_journal(bytes);
    assert!(read <= bytes.len());
    let mut again = Vec::new();
    for (seq, entry) in &entries {
        if let Ok(edit) = entry {
            again.extend(encode_entry(*seq, edit));
        }
    }
    if entries.iter().all(|(_, e)| e.is_ok()) {
        assert_eq!(again, &bytes[..read], "entries re-encode to what was read");
    }
    // The body decoder alone (past the checksum the fuzzer could not forge).
    let _ = stones_doc::JournalEdit::decode(bytes);
});
