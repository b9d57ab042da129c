//! The wire decoder on arbitrary bytes: a frame's length prefix and a message body. Never a
//! panic; whatever decodes encodes back to bytes that decode to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stones_sync::wire::{Msg, read_frame_len};

fuzz_target!(|bytes: &[u8]| {
    if let [a, b, c, d, ..] = bytes {
        let _ = read_frame_len([*a, *b, *c, *d]);
    }
    if let Ok(m) = Msg::decode(bytes) {
        let again = Msg::decode(&m.encode()).expect("an encoded message decodes");
        assert_eq!(again, m);
    }
});
