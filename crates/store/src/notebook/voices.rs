//! Voices over a run of sessions: each session's document is tallied where it is (in
//! memory, or loaded from the store for the moment and dropped again, so counting four
//! years does not keep four years in memory).

use super::Notebook;
use crate::error::{Result, StoreError};
use crate::loaded::load_am;
use stones_doc::voices::{SessionTally, Voices, Window, tally_session, voices};
use stones_doc::{DeviceId, EntryId, SessionDoc};

/// Voices and the sessions in the window that could not be read, with why.
#[derive(Debug, Default)]
pub struct VoicesReport {
    /// The counts.
    pub voices: Voices,
    /// Sessions whose document is damaged (they count as missing), with why.
    pub skipped: Vec<(EntryId, String)>,
}

impl Notebook {
    /// Counts voices over the sessions inside `window`.
    pub fn voices(&mut self, window: &Window) -> Result<VoicesReport> {
        let view = self.view();
        let member_of = |a: &stones_doc::automerge::ActorId| {
            DeviceId::from_actor(a).and_then(|d| view.member_of_device(d))
        };
        let chosen = window.select(&view);
        let mut skipped = Vec::new();
        let mut tallies: Vec<(&stones_doc::SessionEntry, Option<SessionTally>)> = Vec::new();
        for entry in chosen {
            let tally = if let Some(l) = self.sessions.get(&entry.doc) {
                let doc = l.doc.doc();
                Some(tally_session(doc, &l.doc.view(), member_of))
            } else {
                match load_am(&self.store, entry.doc) {
                    Ok((am, _, _)) => {
                        let s = SessionDoc::from_doc(am);
                        Some(tally_session(s.doc(), &s.view(), member_of))
                    }
                    Err(StoreError::NotFound { .. }) => None,
                    Err(e) => {
                        skipped.push((entry.id, e.to_string()));
                        None
                    }
                }
            };
            tallies.push((entry, tally));
        }
        Ok(VoicesReport {
            voices: voices(&view, &tallies),
            skipped,
        })
    }
}
