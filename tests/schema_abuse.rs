//! Schema abuse by a member's device, through the real `stones` binary over iroh on
//! 127.0.0.1: Bea, a member, writes valid automerge of the wrong shapes into her own copy —
//! a number where text belongs, a list where a map belongs, 10 MB of text in one check-in
//! turn, 10,000 sessions, a session whose document is the notebook's index, a session
//! document that calls itself an index — signed with her own key, and syncs it. The other
//! devices take it, keep working, show what they can, say what they skipped, and Cal and
//! Ann still sync with each other.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, founded, join};
use rand::RngExt;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use stones_doc::automerge::transaction::Transactable;
use stones_doc::automerge::{AutoCommit, ObjType, ROOT, ReadDoc};
use stones_doc::{Date, DocId, DocKind, IndexDoc, MemberId, NewSession, SessionKind};
use stones_store::Store;

/// A writer slot no `stones` process of Bea's takes in this test.
const SLOT: u8 = 200;

/// Applies `f` to the document of `kind` in `dev`'s store under `dev`'s own actor and
/// stores what it changed (as a process of hers would; her key signs it when she syncs).
fn write_raw(dev: &Device, kind: DocKind, f: impl FnOnce(&mut AutoCommit, DocId)) {
    let store = Store::open(dev.path()).unwrap();
    let docs = store.db().docs().unwrap();
    let (doc, nb, _) = *docs.iter().find(|(_, _, k)| *k == kind).unwrap();
    let index = docs
        .iter()
        .find(|(_, _, k)| *k == DocKind::Index)
        .unwrap()
        .0;
    let (mut am, _, _) = stones_store::loaded::load_am(&store, doc).unwrap();
    let before = am.get_heads();
    am.set_actor(store.device().actor(SLOT));
    f(&mut am, index);
    am.commit();
    let bytes = am.save_after(&before);
    store.append_changes(doc, nb, kind, &bytes).unwrap();
}

fn member_named(d: &Device, name: &str) -> MemberId {
    let line = d.ok(&["members"]);
    let id = line
        .lines()
        .find(|l| l.split('\t').nth(1) == Some(name))
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    MemberId::from_hex(&id).unwrap()
}

fn random_words(bytes: usize) -> String {
    let mut rng = rand::rng();
    let mut s = String::with_capacity(bytes + 16);
    while s.len() < bytes {
        for _ in 0..rng.random_range(2..9) {
            s.push(rng.random_range(b'a'..=b'z') as char);
        }
        s.push(' ');
    }
    s
}

/// Bea's wrong shapes in the session document (one change of its own).
fn abuse_session(bea: &Device, reflection: &str) {
    write_raw(bea, DocKind::Session, |am, _| {
        let reflections = am.get(ROOT, "reflections").unwrap().unwrap().1;
        let r = am.get(&reflections, reflection).unwrap().unwrap().1;
        // A number where a reflection's text belongs.
        am.put(&r, "body", 42).unwrap();
        // A list where a reflection (a map) belongs.
        am.put_object(
            &reflections,
            "0123456789abcdef0123456789abcdef",
            ObjType::List,
        )
        .unwrap();
        // A session document that calls itself an index, with a member of its own.
        am.put(ROOT, "schema", "stones/notebook/1").unwrap();
        let members = am.put_object(ROOT, "members", ObjType::Map).unwrap();
        let m = am
            .put_object(&members, MemberId::random().to_hex(), ObjType::Map)
            .unwrap();
        am.put(&m, "name", "Mallory").unwrap();
    });
}

/// 10 MB of text in one check-in turn (a valid shape, an abusive size), as a change of its
/// own after the wrong shapes.
fn flood_turn(bea: &Device, bea_member: MemberId) {
    let ten_mb = random_words(10 << 20);
    write_raw(bea, DocKind::Session, |am, _| {
        let turns = am.get(ROOT, "checkin").unwrap().unwrap().1;
        let turns = am.get(&turns, "turns").unwrap().unwrap().1;
        let turn = am
            .put_object(&turns, bea_member.to_hex(), ObjType::Map)
            .unwrap();
        let text = am.put_object(&turn, "text", ObjType::Text).unwrap();
        am.splice_text(&text, 0, 0, &ten_mb).unwrap();
    });
}

