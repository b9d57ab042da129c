//! Markdown for `stones show`: a notebook overview or one session. The output depends only on
//! the documents' content, so two devices holding the same documents print the same bytes.

use crate::date::Date;
use crate::index::{NotebookView, SessionEntry};
use crate::schema::QuestionStatus;
use crate::session::SessionView;
use std::fmt::Write;

/// Indents every line of a multi-line text as a Markdown block quote.
fn quote(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn day(ms: i64) -> String {
    Date::from_unix_ms(ms).to_string()
}

/// The notebook overview: purpose, members, sessions, held questions, learnings.
pub fn notebook_markdown(nb: &NotebookView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", nb.title);
    if !nb.purpose.is_empty() {
        let _ = writeln!(out, "{}\n", nb.purpose);
    }
    let _ = writeln!(out, "## Members\n");
    for m in &nb.members {
        let left = m
            .left_at
            .map(|t| format!(" (left {})", day(t)))
            .unwrap_or_default();
        let sector = if m.sector.is_empty() {
            String::new()
        } else {
            format!(" — {}", m.sector)
        };
        let role = if m.role.is_empty() {
            String::new()
        } else {
            format!(", {}", m.role)
        };
        let _ = writeln!(out, "- {}{sector}{role}{left}", m.name);
    }
    let _ = writeln!(out, "\n## Sessions\n");
    for s in &nb.sessions {
        let _ = writeln!(out, "- {}", session_line(nb, s));
    }
    let _ = writeln!(out, "\n## Held questions\n");
    for q in &nb.questions {
        let _ = writeln!(out, "### {} ({})\n", q.text, q.status);
        let raised_in = q
            .raised_in
            .and_then(|s| nb.session(s))
            .map(|s| format!(" in the session of {}", s.date))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "Raised by {} on {}{raised_in}.\n",
            nb.name_of(q.raised_by),
            day(q.created_at)
        );
        for n in &q.trail {
            let session = n
                .session
                .and_then(|s| nb.session(s))
                .map(|s| format!(" (session of {})", s.date))
                .unwrap_or_default();
            let status = n
                .status
                .map(|s| format!("status → {s}"))
                .unwrap_or_default();
            let sep = if status.is_empty() || n.note.is_empty() {
                ""
            } else {
                ". "
            };
            let _ = writeln!(
                out,
                "- {}{session}, {}: {status}{sep}{}",
                day(n.at),
                nb.name_of(n.by),
                n.note
            );
        }
        if !q.trail.is_empty() {
            out.push('\n');
        }
    }
    let open = nb
        .questions
        .iter()
        .filter(|q| q.status == QuestionStatus::Open)
        .count();
    let _ = writeln!(out, "{open} of {} questions open.\n", nb.questions.len());
    if !nb.learnings.is_empty() {
        let _ = writeln!(out, "## Learnings\n");
    }
    for l in &nb.learnings {
        let _ = writeln!(out, "### {}\n", l.title);
        if !l.body.is_empty() {
            let _ = writeln!(out, "{}\n", l.body);
        }
        let from: Vec<String> = l
            .from_sessions
            .iter()
            .filter_map(|s| nb.session(*s))
            .map(|s| s.date.to_string())
            .collect();
        if !from.is_empty() {
            let _ = writeln!(out, "From sessions: {}\n", from.join(", "));
        }
    }
    out
}

fn session_line(nb: &NotebookView, s: &SessionEntry) -> String {
    let title = if s.title.is_empty() {
        String::new()
    } else {
        format!(" — {}", s.title)
    };
    let convener = s
        .convener
        .map(|c| format!(", convened by {}", nb.name_of(Some(c))))
        .unwrap_or_default();
    format!("{} ({}){title}{convener}", s.date, s.kind)
}

/// One session: header and who was present, then its template's sections in order (a
/// section still empty says what belongs there), and re-storying in any session that has
/// stories.
pub fn session_markdown(nb: &NotebookView, entry: &SessionEntry, s: &SessionView) -> String {
    use crate::template::{Section, sections};
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", session_line(nb, entry));
    if !entry.present.is_empty() {
        let present = nb.present_at(entry);
        let names: Vec<String> = present.iter().map(|m| nb.name_of(Some(*m))).collect();
        let _ = writeln!(out, "Present ({}): {}\n", names.len(), names.join(", "));
    }
    let mut wanted = sections(entry.kind).to_vec();
    if !s.stories.is_empty() && !wanted.contains(&Section::Restorying) {
        wanted.push(Section::Restorying);
    }
    for section in wanted {
        let _ = writeln!(out, "## {}\n", section.heading());
        let before = out.len();
        match section {
            Section::Checkin => checkin_markdown(&mut out, nb, entry, s),
            Section::Notes => {
                if !s.notes.trim().is_empty() {
                    let _ = writeln!(out, "{}\n", s.notes.trim_end());
                }
            }
            Section::Reflections => {
                for r in &s.reflections {
                    let _ = writeln!(
                        out,
                        "### {}\n\n*by {}*\n\n{}\n",
                        r.title,
                        nb.name_of(r.by),
                        r.body.trim_end()
                    );
                }
            }
            Section::Restorying => restorying_markdown(&mut out, nb, s),
            Section::Learnings => {
                for l in nb
                    .learnings
                    .iter()
                    .filter(|l| l.from_sessions.contains(&entry.id))
                {
                    let _ = writeln!(out, "- **{}** {}", l.title, l.body.replace('\n', " "));
                }
                if out.len() > before {
                    out.push('\n');
                }
            }
        }
        if out.len() == before {
            let _ = writeln!(out, "*{}*\n", section.hint());
        }
    }
    out
}

/// The check-in round: the question, every turn, and a line for each member present who
/// has not taken a turn yet.
fn checkin_markdown(out: &mut String, nb: &NotebookView, entry: &SessionEntry, s: &SessionView) {
    if !s.checkin_question.is_empty() {
        let _ = writeln!(out, "*{}*\n", s.checkin_question.trim());
    }
    for t in &s.turns {
        let name = nb.name_of(Some(t.member));
        if t.passed {
            let _ = writeln!(out, "- **{name}** passed");
        } else if t.off_record {
            let _ = writeln!(out, "- **{name}** spoke off the record");
        } else {
            let _ = writeln!(out, "- **{name}**: {}", t.text.replace('\n', " "));
        }
    }
    let waiting = entry
        .present
        .iter()
        .filter(|m| !s.turns.iter().any(|t| t.member == **m));
    for m in waiting {
        let _ = writeln!(
            out,
            "- **{}** has not taken a turn yet",
            nb.name_of(Some(*m))
        );
    }
    if !s.turns.is_empty() || !entry.present.is_empty() {
        out.push('\n');
    }
}

fn restorying_markdown(out: &mut String, nb: &NotebookView, s: &SessionView) {
    for st in &s.stories {
        let _ = writeln!(
            out,
            "### {} — told by {}\n\n{}\n",
            st.title,
            nb.name_of(st.teller),
            quote(&st.text)
        );
        for r in &st.retellings {
            let _ = writeln!(
                out,
                "#### Retold by {}, from the angle of {}\n\n{}\n",
                nb.name_of(r.teller),
                r.angle,
                quote(&r.text)
            );
        }
    }
}
