//! Convener rotation: who convened when, and who might convene next — the active member who
//! convened least recently, someone who never has first. Only ever a suggestion: a session
//! made without a convener stays without one.

use crate::date::Date;
use crate::ids::{EntryId, MemberId};
use crate::index::NotebookView;

/// A session someone convened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Convened {
    /// The day.
    pub date: Date,
    /// The session.
    pub session: EntryId,
    /// Who convened it.
    pub convener: MemberId,
}

/// Every session with a convener, oldest first.
pub fn conveners(view: &NotebookView) -> Vec<Convened> {
    view.sessions
        .iter()
        .filter_map(|s| {
            Some(Convened {
                date: s.date,
                session: s.id,
                convener: s.convener?,
            })
        })
        .collect()
}

/// The member to ask next, with the day they last convened (`None`: never): among members
/// who have not left, one who never convened (the longest-standing first), else the one
/// whose last session as convener is oldest. `None` when nobody is active.
pub fn next_convener(view: &NotebookView) -> Option<(MemberId, Option<Date>)> {
    let history = conveners(view);
    let last = |m: MemberId| {
        history
            .iter()
            .rev()
            .find(|c| c.convener == m)
            .map(|c| c.date)
    };
    view.members
        .iter()
        .filter(|m| m.left_at.is_none())
        .map(|m| (m.id, last(m.id), m.joined_at))
        // `None` sorts before any date: never convened comes first; then by joining.
        .min_by_key(|(id, last, joined)| (*last, *joined, *id))
        .map(|(id, last, _)| (id, last))
}
