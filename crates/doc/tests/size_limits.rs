//! The size limits: our writers never make a text past `MAX_TEXT_CHARS`, and a peer's
//! change past `MAX_CHANGE_OPS` (or one taking a document past `MAX_DOC_OPS`, or its writer
//! past their share, or one reusing another change's author and sequence number) is refused
//! with its reason while the rest of the message is taken — for session documents, which
//! are not signed, as for the index.
#![allow(clippy::unwrap_used)]

use automerge::sync::{State, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ReadDoc};
use stones_doc::limits::{MAX_CHANGE_OPS, MAX_DEVICE_SHARE_OPS, MAX_DOC_OPS, MAX_TEXT_CHARS};
use stones_doc::signed::{Refused, Unsigned, screen_sync_message};
use stones_doc::{DocError, am};

#[test]
fn no_edit_makes_a_text_longer_than_the_limit() {
    let mut doc = AutoCommit::new();
    let long = "a".repeat(MAX_TEXT_CHARS + 1);
    let err = am::put_text(&mut doc, &ROOT, "t", &long).unwrap_err();
    assert!(matches!(err, DocError::TooLong { .. }), "{err}");
    assert!(err.to_string().contains("split it"), "{err}");
    let t = am::put_text(&mut doc, &ROOT, "t", &long[1..]).unwrap();
    let err = am::splice(&mut doc, &t, 0, 0, "b").unwrap_err();
    assert!(matches!(err, DocError::TooLong { .. }), "{err}");
    // Replacing a character keeps the length: allowed, as is any shortening.
    am::splice(&mut doc, &t, 0, 1, "b").unwrap();
    am::splice(&mut doc, &t, 0, 10, "").unwrap();
    assert!(am::put_whole(&mut doc, &ROOT, "title", &long).is_err());
    assert_eq!(
        doc.length(&t),
        MAX_TEXT_CHARS - 10,
        "a refused edit changed nothing"
    );
}

/// The sync messages `from` sends to a peer holding nothing, received into `into` through
/// screening (as a session document: unsigned), until `from` has nothing more to say.
fn sync_into(from: &mut AutoCommit, into: &mut AutoCommit) -> Refused {
    let (mut theirs, mut ours) = (State::new(), State::new());
    let (mut refused, mut back) = (Refused::default(), Refused::default());
    for _ in 0..10 {
        let Some(mut m) = from.sync().generate_sync_message(&mut theirs) else {
            break;
        };
        screen_sync_message(into, false, &mut m, |_| None, &mut refused).unwrap();
        into.sync().receive_sync_message(&mut ours, m).unwrap();
        // The sender screens what comes back as our devices do.
        if let Some(mut reply) = into.sync().generate_sync_message(&mut ours) {
            screen_sync_message(from, false, &mut reply, |_| None, &mut back).unwrap();
            from.sync()
                .receive_sync_message(&mut theirs, reply)
                .unwrap();
        }
    }
    refused
}

#[test]
fn an_oversized_change_and_what_builds_on_it_are_refused_the_rest_taken() {
    let mut theirs = AutoCommit::new();
    theirs.put(ROOT, "before", "kept").unwrap();
    theirs.commit();
    let mut ours = theirs.fork();
    let text = theirs.put_object(ROOT, "flood", ObjType::Text).unwrap();
    theirs
        .splice_text(&text, 0, 0, &"x".repeat(MAX_CHANGE_OPS + 1))
        .unwrap();
    theirs.commit();
    theirs.put(ROOT, "after", "builds on the flood").unwrap();
    theirs.commit();
    let mut beside = ours.fork();
    beside.put(ROOT, "beside", "concurrent, kept").unwrap();
    theirs.merge(&mut beside).unwrap();

    let refused = sync_into(&mut theirs, &mut ours);
    assert_eq!(refused.len(), 2, "the flood and the change after it");
    assert!(matches!(
        refused.reason(),
        Some(Unsigned::Oversized { ops }) if *ops > MAX_CHANGE_OPS
    ));
    assert!(ours.get(ROOT, "flood").unwrap().is_none());
    assert!(ours.get(ROOT, "after").unwrap().is_none());
    assert!(
        ours.get(ROOT, "beside").unwrap().is_some(),
        "the rest is taken"
    );
    assert!(ours.stats().num_ops < 10, "nothing of the flood is held");
}

