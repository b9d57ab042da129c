//! Undo and redo on the document: only this device's own typing is taken back or put back,
//! whatever another device typed before, inside or after it, and typing groups as a person
//! expects (a burst, a paste, a run of deletions).
#![allow(clippy::unwrap_used)]

use stones_doc::automerge::{ActorId, AutoCommit, ObjId, ROOT, ReadDoc};
use stones_doc::undo::{GroupKind, Typist, UndoHistory, before};
use stones_doc::{DeviceId, am};

struct Device {
    doc: AutoCommit,
    text: ObjId,
    history: UndoHistory,
}

impl Typist for Device {
    fn doc(&mut self) -> stones_doc::Result<(&AutoCommit, ObjId)> {
        Ok((&self.doc, self.text.clone()))
    }
    fn splice(&mut self, pos: usize, del: usize, insert: &str) -> stones_doc::Result<()> {
        am::splice(&mut self.doc, &self.text, pos, del, insert)
    }
    fn credit(&mut self, first: &str, len: usize, writer: &ActorId) -> stones_doc::Result<()> {
        stones_doc::credits::credit(&mut self.doc, first, len, writer)
    }
}

impl Device {
    fn type_at(&mut self, pos: usize, del: usize, insert: &str, now_ms: i64) {
        let b = before(&self.doc, &self.text, pos, del).unwrap();
        am::splice(&mut self.doc, &self.text, pos, del, insert).unwrap();
        self.history
            .record(&self.doc, &self.text, pos, b, insert, now_ms)
            .unwrap();
        self.doc.commit();
    }
    fn undo(&mut self) -> bool {
        let mut h = std::mem::take(&mut self.history);
        let done = h.undo(self).unwrap();
        self.history = h;
        self.doc.commit();
        done
    }
    fn redo(&mut self) -> bool {
        let mut h = std::mem::take(&mut self.history);
        let done = h.redo(self).unwrap();
        self.history = h;
        self.doc.commit();
        done
    }
    fn text(&self) -> String {
        self.doc.text(&self.text).unwrap()
    }
    fn meet(&mut self, other: &mut Device) {
        self.doc.merge(&mut other.doc).unwrap();
        other.doc.merge(&mut self.doc).unwrap();
    }
}

fn pair() -> (Device, Device) {
    let mut doc = stones_doc::new_doc().with_actor(DeviceId([1; 32]).actor(0));
    let text = am::put_text(&mut doc, &ROOT, "body", "").unwrap();
    doc.commit();
    let other = doc.fork().with_actor(DeviceId([2; 32]).actor(0));
    let a = Device {
        doc,
        text: text.clone(),
        history: UndoHistory::default(),
    };
    let b = Device {
        doc: other,
        text,
        history: UndoHistory::default(),
    };
    (a, b)
}

/// Types `s` one character at a time from `at`, `gap_ms` apart.
fn type_slowly(d: &mut Device, at: usize, s: &str, start_ms: i64, gap_ms: i64) {
    for (i, c) in s.chars().enumerate() {
        d.type_at(at + i, 0, &c.to_string(), start_ms + i as i64 * gap_ms);
    }
}

#[test]
fn undo_takes_back_only_my_typing_when_a_peer_typed_inside_and_after_it() {
    let (mut ann, mut bea) = pair();
    type_slowly(&mut ann, 0, "Trust grows", 0, 100);
    type_slowly(&mut ann, 11, " slowly", 5_000, 100);
    ann.meet(&mut bea);
    // Bea types inside Ann's words and after them.
    bea.type_at(5, 0, " really", 0);
    bea.type_at(bea.text().chars().count(), 0, " Bea's line.", 0);
    ann.meet(&mut bea);
    assert_eq!(ann.text(), "Trust really grows slowly Bea's line.");

    assert_eq!(
        ann.history.undo_label(),
        Some((GroupKind::Typing, "slowly".into()))
    );
    assert!(ann.undo());
    ann.meet(&mut bea);
    assert_eq!(ann.text(), "Trust really grows Bea's line.");
    assert!(ann.undo());
    ann.meet(&mut bea);
    assert_eq!(
        bea.text(),
        " really Bea's line.",
        "Bea's words stay, all of them"
    );
    assert!(!ann.undo(), "nothing more of Ann's to undo");
    assert_eq!(ann.text(), bea.text());

    assert!(ann.redo());
    ann.meet(&mut bea);
    assert_eq!(bea.text(), "Trust really grows Bea's line.");
    assert!(ann.redo());
    ann.meet(&mut bea);
    assert_eq!(bea.text(), "Trust really grows slowly Bea's line.");
    assert!(!ann.redo());
}

