//! Voices: whose voices fill the notebook over a run of sessions — per member and per
//! sector, sessions present, turns spoken, passes, words in check-in turns and words
//! written in reflections, stories and retellings (by who typed them), and each sector's
//! share of all the words. Off-the-record turns are never written anywhere, so they are
//! never counted. Pure: the caller reads each session's document into a [`SessionTally`].

pub mod encode;
mod tally;

pub use tally::{
    RawTally, SessionTally, field_writers, raw_tally, tally_session, word_count, words_by_actor,
};

use crate::date::Date;
use crate::ids::MemberId;
use crate::index::{NotebookView, SessionEntry};
use std::collections::BTreeMap;

/// What someone (or a sector) did over the chosen sessions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Sessions they were in the room for (marked present, or took a turn or passed).
    pub sessions_present: u32,
    /// Check-in turns spoken (and written down).
    pub turns: u32,
    /// Check-in turns passed.
    pub passes: u32,
    /// Words in their check-in turns.
    pub turn_words: u32,
    /// Words they typed into reflections, stories and retellings.
    pub written_words: u32,
}

impl Counts {
    /// All their words, spoken and written.
    pub fn words(&self) -> u32 {
        self.turn_words.saturating_add(self.written_words)
    }

    fn add(&mut self, o: &Counts) {
        self.sessions_present += o.sessions_present;
        self.turns += o.turns;
        self.passes += o.passes;
        self.turn_words += o.turn_words;
        self.written_words += o.written_words;
    }
}

/// Which sessions to count: the last `last` of those between `from` and `to` (inclusive).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Only the latest this many (after the dates are applied).
    pub last: Option<usize>,
    /// Only sessions on or after this day.
    pub from: Option<Date>,
    /// Only sessions on or before this day.
    pub to: Option<Date>,
}

impl Window {
    /// The sessions of the notebook inside the window, oldest first.
    pub fn select<'a>(&self, view: &'a NotebookView) -> Vec<&'a SessionEntry> {
        let dated: Vec<&SessionEntry> = view
            .sessions
            .iter()
            .filter(|s| self.from.is_none_or(|f| s.date >= f))
            .filter(|s| self.to.is_none_or(|t| s.date <= t))
            .collect();
        let skip = self.last.map_or(0, |n| dated.len().saturating_sub(n));
        dated[skip..].to_vec()
    }
}

/// One member's line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberVoice {
    /// Who.
    pub member: MemberId,
    /// Their name.
    pub name: String,
    /// Their sector (empty when none is recorded).
    pub sector: String,
    /// What they did.
    pub counts: Counts,
}

/// One sector's line.
#[derive(Clone, Debug, PartialEq)]
pub struct SectorVoice {
    /// The sector (empty: members with none recorded).
    pub sector: String,
    /// How many of the members listed belong to it.
    pub members: u32,
    /// Its members' counts added up.
    pub counts: Counts,
    /// Its share of all the words, in percent (0 when nobody said anything).
    pub share: f64,
}

/// Voices over a run of sessions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Voices {
    /// How many sessions were counted.
    pub sessions: usize,
    /// The first and last day counted.
    pub span: Option<(Date, Date)>,
    /// Every current member, and anyone who left but was heard in these sessions, by
    /// sector then name.
    pub members: Vec<MemberVoice>,
    /// Sectors by name.
    pub sectors: Vec<SectorVoice>,
    /// Written words nobody in the group can be named for.
    pub unattributed_words: u32,
    /// Sessions in the window whose document this device does not hold or could not read.
    pub missing: usize,
}

/// Adds up the tallies of the chosen sessions (`None`: a session not on this device) with
/// the presence the index records.
pub fn voices(view: &NotebookView, sessions: &[(&SessionEntry, Option<SessionTally>)]) -> Voices {
    let mut by_member: BTreeMap<MemberId, Counts> = BTreeMap::new();
    let mut out = Voices {
        sessions: sessions.len(),
        span: sessions
            .first()
            .zip(sessions.last())
            .map(|(a, b)| (a.0.date, b.0.date)),
        ..Voices::default()
    };
    for (entry, tally) in sessions {
        let mut here: Vec<MemberId> = entry.present.clone();
        match tally {
            Some(t) => {
                for (m, c) in &t.by_member {
                    // A member entry merged into another counts for that one person.
                    let m = view.canonical(*m);
                    by_member.entry(m).or_default().add(c);
                    if (c.turns > 0 || c.passes > 0) && !entry.absent.contains(&m) {
                        here.push(m);
                    }
                }
                out.unattributed_words += t.unattributed_words;
            }
            None => out.missing += 1,
        }
        here.sort();
        here.dedup();
        for m in here {
            by_member.entry(m).or_default().sessions_present += 1;
        }
    }
    for m in &view.members {
        let counts = by_member.remove(&m.id).unwrap_or_default();
        if m.left_at.is_none() || counts != Counts::default() {
            out.members.push(MemberVoice {
                member: m.id,
                name: m.name.clone(),
                sector: m.sector.clone(),
                counts,
            });
        }
    }
    // Someone this device does not know as a member (yet) still counts.
    for (m, counts) in by_member {
        out.members.push(MemberVoice {
            member: m,
            name: view.name_of(Some(m)),
            sector: String::new(),
            counts,
        });
    }
    out.members
        .sort_by(|a, b| (&a.sector, &a.name, a.member).cmp(&(&b.sector, &b.name, b.member)));
    let total: u32 = out.members.iter().map(|m| m.counts.words()).sum();
    let mut sectors: BTreeMap<&str, (u32, Counts)> = BTreeMap::new();
    for m in &out.members {
        let s = sectors.entry(m.sector.as_str()).or_default();
        s.0 += 1;
        s.1.add(&m.counts);
    }
    out.sectors = sectors
        .into_iter()
        .map(|(sector, (members, counts))| SectorVoice {
            sector: sector.to_string(),
            members,
            counts,
            share: if total == 0 {
                0.0
            } else {
                f64::from(counts.words()) * 100.0 / f64::from(total)
            },
        })
        .collect();
    out
}

#[cfg(test)]
mod tests;