#[test]
fn a_document_past_its_limit_takes_no_more() {
    let mut theirs = AutoCommit::new();
    let text = theirs.put_object(ROOT, "t", ObjType::Text).unwrap();
    theirs.commit();
    let mut ours = theirs.fork();
    // Changes each within the limit for one change, together past the document's — by
    // several writers, each within their share.
    let per = MAX_CHANGE_OPS;
    let changes = (MAX_DOC_OPS as usize / per) + 1;
    for _ in 0..changes {
        theirs.set_actor(ActorId::random());
        theirs.splice_text(&text, 0, 0, &"y".repeat(per)).unwrap();
        theirs.commit();
    }
    let refused = sync_into(&mut theirs, &mut ours);
    assert_eq!(refused.reason(), Some(&Unsigned::OverfillsDocument));
    assert!(ours.stats().num_ops <= MAX_DOC_OPS);
    assert!(
        ours.length(&text) >= MAX_DOC_OPS as usize - per,
        "up to the limit is taken"
    );
}

#[test]
fn one_writer_alone_cannot_fill_a_document_for_everyone() {
    let mut theirs = AutoCommit::new();
    let text = theirs.put_object(ROOT, "t", ObjType::Text).unwrap();
    theirs.commit();
    let mut ours = theirs.fork();
    // One writer floods in changes each within the limit for one change.
    let per = MAX_CHANGE_OPS / 2;
    let changes = (MAX_DEVICE_SHARE_OPS as usize / per) + 2;
    for _ in 0..changes {
        theirs.splice_text(&text, 0, 0, &"y".repeat(per)).unwrap();
        theirs.commit();
    }
    let refused = sync_into(&mut theirs, &mut ours);
    assert_eq!(refused.reason(), Some(&Unsigned::OverfillsShare));
    assert!(ours.length(&text) <= MAX_DEVICE_SHARE_OPS as usize);
    // Another writer still writes: the document is far from full.
    let mut other = ours.fork().with_actor(ActorId::random());
    other.splice_text(&text, 0, 0, "still room").unwrap();
    other.commit();
    let refused = sync_into(&mut other, &mut ours);
    assert!(refused.is_empty(), "{:?}", refused.reason());
    assert!(ours.text(&text).unwrap().starts_with("still room"));
}

#[test]
fn a_change_reusing_another_writers_sequence_number_is_refused_and_the_rest_taken() {
    let mut base = AutoCommit::new();
    base.put(ROOT, "title", "start").unwrap();
    base.commit();
    let ann = ActorId::random();
    let mut honest = base.fork().with_actor(ann.clone());
    honest.put(ROOT, "ann", "what Ann wrote").unwrap();
    honest.commit();
    let mut ours = base.fork();
    ours.merge(&mut honest).unwrap();
    // Mallory forges Ann's change (her author id, her sequence number, other words) and
    // holds Bea's honest change beside it.
    let mut mallory = base.fork().with_actor(ann);
    mallory
        .put(ROOT, "ann", "words put in Ann's mouth")
        .unwrap();
    mallory.commit();
    let mut bea = base.fork();
    bea.put(ROOT, "bea", "what Bea wrote").unwrap();
    bea.commit();
    mallory.merge(&mut bea).unwrap();
    let refused = sync_into(&mut mallory, &mut ours);
    assert_eq!(refused.reason(), Some(&Unsigned::ReusesSequence));
    let text = |am: &AutoCommit, k: &str| {
        am.get(ROOT, k)
            .unwrap()
            .and_then(|(v, _)| v.as_str().map(str::to_string))
    };
    assert_eq!(text(&ours, "ann").as_deref(), Some("what Ann wrote"));
    let bea = text(&ours, "bea");
    assert_eq!(bea.as_deref(), Some("what Bea wrote"), "the rest is taken");
}
