//! Shared setup for the store's integration tests: a founder, a session, and a notebook
//! holding one session.
#![allow(clippy::unwrap_used, dead_code)]

use stones_doc::{EntryId, NewSession, SessionKind};
use stones_store::{NewMember, Notebook, Store};

/// The notebook's founding member.
pub fn founder() -> NewMember {
    NewMember {
        name: "Ana".into(),
        sector: "NHS".into(),
        role: "convener".into(),
    }
}

/// A weekly session on day `day` of March 2026.
pub fn session(day: u8) -> NewSession {
    NewSession {
        date: format!("2026-03-{day:02}").parse().unwrap(),
        kind: SessionKind::Weekly,
        title: format!("Week {day}"),
        convener: None,
    }
}

/// A new notebook in `store` with one session.
pub fn notebook_with_session(store: &std::sync::Arc<Store>) -> (Notebook, EntryId) {
    let mut nb = Notebook::create(store, "Group", "", &founder()).unwrap();
    let s = nb.new_session(&session(1), "").unwrap();
    (nb, s)
}
