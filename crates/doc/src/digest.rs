//! The story so far: Markdown for a newcomer — the group's purpose, members by sector (and
//! who left, when), the questions it holds open or resting with how long each has been held
//! and its latest trail note, learnings with the sessions they came from, the last
//! reflections (date, title, first paragraph), and who convened lately. Pure: the caller
//! hands in the reflections it read.

use crate::date::Date;
use crate::index::{NotebookView, SessionEntry};
use crate::schema::{QuestionStatus, Scope};
use crate::session::ReflectionView;
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many recent sessions "who convened lately" looks back over.
pub const CONVENED_LATELY: usize = 6;

/// What to put in the digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DigestOptions {
    /// The day it is written (to say how long questions have been held).
    pub today: Date,
    /// Leave out reflections the group kept to itself (scope `group`).
    pub export_scope: bool,
}

/// "3 weeks", "5 months", "2 years and 1 month": a length of time in plain words.
pub fn held_for(days: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let days = days.max(0);
    if days < 14 {
        return plural(days, "day");
    }
    if days < 61 {
        return plural(days / 7, "week");
    }
    let months = days * 12 / 365;
    if months < 24 {
        return plural(months, "month");
    }
    match months % 12 {
        0 => plural(months / 12, "year"),
        m => format!("{} and {}", plural(months / 12, "year"), plural(m, "month")),
    }
}

/// The first paragraph of a text (up to its first blank line), on one line.
pub fn first_paragraph(text: &str) -> String {
    let para = text.trim().split("\n\n").next().unwrap_or("");
    para.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn session_label(s: &SessionEntry) -> String {
    if s.title.is_empty() {
        format!("{} ({})", s.date, s.kind)
    } else {
        format!("{} {}", s.date, s.title)
    }
}

fn members_section(out: &mut String, nb: &NotebookView) {
    let _ = writeln!(out, "## Who is in the group\n");
    let mut by_sector: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for m in nb.members.iter().filter(|m| m.left_at.is_none()) {
        let role = if m.role.is_empty() {
            String::new()
        } else {
            format!(" ({})", m.role)
        };
        let since = Date::from_unix_ms(m.joined_at);
        by_sector
            .entry(m.sector.as_str())
            .or_default()
            .push(format!("{}{role}, since {since}", m.name));
    }
    for (sector, names) in &by_sector {
        let sector = if sector.is_empty() {
            "No sector given"
        } else {
            sector
        };
        let _ = writeln!(out, "- **{sector}**: {}", names.join("; "));
    }
    let left: Vec<String> = nb
        .members
        .iter()
        .filter_map(|m| {
            let t = m.left_at?;
            Some(format!("{} (left {})", m.name, Date::from_unix_ms(t)))
        })
        .collect();
    if !left.is_empty() {
        let _ = writeln!(out, "\nWho has left: {}.", left.join(", "));
    }
    let _ = writeln!(out);
}

fn questions_section(out: &mut String, nb: &NotebookView, today: Date) {
    let held: Vec<_> = nb
        .questions
        .iter()
        .filter(|q| matches!(q.status, QuestionStatus::Open | QuestionStatus::Resting))
        .collect();
    let _ = writeln!(out, "## Questions we hold\n");
    if held.is_empty() {
        let _ = writeln!(out, "None open or resting just now.\n");
        return;
    }
    for q in held {
        let since = Date::from_unix_ms(q.created_at);
        let status = match q.status {
            QuestionStatus::Resting => ", resting",
            _ => "",
        };
        let _ = writeln!(
            out,
            "- **{}** — held for {} (since {since}){status}",
            q.text,
            held_for(since.days_until(today))
        );
        if let Some(n) = q.trail.iter().rev().find(|n| !n.note.trim().is_empty()) {
            let _ = writeln!(
                out,
                "  - latest, {} ({}): {}",
                Date::from_unix_ms(n.at),
                nb.name_of(n.by),
                first_paragraph(&n.note)
            );
        }
    }
    let _ = writeln!(out);
}

fn learnings_section(out: &mut String, nb: &NotebookView) {
    let _ = writeln!(out, "## What we have learnt\n");
    if nb.learnings.is_empty() {
        let _ = writeln!(out, "No learnings recorded yet.\n");
        return;
    }
    for l in &nb.learnings {
        let from: Vec<String> = l
            .from_sessions
            .iter()
            .filter_map(|s| nb.session(*s).map(session_label))
            .collect();
        let from = if from.is_empty() {
            String::new()
        } else {
            format!(" (from {})", from.join(", "))
        };
        let _ = writeln!(out, "- **{}**{from}", l.title);
        let body = first_paragraph(&l.body);
        if !body.is_empty() {
            let _ = writeln!(out, "  {body}");
        }
    }
    let _ = writeln!(out);
}

fn reflections_section(
    out: &mut String,
    nb: &NotebookView,
    reflections: &[(&SessionEntry, ReflectionView)],
    export_scope: bool,
) {
    let shown: Vec<_> = reflections
        .iter()
        .filter(|(_, r)| !export_scope || r.scope == Scope::Export)
        .collect();
    let _ = writeln!(out, "## Recent reflections\n");
    if shown.is_empty() {
        let _ = writeln!(out, "No reflections yet.\n");
        return;
    }
    for (s, r) in shown {
        let _ = writeln!(out, "### {} — {}\n", s.date, r.title);
        let para = first_paragraph(&r.body);
        if !para.is_empty() {
            let _ = writeln!(out, "{para}\n");
        }
        let _ = writeln!(out, "_Started by {}._\n", nb.name_of(r.by));
    }
}

fn conveners_section(out: &mut String, nb: &NotebookView) {
    let lately: Vec<String> = nb
        .sessions
        .iter()
        .rev()
        .take(CONVENED_LATELY)
        .filter_map(|s| Some(format!("{} ({})", nb.name_of(Some(s.convener?)), s.date)))
        .collect();
    let _ = writeln!(out, "## Who convened lately\n");
    if lately.is_empty() {
        let _ = writeln!(out, "No convener recorded in the latest sessions.");
    } else {
        let _ = writeln!(out, "{}.", lately.join(", "));
    }
}

/// The digest. `reflections` are the last ones wanted, newest first, with their sessions.
pub fn digest_markdown(
    nb: &NotebookView,
    reflections: &[(&SessionEntry, ReflectionView)],
    opts: DigestOptions,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: the story so far\n", nb.title);
    if !nb.purpose.trim().is_empty() {
        let _ = writeln!(out, "{}\n", nb.purpose.trim());
    }
    match (nb.sessions.first(), nb.sessions.last()) {
        (Some(a), Some(b)) => {
            let _ = writeln!(
                out,
                "{} sessions so far, from {} to {}.\n",
                nb.sessions.len(),
                a.date,
                b.date
            );
        }
        _ => {
            let _ = writeln!(out, "No sessions yet.\n");
        }
    }
    members_section(&mut out, nb);
    questions_section(&mut out, nb, opts.today);
    learnings_section(&mut out, nb);
    reflections_section(&mut out, nb, reflections, opts.export_scope);
    conveners_section(&mut out, nb);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_of_time_read_as_people_say_them() {
        assert_eq!(held_for(1), "1 day");
        assert_eq!(held_for(20), "2 weeks");
        assert_eq!(held_for(150), "4 months");
        assert_eq!(held_for(800), "2 years and 2 months");
        assert_eq!(held_for(730), "2 years");
    }

    #[test]
    fn the_first_paragraph_stops_at_a_blank_line() {
        assert_eq!(first_paragraph("One\nline.\n\nTwo."), "One line.");
    }
}
