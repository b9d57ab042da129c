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

/// One session: header, check-in round, reflections, re-storying, notes.
pub fn session_markdown(nb: &NotebookView, entry: &SessionEntry, s: &SessionView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", session_line(nb, entry));
    let _ = writeln!(out, "## Check-in\n");
    if !s.checkin_question.is_empty() {
        let _ = writeln!(out, "*{}*\n", s.checkin_question.trim());
    }
    for t in &s.turns {
        let name = nb.name_of(Some(t.member));
        if t.passed {
            let _ = writeln!(out, "- **{name}** passed");
        } else {
            let _ = writeln!(out, "- **{name}**: {}", t.text.replace('\n', " "));
        }
    }
    out.push('\n');
    if !s.reflections.is_empty() {
        let _ = writeln!(out, "## Reflections\n");
    }
    for r in &s.reflections {
        let _ = writeln!(
            out,
            "### {}\n\n*by {}*\n\n{}\n",
            r.title,
            nb.name_of(r.by),
            r.body.trim_end()
        );
    }
    if !s.stories.is_empty() {
        let _ = writeln!(out, "## Re-storying\n");
    }
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
    if !s.notes.trim().is_empty() {
        let _ = writeln!(out, "## Notes\n\n{}\n", s.notes.trim_end());
    }
    out
}
