//! Session templates (practice.md): a weekly hour opens with a check-in, then conversation
//! notes and a short reflection; a monthly day adds re-storying and learnings. The template
//! follows the session's kind (a corrected kind brings its template along), sets the order
//! `show` prints sections in, and says what belongs in a section still empty. Also the
//! built-in check-in questions a convener can be offered, pitched to how well the group
//! knows each other.

use crate::date::Date;
use crate::schema::SessionKind;
use crate::search::fold::fold;

/// A section of a session page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The check-in round.
    Checkin,
    /// Notes of the conversation.
    Notes,
    /// Co-written reflections.
    Reflections,
    /// A story and its retellings.
    Restorying,
    /// What the group learnt, from this session.
    Learnings,
}

impl Section {
    /// Its heading on the page.
    pub fn heading(self) -> &'static str {
        match self {
            Section::Checkin => "Check-in",
            Section::Notes => "Notes",
            Section::Reflections => "Reflections",
            Section::Restorying => "Re-storying",
            Section::Learnings => "Learnings",
        }
    }

    /// What belongs there, said while it is empty.
    pub fn hint(self) -> &'static str {
        match self {
            Section::Checkin => {
                "The convener poses a question; each person takes a turn, may pass, or may speak off the record."
            }
            Section::Notes => "Notes of the conversation, as it goes.",
            Section::Reflections => "A short reflection the group writes together at the end.",
            Section::Restorying => {
                "A story one person tells, then retellings of it from other angles, side by side."
            }
            Section::Learnings => "What the group learnt today, to carry into the notebook.",
        }
    }
}

/// The sections of a session of this kind, in order.
pub fn sections(kind: SessionKind) -> &'static [Section] {
    use Section::*;
    match kind {
        SessionKind::Weekly => &[Checkin, Notes, Reflections],
        SessionKind::Monthly | SessionKind::Other => {
            &[Checkin, Notes, Reflections, Restorying, Learnings]
        }
    }
}

/// How well the group knows each other, for pitching a check-in question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// A group in its first months.
    New,
    /// A group that has met for a while.
    Established,
}

impl std::str::FromStr for Trust {
    type Err = crate::DocError;
    fn from_str(s: &str) -> crate::Result<Trust> {
        match s {
            "new" => Ok(Trust::New),
            "established" => Ok(Trust::Established),
            other => Err(crate::DocError::Invalid(format!(
                "unknown trust {other:?}: expected new or established"
            ))),
        }
    }
}

/// Days after its first session from which a group counts as established.
pub const ESTABLISHED_AFTER_DAYS: i32 = 180;

/// The trust a group's age suggests: established once its first session is
/// [`ESTABLISHED_AFTER_DAYS`] before `today` (new when it has none).
pub fn trust_from_age(first_session: Option<Date>, today: Date) -> Trust {
    match first_session {
        Some(first) if first.plus_days(ESTABLISHED_AFTER_DAYS) <= today => Trust::Established,
        _ => Trust::New,
    }
}

const FOR_NEW: &[&str] = &[
    "What is one thing you bring with you into the room today?",
    "How are you arriving, in a word or two?",
    "What drew you to this group?",
    "What has your week been like, in one image?",
    "What would make this hour worth your time?",
    "Who or what helped you get here today?",
    "What is something about your work that people often misunderstand?",
    "What are you curious about in this group?",
];

const FOR_ESTABLISHED: &[&str] = &[
    "What are you carrying that you would like the group to hold with you?",
    "Where have you felt stuck since we last met?",
    "What has surprised you about yourself lately?",
    "What is asking for your courage right now?",
    "What have you noticed in the system since we last met?",
    "What did you let go of this month?",
    "Where did you see trust grow, or break, recently?",
    "What would you say here that you would not say anywhere else?",
];

/// The built-in questions for a trust level.
pub fn questions(trust: Trust) -> &'static [&'static str] {
    match trust {
        Trust::New => FOR_NEW,
        Trust::Established => FOR_ESTABLISHED,
    }
}

/// The first built-in question for `trust` the group has not asked in `recent` (compared
/// without case, accents or surrounding space), if any is left.
pub fn suggest_question(trust: Trust, recent: &[String]) -> Option<&'static str> {
    let asked: Vec<String> = recent.iter().map(|q| fold(q.trim())).collect();
    questions(trust)
        .iter()
        .copied()
        .find(|q| !asked.contains(&fold(q)))
}

/// How many of the latest sessions a suggested question must not repeat.
pub const NOT_REPEATED_WITHIN: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_skips_questions_already_asked() {
        let asked: Vec<String> = FOR_NEW[..3].iter().map(|q| q.to_uppercase()).collect();
        assert_eq!(suggest_question(Trust::New, &asked), Some(FOR_NEW[3]));
        let all: Vec<String> = FOR_NEW.iter().map(|q| q.to_string()).collect();
        assert_eq!(suggest_question(Trust::New, &all), None);
    }

    #[test]
    fn a_group_is_established_after_half_a_year() {
        let d = |s: &str| s.parse::<Date>().ok();
        let today = d("2026-12-01").unwrap_or(Date::from_unix_ms(0));
        assert_eq!(trust_from_age(None, today), Trust::New);
        assert_eq!(trust_from_age(d("2026-10-01"), today), Trust::New);
        assert_eq!(trust_from_age(d("2025-01-01"), today), Trust::Established);
    }

    #[test]
    fn a_monthly_day_adds_restorying_and_learnings() {
        assert_eq!(sections(SessionKind::Weekly).len(), 3);
        assert!(sections(SessionKind::Monthly).contains(&Section::Restorying));
        assert!(sections(SessionKind::Monthly).contains(&Section::Learnings));
    }
}
