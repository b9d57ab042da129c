//! Voices over a run of sessions, each session's document tallied where it is (`walk.rs`).

use super::Notebook;
use super::walk::{Keep, Visit};
use crate::derived_cache::Derived;
use crate::error::Result;
use std::collections::BTreeMap;
use stones_doc::voices::{RawTally, Voices, Window, encode, field_writers, raw_tally, voices};
use stones_doc::{DeviceId, EntryId, MemberId, TextField};

/// Each session's raw tally is kept in the derived cache: who typed what is by actor there,
/// so a member's devices changing later still credits the right person.
const KEEP: Keep<RawTally> = Keep {
    kind: Derived::Voices,
    encode: encode::encode,
    decode: |b| encode::decode(b).ok(),
};

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
        let (visits, skipped) = self.walk_sessions(&chosen, &KEEP, |_, am| {
            raw_tally(am, &stones_doc::session::read_view(am))
        })?;
        let tallies: Vec<_> = chosen
            .iter()
            .zip(visits)
            .map(|(entry, v)| match v {
                Visit::Read(t) => (*entry, Some(t.attribute(member_of))),
                Visit::Missing => (*entry, None),
            })
            .collect();
        Ok(VoicesReport {
            voices: voices(&view, &tallies),
            skipped,
        })
    }
}

impl Notebook {
    /// Who wrote a text field of a session (a reflection, a story, a retelling): each
    /// writer's words, most first; `None` for words typed on a device this notebook cannot
    /// name.
    pub fn writers(
        &mut self,
        session: EntryId,
        field: &TextField,
    ) -> Result<Vec<(Option<MemberId>, u32)>> {
        let doc = self.load_session(session)?;
        let view = self.view();
        let loaded = self.loaded_session(doc, session)?;
        let mut by_member: BTreeMap<Option<MemberId>, u32> = BTreeMap::new();
        for (actor, words) in field_writers(loaded.doc.doc(), field)? {
            let member = DeviceId::from_actor(&actor).and_then(|d| view.member_of_device(d));
            *by_member.entry(member).or_default() += words;
        }
        let mut out: Vec<_> = by_member.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }
}
