//! Undo and redo of this device's own typing, on the document — never on a widget's buffer.
//!
//! Each splice this device makes in a text is kept as steps anchored to automerge cursors:
//! the characters it inserted (their own cursors) and the characters it deleted (their
//! cursors, text and who wrote them). Undo applies the inverse as new operations: it deletes
//! only those of *our* inserted characters that are still there — never a character another
//! person wrote, whatever landed before, after or inside our typing — and puts back what we
//! deleted where it stood. Redo does the same the other way. Splices are grouped as a person
//! expects: a burst of typing, a paste, a run of deletions, a replacement.
//!
//! The history is this process's, in memory (an editor's undo does not outlive it). Applying
//! goes through a [`Typist`], so the store can journal every splice like any keystroke.

use crate::error::Result;
use automerge::{ActorId, AutoCommit, Cursor, ObjId, ReadDoc};
use std::collections::HashMap;

/// Typing splices further apart than this start a new group.
const BURST_MS: i64 = 2_000;
/// A single insertion longer than this is a paste: a group of its own.
const PASTE_CHARS: usize = 8;
/// How many groups are kept.
const DEPTH: usize = 200;

/// Who applies a splice undo or redo computed, and reads the document after it.
pub trait Typist {
    /// The document as it is now, and the text object the history belongs to in it.
    fn doc(&mut self) -> Result<(&AutoCommit, ObjId)>;
    /// Splices the text (by code point), exactly as a keystroke would.
    fn splice(&mut self, pos: usize, del: usize, insert: &str) -> Result<()>;
    /// Notes that the `len` characters inserted from operation `first` were written by
    /// `writer` (`crate::credits::credit` on the document).
    fn credit(&mut self, first: &str, len: usize, writer: &ActorId) -> Result<()>;
}

/// What a group of splices did, for the words an Edit menu shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// A burst of typing.
    Typing,
    /// A paste (a long insertion at once).
    Paste,
    /// A run of deletions.
    Deletion,
    /// A selection replaced.
    Replacement,
}

/// Characters one splice inserted or deleted, by cursor.
#[derive(Clone, Debug)]
struct Step {
    text: String,
    cursors: Vec<Cursor>,
    /// True while the characters are in the document.
    present: bool,
    /// True if the splice inserted them (false: it deleted them).
    inserted: bool,
}

#[derive(Clone, Debug)]
struct Group {
    kind: GroupKind,
    steps: Vec<Step>,
    last_ms: i64,
    /// Where the next splice must be to continue the group: the end of the typing, or the
    /// position of the last deletion.
    next_at: usize,
}

/// What a splice is about to delete, read before it is applied.
#[derive(Clone, Debug, Default)]
pub struct Before {
    deleted: Option<Step>,
}

/// One text's undo and redo stacks.
#[derive(Clone, Debug, Default)]
pub struct UndoHistory {
    undo: Vec<Group>,
    redo: Vec<Group>,
}

/// Reads what `del` characters at `pos` are (call it before the splice).
pub fn before(doc: &AutoCommit, text: &ObjId, pos: usize, del: usize) -> Result<Before> {
    if del == 0 {
        return Ok(Before::default());
    }
    let end = (pos + del).min(doc.length(text));
    let cursors = (pos..end)
        .map(|i| doc.get_cursor(text, i, None))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(Before {
        deleted: Some(Step {
            text: deleted_text(doc, text, pos.min(end)..end)?,
            cursors,
            present: false,
            inserted: false,
        }),
    })
}

/// The characters in `range`, read without reading the whole text (a backspace in a long
/// reflection must not cost its length). Marks, which automerge 0.12's `list_range` yields
/// as items too, make the count differ: then the whole text is read.
fn deleted_text(doc: &AutoCommit, text: &ObjId, range: std::ops::Range<usize>) -> Result<String> {
    let mut out = String::new();
    for item in doc.list_range(text, range.clone()) {
        if let automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) = item.value {
            out.push_str(&s);
        }
    }
    if out.chars().count() == range.len() {
        return Ok(out);
    }
    Ok(doc
        .text(text)?
        .chars()
        .skip(range.start)
        .take(range.len())
        .collect())
}

fn kind_of(del: usize, inserted: usize) -> GroupKind {
    match (del, inserted) {
        (0, n) if n > PASTE_CHARS => GroupKind::Paste,
        (0, _) => GroupKind::Typing,
        (_, 0) => GroupKind::Deletion,
        _ => GroupKind::Replacement,
    }
}

