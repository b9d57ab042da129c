//! Withdrawal: a member takes back what they wrote — a check-in turn, a reflection, a story
//! (with its retellings) or one retelling. The entry leaves the current document (and so
//! `show` and every export); the document's history, and devices that already synced it,
//! still hold it: automerge deletes from the current state, never from the past.
//!
//! Who may: the entry's author (the turn's member, whoever recorded it, a story's teller,
//! whoever started a reflection), or someone acting as the session's convener.

use super::SessionDoc;
use crate::am::get_obj;
use crate::error::{DocError, Result};
use crate::ids::{EntryId, MemberId};
use crate::schema::key;
use crate::session::SessionView;
use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT};

/// An entry of a session that can be withdrawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Withdrawable {
    /// A member's check-in turn.
    Turn(MemberId),
    /// A reflection.
    Reflection(EntryId),
    /// A story, with its retellings.
    Story(EntryId),
    /// One retelling of a story (story, retelling).
    Retelling(EntryId, EntryId),
}

impl Withdrawable {
    /// What it is, in words.
    pub fn what(&self) -> &'static str {
        match self {
            Withdrawable::Turn(_) => "check-in turn",
            Withdrawable::Reflection(_) => "reflection",
            Withdrawable::Story(_) => "story",
            Withdrawable::Retelling(..) => "retelling",
        }
    }

    /// Its id (the member's, for a turn), in hex.
    pub fn id_hex(&self) -> String {
        match self {
            Withdrawable::Turn(m) => m.to_hex(),
            Withdrawable::Reflection(e)
            | Withdrawable::Story(e)
            | Withdrawable::Retelling(_, e) => e.to_hex(),
        }
    }

    /// Who wrote it, as the session records it; `None` when the session holds no such entry.
    pub fn authors(&self, s: &SessionView) -> Option<Vec<MemberId>> {
        let mut out: Vec<MemberId> = match *self {
            Withdrawable::Turn(m) => {
                let turns: Vec<_> = s.turns.iter().filter(|t| t.member == m).collect();
                if turns.is_empty() {
                    return None;
                }
                turns
                    .iter()
                    .flat_map(|t| [Some(t.member), t.by])
                    .flatten()
                    .collect()
            }
            Withdrawable::Reflection(r) => {
                let x = s.reflections.iter().find(|x| x.id == r)?;
                x.by.into_iter().collect()
            }
            Withdrawable::Story(st) => {
                let x = s.stories.iter().find(|x| x.id == st)?;
                [x.teller, x.by].into_iter().flatten().collect()
            }
            Withdrawable::Retelling(st, r) => {
                let story = s.stories.iter().find(|x| x.id == st)?;
                let y = story.retellings.iter().find(|y| y.id == r)?;
                [y.teller, y.by].into_iter().flatten().collect()
            }
        };
        out.sort();
        out.dedup();
        Some(out)
    }
}

impl SessionDoc {
    /// Removes an entry from the current document.
    pub fn withdraw(&mut self, entry: Withdrawable) -> Result<()> {
        let missing = |id: String| DocError::NotFound {
            what: entry.what(),
            id,
        };
        let map = |doc: &automerge::AutoCommit, parent: &automerge::ObjId, k: &str| {
            get_obj(doc, parent, k, ObjType::Map)
        };
        let (parent, k) = match entry {
            Withdrawable::Turn(m) => {
                let turns = map(&self.doc, &ROOT, key::CHECKIN)
                    .and_then(|c| map(&self.doc, &c, key::TURNS))
                    .ok_or_else(|| missing(m.to_hex()))?;
                (turns, m.to_hex())
            }
            Withdrawable::Reflection(r) => (
                map(&self.doc, &ROOT, key::REFLECTIONS).ok_or_else(|| missing(r.to_hex()))?,
                r.to_hex(),
            ),
            Withdrawable::Story(s) => (
                map(&self.doc, &ROOT, key::STORIES).ok_or_else(|| missing(s.to_hex()))?,
                s.to_hex(),
            ),
            Withdrawable::Retelling(s, r) => {
                let retellings = map(&self.doc, &ROOT, key::STORIES)
                    .and_then(|m| map(&self.doc, &m, &s.to_hex()))
                    .and_then(|st| map(&self.doc, &st, key::RETELLINGS))
                    .ok_or_else(|| missing(r.to_hex()))?;
                (retellings, r.to_hex())
            }
        };
        if automerge::ReadDoc::get(&self.doc, &parent, &k)?.is_none() {
            return Err(missing(k));
        }
        self.doc.delete(&parent, &k)?;
        Ok(())
    }
}
