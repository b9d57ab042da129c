//! The protocol core fed an arbitrary sequence of frames on one connection from a member's
//! device (the input is split into frames by a one-byte length before each): never a
//! panic, the founder's index never changes (nothing unsigned gets in), and every frame the
//! core sends decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "guard_hook.rs"]
mod guard_hook;
use stones_sync::core::{ConnId, Output};
use stones_sync::testnet::founder_with_peer;
use stones_sync::wire::{Msg, PROTOCOL};

fuzz_target!(|input: &[u8]| {
    guard_hook::tolerate_guarded_automerge_panics();
    let (mut core, nb, doc, _) = founder_with_peer().expect("a founder's device");
    let before = core.replica.doc_mut(doc).expect("the index").get_heads();
    // Half the inputs start honestly, so the fuzzer reaches the synced states too.
    if input.first().is_some_and(|b| b & 1 == 1) {
        let hello = Msg::Hello {
            protocol: PROTOCOL,
            notebooks: vec![nb],
        };
        core.received(ConnId(1), &hello.encode());
        let welcome = Msg::Welcome {
            accepted: vec![nb],
            refused: vec![],
        };
        core.received(ConnId(1), &welcome.encode());
    }
    let mut rest = input.get(1..).unwrap_or_default();
    while let Some((&len, tail)) = rest.split_first() {
        let n = usize::from(len).min(tail.len());
        core.received(ConnId(1), &tail[..n]);
        rest = &tail[n..];
    }
    let out = core.take_output().expect("the core's output");
    assert_eq!(
        core.replica.doc_mut(doc).expect("the index").get_heads(),
        before
    );
    for o in out {
        if let Output::Send { msg, .. } = o {
            assert!(
                Msg::decode(&msg).is_ok(),
                "the core only sends well-formed frames"
            );
        }
    }
});