/// Bea's abuse of the index: 10,000 sessions, one whose document is the index itself, a
/// member that is a list. Returns how many sessions it added and the disguised one's id.
fn abuse_index(bea: &Device) -> (usize, String) {
    let (mut added, mut disguised) = (0, String::new());
    write_raw(bea, DocKind::Index, |am, index_doc| {
        let mut idx = IndexDoc::from_doc(std::mem::take(am));
        for i in 0..10_000u32 {
            let s = NewSession {
                date: Date::new(2027, 1 + (i % 12) as u8, 1 + (i % 28) as u8).unwrap(),
                kind: SessionKind::Weekly,
                title: format!("flood {i}"),
                convener: None,
            };
            idx.add_session(&s, None, 1_800_000_000_000).unwrap();
            added += 1;
        }
        let (entry, _) = idx
            .add_session(
                &NewSession {
                    date: Date::new(2027, 2, 2).unwrap(),
                    kind: SessionKind::Weekly,
                    title: "the index in disguise".into(),
                    convener: None,
                },
                None,
                1_800_000_000_000,
            )
            .unwrap();
        let am2 = idx.doc_mut();
        let sessions = am2.get(ROOT, "sessions").unwrap().unwrap().1;
        disguised = entry.to_hex();
        let e = am2.get(&sessions, entry.to_hex()).unwrap().unwrap().1;
        am2.put(&e, "doc", index_doc.to_hex()).unwrap();
        let members = am2.get(ROOT, "members").unwrap().unwrap().1;
        am2.put_object(&members, MemberId::random().to_hex(), ObjType::List)
            .unwrap();
        *am = std::mem::take(am2);
    });
    (added, disguised)
}

fn run(d: &Device, args: &[&str]) -> (bool, String, String) {
    let out = d.run(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Runs `stones sync` on `d` against `ticket` until it says a peer refused something; the
/// line that says so. Panics if the sync ends without saying it.
fn refusal_said_to(d: &Device, ticket: &str) -> String {
    let mut child = d
        .cmd(&["sync", "--peer", ticket, "--timeout", "3600"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = Vec::new();
    let refusal = stderr.lines().map(Result::unwrap).find(|line| {
        said.push(line.clone());
        line.contains("refused")
    });
    let _ = child.kill(); // it may have ended already
    child.wait().unwrap();
    refusal.unwrap_or_else(|| panic!("the sync ended without a refusal: {}", said.join("\n")))
}

#[test]
fn a_members_wrong_shapes_are_skipped_with_a_word_and_everyone_keeps_syncing() {
    let (ann, bea, cal) = (Device::new(), Device::new(), Device::new());
    let (s, r) = founded(&ann);
    ann.ok(&["checkin", &s, "--text", "Ann arrives"]);
    {
        let _serve = ann.serve();
        join(&ann, &bea, "Bea");
        join(&ann, &cal, "Cal");
    }
    let bea_member = member_named(&bea, "Bea");
    abuse_session(&bea, &r);
    let (flooded, disguised) = abuse_index(&bea);
    flood_turn(&bea, bea_member);

    let serve = ann.serve();
    // Ann takes the wrong shapes and the flood of sessions, and refuses the 10 MB turn with
    // its reason: Bea's sync cannot settle (as with a forged change); she is told why as it
    // happens (read off her sync's output, however long a busy machine takes to get there).
    let told = refusal_said_to(&bea, &serve.ticket);
    assert!(told.contains("operations"), "Bea is told why: {told}");
    cal.sync_with(&serve.ticket);
    for d in [&ann, &cal] {
        let (ok, listed, said) = run(d, &["sessions"]);
        assert!(ok, "{said}");
        assert!(
            listed.lines().count() > flooded,
            "the flood is listed: all of it"
        );
        assert!(
            said.contains("skipped"),
            "the list member is reported: {said}"
        );
        let (ok, shown, said) = run(d, &["show", &s]);
        assert!(ok, "{said}");
        assert!(shown.contains("Ann arrives"), "honest turns are shown");
        assert!(shown.len() < 1 << 20, "the 10 MB turn never arrived");
        assert!(said.contains("skipped"), "what was skipped is said: {said}");
        assert!(said.contains("body"), "the number body is named: {said}");
        assert!(!shown.contains("Mallory"));
        let (ok, _, said) = run(d, &["show", &disguised]);
        assert!(!ok, "the index cannot be opened as a session");
        assert!(said.contains("index"), "and says why: {said}");
        let out = d.path().join("export.json");
        let (ok, _, said) = run(
            d,
            &[
                "export",
                "--include-group",
                "--format",
                "json",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(ok, "export goes on: {said}");
        let exported = std::fs::read_to_string(&out).unwrap();
        assert!(exported.contains("Ann arrives") && !exported.contains("Mallory"));
    }
    // The others still sync: Cal writes, and Ann takes it.
    cal.ok(&["checkin", &s, "--text", "Cal is still here"]);
    cal.sync_with(&serve.ticket);
    assert!(ann.ok(&["show", &s]).contains("Cal is still here"));
    drop(serve);
}
