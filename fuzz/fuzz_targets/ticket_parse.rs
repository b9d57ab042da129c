//! Invite ticket parsing on arbitrary text: an error that says what is wrong, never a panic;
//! a ticket that parses prints back to text that parses to the same ticket.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stones_sync::invite::InviteTicket;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match InviteTicket::parse(text) {
        Ok(t) => {
            let again = InviteTicket::parse(&t.to_text()).expect("a printed ticket parses");
            assert_eq!(again.to_text(), t.to_text());
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
