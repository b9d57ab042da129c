//! `check` and `rescue` on a real store: a sound store checks sound and rescues whole; a
//! chunk damaged in place is named; a store file cut short at 24 offsets across its length
//! opens or fails naming the file (never a panic), and rescue then keeps every document
//! whose bytes are still before the cut exactly as it was, and invents nothing.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use stones_doc::automerge::{AutoCommit, ChangeHash};
use stones_doc::{DocId, DocKind, NewSession, NotebookId, Scope, SessionKind};
use stones_store::rescue::{Source, check, rescue};
use stones_store::{NewMember, Notebook, Store};

/// A notebook of 30 sessions with turns and reflections, some compacted; returns each
/// document's heads and chunk values as stored.
type Docs = BTreeMap<DocId, (DocKind, Vec<ChangeHash>, Vec<Vec<u8>>)>;

fn make_home(home: &Path) -> (NotebookId, Docs) {
    let store = Arc::new(Store::open_or_create(home).unwrap());
    let founder = NewMember {
        name: "Ana".into(),
        sector: "NHS".into(),
        ..NewMember::default()
    };
    let mut nb =
        Notebook::create(&store, "Stewards", "Holding the waiting list", &founder).unwrap();
    let me = nb.me().unwrap();
    for i in 0..30 {
        let new = NewSession {
            date: format!("2026-{:02}-{:02}", 1 + i / 28, 1 + i % 28)
                .parse()
                .unwrap(),
            kind: SessionKind::Weekly,
            title: format!("Week {i}"),
            convener: Some(me),
        };
        let s = nb.new_session(&new, "How are you arriving?").unwrap();
        for round in 0..(1 + i % 4) {
            nb.edit_session(s, "turn", |d, cx| {
                let text = format!("arriving {i}.{round}: {}", "tired but here ".repeat(20));
                let choice = stones_doc::TurnChoice::Spoke {
                    text,
                    scope: Scope::Group,
                };
                d.record_turn(me, &choice, cx.me, cx.now_ms)
            })
            .unwrap();
        }
        nb.edit_session(s, "reflection", |d, cx| {
            let body = format!(
                "what we heard in week {i}: {}",
                "the council listened ".repeat(30)
            );
            d.add_reflection("What we heard", &body, Scope::Group, cx.me, cx.now_ms)
        })
        .unwrap();
    }
    let mut out = BTreeMap::new();
    for (doc, _, kind) in store.db().docs().unwrap() {
        let (am, _, _) = store.db().load_doc(doc).unwrap();
        let chunks = store
            .db()
            .read_chunks(doc, 0)
            .unwrap()
            .into_iter()
            .map(|c| {
                let mut v = vec![c.kind];
                v.extend_from_slice(&c.bytes);
                v
            })
            .collect();
        out.insert(doc, (kind, heads(&am), chunks));
    }
    (nb.id(), out)
}

fn heads(am: &AutoCommit) -> Vec<ChangeHash> {
    let mut h = am.clone().get_heads();
    h.sort();
    h
}

/// Every document of the store at `home`, loaded.
fn all_docs(home: &Path) -> BTreeMap<DocId, AutoCommit> {
    let store = Store::open(home).unwrap();
    store
        .db()
        .docs()
        .unwrap()
        .into_iter()
        .map(|(doc, _, _)| (doc, store.db().load_doc(doc).unwrap().0))
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_sound_store_checks_sound_and_rescues_whole() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (nb_id, docs) = make_home(&home);
    let report = check(&home).unwrap();
    assert!(
        report.is_sound(),
        "{:?}",
        report.damaged().collect::<Vec<_>>()
    );
    assert_eq!(report.docs.len(), docs.len());
    assert!(
        report.docs.iter().any(|d| d.what.contains("Week 7")),
        "sessions are named"
    );

    let to = dir.path().join("rescued");
    let rescued = rescue(&home, &to).unwrap();
    assert_eq!(rescued.notebooks.len(), 1);
    assert_eq!(rescued.notebooks[0].sessions, 30);
    assert!(rescued.notebooks[0].not_rescued.is_empty());
    assert!(rescued.unplaced.is_empty());
    let got = all_docs(&to);
    assert_eq!(got.len(), docs.len());
    for (doc, (_, h, _)) in &docs {
        assert_eq!(&heads(&got[doc]), h, "document {doc} came through whole");
    }
    // The same device, and the notebook opens and reads as before.
    let old = Store::open(&home).unwrap().device();
    let store = Arc::new(Store::open(&to).unwrap());
    assert_eq!(store.device(), old);
    let nb = Notebook::open(&store, nb_id).unwrap();
    assert_eq!(nb.view().sessions.len(), 30);
    // A folder that holds a store is refused.
    let err = rescue(&home, &to).unwrap_err().to_string();
    assert!(err.contains("already holds a store"), "{err}");
}