impl UndoHistory {
    /// Records a splice just applied at `pos` (what it deleted read by [`before`]).
    pub fn record(
        &mut self,
        doc: &AutoCommit,
        text: &ObjId,
        pos: usize,
        before: Before,
        insert: &str,
        now_ms: i64,
    ) -> Result<()> {
        let n = insert.chars().count();
        let del = before.deleted.as_ref().map_or(0, |s| s.cursors.len());
        if del == 0 && n == 0 {
            return Ok(());
        }
        let mut steps: Vec<Step> = before.deleted.into_iter().collect();
        if n > 0 {
            let cursors = (pos..pos + n)
                .map(|i| doc.get_cursor(text, i, None))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            steps.push(Step {
                text: insert.to_string(),
                cursors,
                present: true,
                inserted: true,
            });
        }
        self.redo.clear();
        let kind = kind_of(del, n);
        let next_at = if n > 0 { pos + n } else { pos };
        if let Some(top) = self.undo.last_mut() {
            let recent = now_ms.saturating_sub(top.last_ms) <= BURST_MS;
            let continues = match (top.kind, kind) {
                (GroupKind::Typing, GroupKind::Typing) => pos == top.next_at,
                // Backspace (the run moves left) or delete (it stays put).
                (GroupKind::Deletion, GroupKind::Deletion) => {
                    pos + del == top.next_at || pos == top.next_at
                }
                _ => false,
            };
            if recent && continues {
                top.steps.extend(steps);
                top.last_ms = now_ms;
                top.next_at = next_at;
                return Ok(());
            }
        }
        self.undo.push(Group {
            kind,
            steps,
            last_ms: now_ms,
            next_at,
        });
        if self.undo.len() > DEPTH {
            self.undo.remove(0);
        }
        Ok(())
    }

    /// What undo would undo now: its kind and the words it touches.
    pub fn undo_label(&self) -> Option<(GroupKind, String)> {
        self.undo.last().map(label)
    }

    /// What redo would redo now.
    pub fn redo_label(&self) -> Option<(GroupKind, String)> {
        self.redo.last().map(label)
    }

    /// Undoes the last group; false when there is nothing to undo.
    pub fn undo(&mut self, t: &mut dyn Typist) -> Result<bool> {
        let Some(mut g) = self.undo.pop() else {
            return Ok(false);
        };
        for i in (0..g.steps.len()).rev() {
            let moved = toggle(t, &mut g.steps[i])?;
            self.follow(&mut g, i, &moved);
        }
        self.redo.push(g);
        Ok(true)
    }

    /// Redoes the last undone group; false when there is nothing to redo.
    pub fn redo(&mut self, t: &mut dyn Typist) -> Result<bool> {
        let Some(mut g) = self.redo.pop() else {
            return Ok(false);
        };
        for i in 0..g.steps.len() {
            let moved = toggle(t, &mut g.steps[i])?;
            self.follow(&mut g, i, &moved);
        }
        self.undo.push(g);
        Ok(true)
    }

    /// Characters put back are new characters: every other step that names the old ones
    /// (a paste whose tail a later backspace took) names the new ones from now on.
    fn follow(&mut self, g: &mut Group, done: usize, moved: &Moved) {
        if moved.is_empty() {
            return;
        }
        let others = g
            .steps
            .iter_mut()
            .enumerate()
            .filter(|(i, _)| *i != done)
            .map(|(_, s)| s)
            .chain(self.undo.iter_mut().flat_map(|g| g.steps.iter_mut()))
            .chain(self.redo.iter_mut().flat_map(|g| g.steps.iter_mut()));
        for step in others {
            for c in step.cursors.iter_mut() {
                if let Some(new) = moved.get(&c.to_bytes()) {
                    *c = new.clone();
                }
            }
        }
    }
}

/// Old cursor (as bytes) → the cursor of the character that replaced it.
type Moved = HashMap<Vec<u8>, Cursor>;

fn label(g: &Group) -> (GroupKind, String) {
    let words: String = g
        .steps
        .iter()
        .filter(|s| match g.kind {
            GroupKind::Deletion => true,
            _ => s.inserted,
        })
        .map(|s| s.text.as_str())
        .collect();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = words.chars().take(24).collect();
    let short = if words.chars().count() > 24 {
        format!("{short}…")
    } else {
        short
    };
    (g.kind, short)
}