#[test]
fn a_paste_and_a_run_of_backspaces_are_groups_of_their_own() {
    let (mut ann, _) = pair();
    type_slowly(&mut ann, 0, "abc", 0, 100);
    ann.type_at(3, 0, " pasted words here", 400);
    // Two backspaces, then a pause, then one more.
    ann.type_at(20, 1, "", 500);
    ann.type_at(19, 1, "", 600);
    ann.type_at(18, 1, "", 9_000);
    assert_eq!(ann.text(), "abc pasted words h");
    assert_eq!(
        ann.history.undo_label(),
        Some((GroupKind::Deletion, "e".into()))
    );
    assert!(ann.undo());
    assert_eq!(ann.text(), "abc pasted words he");
    assert!(ann.undo());
    assert_eq!(ann.text(), "abc pasted words here");
    assert_eq!(
        ann.history.undo_label(),
        Some((GroupKind::Paste, "pasted words here".into()))
    );
    assert!(ann.undo());
    assert_eq!(ann.text(), "abc");
    assert!(ann.undo());
    assert_eq!(ann.text(), "");
    // New typing clears what could be redone.
    ann.type_at(0, 0, "x", 20_000);
    assert!(!ann.redo());
}

#[test]
fn undoing_my_deletion_puts_the_words_back_where_they_stood() {
    let (mut ann, mut bea) = pair();
    bea.type_at(0, 0, "one two three", 0);
    ann.meet(&mut bea);
    ann.type_at(3, 4, "", 100); // "one three"
    ann.meet(&mut bea);
    bea.type_at(0, 0, "zero ", 200);
    bea.type_at(bea.text().chars().count(), 0, " four", 300);
    ann.meet(&mut bea);
    assert!(ann.undo());
    ann.meet(&mut bea);
    assert_eq!(bea.text(), "zero one two three four");
    // The words put back are still Bea's in "written by", on both devices — also after
    // Ann redoes her deletion and undoes it again.
    let all_beas = |d: &Device| {
        let by = stones_doc::voices::words_by_actor(&d.doc, &d.text);
        let bea_actor = DeviceId([2; 32]).actor(0);
        assert_eq!(by.get(&bea_actor), Some(&5), "{by:?}");
        assert_eq!(by.len(), 1, "nobody else wrote a word: {by:?}");
    };
    all_beas(&ann);
    all_beas(&bea);
    assert!(ann.redo());
    assert!(ann.undo());
    ann.meet(&mut bea);
    assert_eq!(bea.text(), "zero one two three four");
    all_beas(&bea);
}

#[test]
fn a_paste_undone_and_redone_puts_each_character_back_around_words_typed_inside_it() {
    let (mut ann, mut bea) = pair();
    ann.type_at(0, 0, "Trust grows slowly", 0);
    ann.meet(&mut bea);
    bea.type_at("Trust".len(), 0, " really", 0);
    ann.meet(&mut bea);
    assert!(ann.undo());
    assert_eq!(ann.text(), " really");
    assert!(ann.redo());
    ann.meet(&mut bea);
    assert_eq!(bea.text(), "Trust really grows slowly");
    // And again: the characters put back are undone as the paste's own.
    assert!(ann.undo());
    assert_eq!(ann.text(), " really");
}
