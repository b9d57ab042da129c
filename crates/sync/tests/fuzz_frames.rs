//! Hostile input: random, truncated and mutated frames fed to the decoder and to a live
//! protocol core never panic, and never change the device's documents.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use stones_doc::{DeviceId, DocId, DocKind, EntryId, MemberId, NotebookId};
use stones_sync::core::{ConnId, Core, Output};
use stones_sync::testnet::MemReplica;
use stones_sync::wire::{DigestEntry, Msg, PROTOCOL, frame, read_frame_len};

fn id16() -> impl Strategy<Value = [u8; 16]> {
    any::<[u8; 16]>()
}

fn msg() -> impl Strategy<Value = Msg> {
    prop_oneof![
        (any::<u32>(), prop::collection::vec(id16(), 0..4)).prop_map(|(p, n)| Msg::Hello {
            protocol: p,
            notebooks: n.into_iter().map(NotebookId).collect()
        }),
        (
            prop::collection::vec(id16(), 0..3),
            prop::collection::vec((id16(), ".{0,20}"), 0..3)
        )
            .prop_map(|(a, r)| Msg::Welcome {
                accepted: a.into_iter().map(NotebookId).collect(),
                refused: r.into_iter().map(|(n, s)| (NotebookId(n), s)).collect()
            }),
        (
            id16(),
            prop::collection::vec((id16(), any::<bool>(), any::<[u8; 32]>()), 0..4)
        )
            .prop_map(|(n, d)| Msg::Digest {
                notebook: NotebookId(n),
                docs: d
                    .into_iter()
                    .map(|(doc, index, heads)| DigestEntry {
                        doc: DocId(doc),
                        kind: if index {
                            DocKind::Index
                        } else {
                            DocKind::Session
                        },
                        heads
                    })
                    .collect()
            }),
        (
            id16(),
            id16(),
            prop::collection::vec(any::<u8>(), 0..200),
            prop::collection::vec(
                (any::<[u8; 32]>(), prop::array::uniform32(any::<u16>())),
                0..3
            )
        )
            .prop_map(|(n, d, m, sigs)| Msg::Sync {
                notebook: NotebookId(n),
                doc: DocId(d),
                kind: DocKind::Index,
                message: m,
                signatures: sigs.into_iter().map(|(h, s)| (h, wide(s))).collect(),
            }),
        (id16(), id16(), prop::collection::vec(any::<u8>(), 0..200)).prop_map(|(n, d, b)| {
            Msg::Whole {
                notebook: NotebookId(n),
                doc: DocId(d),
                kind: DocKind::Session,
                bytes: b,
                signatures: Vec::new(),
            }
        }),
        (id16(), id16(), any::<u32>(), ".{0,30}").prop_map(|(n, d, c, reason)| {
            Msg::Refused {
                notebook: NotebookId(n),
                doc: DocId(d),
                changes: c,
                reason,
            }
        }),
        ".{0,30}".prop_map(|reason| Msg::Bye { reason }),
        (id16(), id16(), id16(), ".{0,10}", ".{0,10}", any::<bool>()).prop_map(
            |(n, i, s, name, sector, as_member)| Msg::Join {
                notebook: NotebookId(n),
                invite: EntryId(i),
                secret: s,
                name,
                sector,
                as_member,
            }
        ),
        id16().prop_map(|m| Msg::Joined {
            member: MemberId(m)
        }),
        ".{0,30}".prop_map(|reason| Msg::JoinRefused { reason }),
    ]
}

/// A 64-byte signature from 32 random u16s.
fn wide(halves: [u16; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (i, h) in halves.iter().enumerate() {
        out[2 * i..2 * i + 2].copy_from_slice(&h.to_le_bytes());
    }
    out
}

/// A founder device holding a notebook, with a connection open to its second device.
fn founder_with_peer() -> (Core<MemReplica>, NotebookId, DocId, DeviceId) {
    stones_sync::testnet::founder_with_peer().unwrap()
}

proptest! {
    #[test]
    fn random_bytes_never_panic_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = Msg::decode(&bytes);
        if bytes.len() >= 4 {
            let _ = read_frame_len([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
    }

    #[test]
    fn every_message_round_trips_and_every_truncation_is_an_error(m in msg()) {
        let bytes = m.encode();
        prop_assert_eq!(Msg::decode(&bytes).unwrap(), m);
        for cut in 0..bytes.len() {
            prop_assert!(Msg::decode(&bytes[..cut]).is_err());
        }
        let framed = frame(&bytes);
        prop_assert_eq!(read_frame_len([framed[0], framed[1], framed[2], framed[3]]).unwrap(), bytes.len());
    }

    #[test]
    fn hostile_frames_never_panic_the_core_nor_touch_its_documents(
        script in prop::collection::vec(
            prop_oneof![
                msg().prop_map(|m| m.encode()),
                prop::collection::vec(any::<u8>(), 0..100),
                (msg(), any::<usize>()).prop_map(|(m, cut)| { let b = m.encode(); b[..cut % (b.len() + 1)].to_vec() }),
            ],
            0..12
        ),
        honest_start in any::<bool>(),
    ) {
        let (mut core, nb, doc, _) = founder_with_peer();
        let before = core.replica.doc_mut(doc).unwrap().get_heads();
        if honest_start {
            core.received(ConnId(1), &Msg::Hello { protocol: PROTOCOL, notebooks: vec![nb] }.encode());
            core.received(ConnId(1), &Msg::Welcome { accepted: vec![nb], refused: vec![] }.encode());
        }
        for f in &script {
            core.received(ConnId(1), f);
        }
        let out = core.take_output().unwrap();
        // Whatever happened, the founder's document is as it was.
        prop_assert_eq!(core.replica.doc_mut(doc).unwrap().get_heads(), before);
        for o in out {
            if let Output::Send { msg, .. } = o {
                prop_assert!(Msg::decode(&msg).is_ok(), "the core only sends well-formed frames");
            }
        }
    }
}

#[test]
fn an_oversized_or_empty_frame_is_refused_by_its_length() {
    assert!(read_frame_len((17u32 << 20).to_be_bytes()).is_err());
    assert!(read_frame_len(0u32.to_be_bytes()).is_err());
    assert_eq!(read_frame_len(5u32.to_be_bytes()).unwrap(), 5);
}

#[test]
fn a_sync_message_before_the_notebook_is_open_closes_the_connection() {
    let (mut core, nb, doc, _) = founder_with_peer();
    let m = Msg::Sync {
        notebook: nb,
        doc,
        kind: DocKind::Index,
        message: vec![0x42, 1, 2],
        signatures: Vec::new(),
    };
    core.received(ConnId(1), &m.encode());
    let out = core.take_output().unwrap();
    assert!(
        out.iter()
            .any(|o| matches!(o, Output::Close { reason, .. } if reason.contains("not open")))
    );
    assert!(core.conns().is_empty());
}
