//! A cursor on a character that was deleted after the last visible one (a caret at the end
//! of a text whose last character a peer deleted) resolves to the end. automerge 0.12's
//! debug build panics here (its slow seek, used only to check the fast one, finds nothing:
//! automerge PR #1570); the workspace turns automerge's debug assertions off so tests and
//! debug builds answer as release does.
#![allow(clippy::unwrap_used)]

use stones_doc::automerge::transaction::Transactable;
use stones_doc::automerge::{AutoCommit, ObjType, ROOT, ReadDoc};

#[test]
fn a_cursor_on_a_deleted_last_character_resolves_to_the_end() {
    let mut doc = AutoCommit::new();
    let text = doc.put_object(ROOT, "text", ObjType::Text).unwrap();
    doc.splice_text(&text, 0, 0, "ab").unwrap();
    let on_b = doc.get_cursor(&text, 1, None).unwrap();
    doc.commit();
    let mut peer = doc.fork();
    peer.splice_text(&text, 1, 1, "").unwrap();
    doc.merge(&mut peer).unwrap();
    assert_eq!(doc.text(&text).unwrap(), "a");
    assert_eq!(doc.get_cursor_position(&text, &on_b, None).unwrap(), 1);
}