#[test]
fn a_chunk_damaged_in_place_is_named_and_the_rest_reads() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (_, docs) = make_home(&home);
    let file = home.join("stones.redb");
    let mut bytes = std::fs::read(&file).unwrap();
    // The largest chunk of some session: flip bytes in the middle of its only copy.
    let (victim, value) = docs
        .iter()
        .filter(|(_, (kind, _, _))| *kind == DocKind::Session)
        .flat_map(|(d, (_, _, chunks))| chunks.iter().map(move |c| (*d, c.clone())))
        .filter(|(_, c)| c.len() > 200)
        .find(|(_, c)| bytes.windows(c.len()).filter(|w| w == c).count() == 1)
        .unwrap();
    let at = bytes.windows(value.len()).position(|w| w == value).unwrap() + value.len() / 2;
    for b in &mut bytes[at..at + 8] {
        *b ^= 0x5a;
    }
    std::fs::write(&file, &bytes).unwrap();
    let report = check(&home).unwrap();
    assert!(!report.is_sound());
    let damaged: Vec<_> = report.damaged().collect();
    assert_eq!(damaged.len(), 1, "{damaged:?}");
    assert_eq!(damaged[0].doc, victim);
    assert!(
        damaged[0].what.contains("session of"),
        "{}",
        damaged[0].what
    );
    let to = dir.path().join("rescued");
    let rescued = rescue(&home, &to).unwrap();
    let got = all_docs(&to);
    for (doc, (_, h, _)) in docs.iter().filter(|(d, _)| **d != victim) {
        assert_eq!(&heads(&got[doc]), h, "document {doc} is untouched");
    }
    assert_eq!(rescued.notebooks[0].title, "Stewards");
}

#[test]
fn a_store_cut_short_anywhere_opens_or_says_which_file_and_rescue_keeps_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (_, docs) = make_home(&home);
    let originals = all_docs(&home);
    let whole = std::fs::read(home.join("stones.redb")).unwrap();
    let len = whole.len();
    assert!(len > 64 << 10, "the store file is {len} bytes");
    let mut kept_whole = 0;
    let mut rounds = 0;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..24 {
        // Spread over the file: one cut in each 24th of it, at a pseudo-random place.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let cut = (len * round / 24 + (state as usize) % (len / 24)).max(1);
        let cut_home = dir.path().join(format!("cut-{round}"));
        std::fs::create_dir_all(&cut_home).unwrap();
        for f in ["stones.redb", "identity.key"] {
            std::fs::copy(home.join(f), cut_home.join(f)).unwrap();
        }
        std::fs::write(cut_home.join("stones.redb"), &whole[..cut]).unwrap();

        let opened = catch_unwind(AssertUnwindSafe(|| Store::open(&cut_home).map(|_| ())));
        match opened {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let msg = e.to_string();
                assert!(msg.contains("stones.redb"), "cut at {cut}: {msg}");
            }
            Err(_) => panic!("opening a store cut at {cut} of {len} panicked"),
        }
        // Opening may have repaired the file: check and rescue read a fresh cut.
        std::fs::write(cut_home.join("stones.redb"), &whole[..cut]).unwrap();
        let report = check(&cut_home).unwrap();
        if cut < len {
            assert!(
                !report.is_sound() || matches!(report.source, Source::Tables),
                "cut at {cut}"
            );
        }
        let to = dir.path().join(format!("rescued-{round}"));
        let rescued = rescue(&cut_home, &to).unwrap();
        // Rescued into the new store, or (with no notebook to take them) as files beside it.
        let mut got = all_docs(&to);
        for path in &rescued.unplaced {
            let stem = path.file_stem().unwrap().to_str().unwrap();
            let am = stones_doc::load_doc(&std::fs::read(path).unwrap()).unwrap();
            got.insert(DocId::from_hex(stem).unwrap(), am);
        }
        for (doc, (_, h, chunks)) in &docs {
            let before_cut = chunks.iter().all(|c| contains(&whole[..cut], c));
            if before_cut {
                let d = got.get(doc).unwrap_or_else(|| {
                    panic!("cut at {cut}: document {doc} was whole before the cut but not rescued")
                });
                assert_eq!(&heads(d), h, "cut at {cut}: document {doc}");
                kept_whole += 1;
            }
        }
        // Nothing invented: every rescued change is one of the original's.
        for (doc, d) in &got {
            let original = originals[doc].clone();
            for h in heads(d) {
                assert!(
                    original.clone().get_change_by_hash(&h).is_some(),
                    "cut at {cut}: document {doc} has a change the original never had"
                );
            }
        }
        eprintln!(
            "cut at {cut} of {len}: read from {:?}; {} documents found, {} rescued ({} as files), {} whole before the cut",
            rescued.report.source,
            rescued.report.docs.len(),
            got.len(),
            rescued.unplaced.len(),
            docs.values()
                .filter(|(_, _, c)| c.iter().all(|c| contains(&whole[..cut], c)))
                .count()
        );
        rounds += 1;
    }
    assert_eq!(rounds, 24);
    assert!(kept_whole > 0, "no document was ever before a cut");
}