/// Where a cursor's character is now, and whether it is still there.
fn locate(doc: &AutoCommit, text: &ObjId, c: &Cursor) -> Result<(usize, bool)> {
    let pos = doc.get_cursor_position(text, c, None)?;
    let here = pos < doc.length(text) && doc.get_cursor(text, pos, None)? == *c;
    Ok((pos, here))
}

/// Takes a step's characters out (deleting only those still there, all ours) or puts them
/// back where they stood, returning which new characters replace which old ones.
fn toggle(t: &mut dyn Typist, step: &mut Step) -> Result<Moved> {
    if step.present {
        let mut at = Vec::new();
        {
            let (doc, text) = t.doc()?;
            for c in &step.cursors {
                if let (pos, true) = locate(doc, &text, c)? {
                    at.push(pos);
                }
            }
        }
        at.sort_unstable();
        // Delete from the end, one run of neighbouring characters at a time.
        while let Some(&last) = at.last() {
            let mut first = last;
            at.pop();
            while at.last() == Some(&(first.wrapping_sub(1))) {
                first -= 1;
                at.pop();
            }
            t.splice(first, last + 1 - first, "")?;
        }
        step.present = false;
        Ok(Moved::new())
    } else {
        put_back(t, step)
    }
}

/// Puts a step's characters back, each where it stood: runs of characters with nothing
/// visible between them go in together, so words others typed between ours since (a word
/// inside a sentence we undid) stay where they are, between ours again.
/// Credits the characters just put back (`new`) whose writer was someone else than `me`,
/// in runs of one writer.
fn credit_run(
    t: &mut dyn Typist,
    new: &[Option<Cursor>],
    writers: &[Option<ActorId>],
    me: &ActorId,
) -> Result<()> {
    let mut k = 0;
    while k < new.len() {
        let writer = writers[k].clone().filter(|w| w != me);
        let end = (k..new.len())
            .find(|&j| writers[j].clone().filter(|w| w != me) != writer)
            .unwrap_or(new.len());
        if let (Some(w), Some(first)) = (writer, &new[k]) {
            t.credit(&first.to_string(), end - k, &w)?;
        }
        k = end;
    }
    Ok(())
}

fn put_back(t: &mut dyn Typist, step: &mut Step) -> Result<Moved> {
    let chars: Vec<char> = step.text.chars().collect();
    let n = chars.len().min(step.cursors.len());
    let positions = {
        let (doc, text) = t.doc()?;
        let len = doc.length(&text);
        step.cursors[..n]
            .iter()
            .map(|c| Ok(locate(doc, &text, c)?.0.min(len)))
            .collect::<Result<Vec<usize>>>()?
    };
    // (position, first char, end char) of each run, in text order.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, &p) in positions.iter().enumerate() {
        match runs.last_mut() {
            Some(run) if run.0 == p => run.2 = i + 1,
            _ => runs.push((p, i, i + 1)),
        }
    }
    // Who wrote each character first (a put-back character keeps its writer's credit).
    let writers: Vec<Option<ActorId>> = {
        let (doc, _) = t.doc()?;
        let credits = crate::credits::Credits::read(doc);
        step.cursors[..n]
            .iter()
            .map(|c| {
                let (ctr, actor) = crate::credits::parse_op(&c.to_string())?;
                Some(credits.writer(ctr, &actor))
            })
            .collect()
    };
    // From the last run back, so each run's position still holds when it goes in.
    let mut new: Vec<Option<Cursor>> = vec![None; n];
    for &(pos, from, to) in runs.iter().rev() {
        let run: String = chars[from..to].iter().collect();
        t.splice(pos, 0, &run)?;
        let (doc, text) = t.doc()?;
        for (k, slot) in new[from..to].iter_mut().enumerate() {
            *slot = Some(doc.get_cursor(&text, pos + k, None)?);
        }
        let me = doc.get_actor().clone();
        credit_run(t, &new[from..to], &writers[from..to], &me)?;
    }
    let new: Vec<Cursor> = new.into_iter().flatten().collect();
    let moved = step
        .cursors
        .iter()
        .map(|c| c.to_bytes())
        .zip(new.iter().cloned())
        .collect();
    step.cursors = new;
    step.text = chars[..n].iter().collect();
    step.present = true;
    Ok(moved)
}
