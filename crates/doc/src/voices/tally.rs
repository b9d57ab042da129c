//! One session's counts per member, read from its document: turns, passes and words spoken
//! in the check-in round (the turn's member), and words written in reflections, stories and
//! retellings, each word attributed to whoever typed its first character — the actor of the
//! operation that inserted it, mapped to a device and so to a member. Several people
//! co-writing one reflection each get their own words.

use super::Counts;
use crate::am::get_obj;
use crate::ids::MemberId;
use crate::schema::key;
use crate::session::SessionView;
use automerge::{ActorId, ObjId, ObjType, ROOT, ReadDoc, ScalarValueRef, ValueRef};
use std::collections::BTreeMap;

/// What one session's document says each member did (presence comes from the index).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionTally {
    /// Counts by member (`sessions_present` is left at 0 here).
    pub by_member: BTreeMap<MemberId, Counts>,
    /// Written words whose author this device cannot name (text from outside the group).
    pub unattributed_words: u32,
}

/// What one session's document says before anyone is named for what they typed: the
/// check-in round's counts by member, and the written words by the actor that typed them.
/// It depends on the document alone, so a store can keep it beside the document's last
/// chunk; [`RawTally::attribute`] maps actors to members with the index as it is now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawTally {
    /// Turns, passes and turn words by member (`written_words` and presence left at 0).
    pub turns: BTreeMap<MemberId, Counts>,
    /// Words written in reflections, stories and retellings, by who typed them.
    pub written: BTreeMap<ActorId, u32>,
}

impl RawTally {
    /// Names the writers: `member_of` maps an actor to the member whose device it is.
    pub fn attribute(&self, member_of: impl Fn(&ActorId) -> Option<MemberId>) -> SessionTally {
        let mut t = SessionTally {
            by_member: self.turns.clone(),
            unattributed_words: 0,
        };
        for (actor, words) in &self.written {
            match member_of(actor) {
                Some(m) => t.by_member.entry(m).or_default().written_words += words,
                None => t.unattributed_words += words,
            }
        }
        t
    }
}

/// Who typed the words of one text field (a reflection's body, a story, a retelling): its
/// words counted by the actor that inserted each word's first character.
pub fn field_writers(
    doc: &impl ReadDoc,
    field: &crate::TextField,
) -> crate::error::Result<BTreeMap<ActorId, u32>> {
    Ok(words_by_actor(doc, &field.resolve(doc)?))
}

/// Counts the words of a text, split by who inserted the first character of each word (or,
/// for a character an undo put back, who wrote it first).
pub fn words_by_actor(doc: &impl ReadDoc, text: &ObjId) -> BTreeMap<ActorId, u32> {
    let mut out: BTreeMap<ActorId, u32> = BTreeMap::new();
    // Characters an undo put back count for whoever wrote them first (`crate::credits`).
    let credits = crate::credits::Credits::read(doc);
    let mut in_word = false;
    for item in doc.list_range(text, ..) {
        let ValueRef::Scalar(ScalarValueRef::Str(s)) = &item.value else {
            in_word = false;
            continue;
        };
        for c in s.chars() {
            if c.is_whitespace() {
                in_word = false;
            } else if !in_word {
                in_word = true;
                if let automerge::ObjId::Id(ctr, actor, _) = item.id() {
                    *out.entry(credits.writer(ctr, &actor)).or_default() += 1;
                }
            }
        }
    }
    out
}

/// The words spoken in a turn (whitespace-separated).
pub fn word_count(text: &str) -> u32 {
    u32::try_from(text.split_whitespace().count()).unwrap_or(u32::MAX)
}

/// The text objects written in a session: reflections' bodies, stories and retellings.
fn written_texts(doc: &impl ReadDoc) -> Vec<ObjId> {
    let mut out = Vec::new();
    let entries = |parent: &ObjId, map: &str| -> Vec<ObjId> {
        let Some(m) = get_obj(doc, parent, map, ObjType::Map) else {
            return Vec::new();
        };
        doc.keys(&m)
            .filter_map(|k| get_obj(doc, &m, &k, ObjType::Map))
            .collect()
    };
    for r in entries(&ROOT, key::REFLECTIONS) {
        out.extend(get_obj(doc, &r, key::BODY, ObjType::Text));
    }
    for s in entries(&ROOT, key::STORIES) {
        out.extend(get_obj(doc, &s, key::TEXT, ObjType::Text));
        for r in entries(&s, key::RETELLINGS) {
            out.extend(get_obj(doc, &r, key::TEXT, ObjType::Text));
        }
    }
    out
}

/// Reads one session's tally off its document: `view` is the document read (its turns),
/// `doc` the document itself (for who typed what).
pub fn raw_tally(doc: &impl ReadDoc, view: &SessionView) -> RawTally {
    let mut t = RawTally::default();
    for turn in &view.turns {
        let c = t.turns.entry(turn.member).or_default();
        if turn.passed {
            c.passes += 1;
        } else {
            c.turns += 1;
            c.turn_words += word_count(&turn.text);
        }
    }
    for text in written_texts(doc) {
        for (actor, words) in words_by_actor(doc, &text) {
            *t.written.entry(actor).or_default() += words;
        }
    }
    t
}

/// Tallies one session: [`raw_tally`], then `member_of` maps each actor to the member whose
/// device it is.
pub fn tally_session(
    doc: &impl ReadDoc,
    view: &SessionView,
    member_of: impl Fn(&ActorId) -> Option<MemberId>,
) -> SessionTally {
    raw_tally(doc, view).attribute(member_of)
}
