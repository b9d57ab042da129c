//! The Markdown folder: `README.md` (title, purpose, what was left out, members, contents),
//! `sessions/YYYY-MM-DD-slug.md` (YAML front matter, then check-in, reflections,
//! re-storying, notes), `questions.md` (status and dated trail, linking to sessions) and
//! `learnings.md`. Links are relative, so they work on disk and in Obsidian.

use super::text::{md, md_inline, yaml};
use super::{ExportModel, ExportSession};
use crate::date::Date;
use crate::ids::EntryId;

/// Every file of the Markdown export: (relative path with `/`, contents).
pub fn markdown(m: &ExportModel) -> Vec<(String, String)> {
    let mut files = vec![("README.md".to_string(), readme(m))];
    for s in &m.sessions {
        files.push((format!("sessions/{}.md", s.stem), session(m, s)));
    }
    if !m.notebook.questions.is_empty() {
        files.push(("questions.md".into(), questions(m)));
    }
    if !m.notebook.learnings.is_empty() {
        files.push(("learnings.md".into(), learnings(m)));
    }
    files
}

/// Indents continuation lines so a multi-line text stays inside its list item.
fn in_item(text: &str) -> String {
    md(text).replace('\n', "\n  ")
}

fn session_link(m: &ExportModel, id: EntryId, prefix: &str) -> Option<String> {
    let s = m.session(id)?;
    Some(format!(
        "[{} — {}]({prefix}sessions/{}.md)",
        s.entry.date,
        md_inline(&s.display_title()),
        s.stem
    ))
}

fn readme(m: &ExportModel) -> String {
    let nb = &m.notebook;
    let mut o = format!("# {}\n\n", md_inline(&nb.title));
    if !nb.purpose.trim().is_empty() {
        o.push_str(&format!("{}\n\n", md(&nb.purpose)));
    }
    o.push_str(&format!("> {}\n\n", m.left_out.sentence(m.include_group)));
    if !nb.members.is_empty() {
        o.push_str("## Members\n\n");
        for mem in &nb.members {
            let mut line = format!("- {}", md_inline(&mem.name));
            if !mem.sector.is_empty() {
                line.push_str(&format!(" — {}", md_inline(&mem.sector)));
            }
            if !mem.role.is_empty() {
                line.push_str(&format!(" ({})", md_inline(&mem.role)));
            }
            if let Some(left) = mem.left_at {
                line.push_str(&format!(", left {}", Date::from_unix_ms(left)));
            }
            o.push_str(&line);
            o.push('\n');
        }
        o.push('\n');
    }
    o.push_str("## Contents\n\n");
    for s in &m.sessions {
        if let Some(link) = session_link(m, s.entry.id, "") {
            o.push_str(&format!("- {link} ({})\n", s.entry.kind));
        }
    }
    if !nb.questions.is_empty() {
        o.push_str("- [Held questions](questions.md)\n");
    }
    if !nb.learnings.is_empty() {
        o.push_str("- [Learnings](learnings.md)\n");
    }
    o
}

fn session(m: &ExportModel, s: &ExportSession) -> String {
    let (e, v) = (&s.entry, &s.view);
    let spoke: Vec<String> = v
        .turns
        .iter()
        .filter(|t| !t.passed)
        .map(|t| yaml(&m.name(Some(t.member))))
        .collect();
    let passed: Vec<String> = v
        .turns
        .iter()
        .filter(|t| t.passed)
        .map(|t| yaml(&m.name(Some(t.member))))
        .collect();
    let mut o = String::from("---\n");
    o.push_str(&format!("id: {}\n", yaml(&e.id.to_hex())));
    o.push_str(&format!("date: {}\n", yaml(&e.date.to_string())));
    o.push_str(&format!("kind: {}\n", yaml(e.kind.as_str())));
    o.push_str(&format!("title: {}\n", yaml(&e.title)));
    match e.convener {
        Some(c) => o.push_str(&format!("convener: {}\n", yaml(&m.name(Some(c))))),
        None => o.push_str("convener: null\n"),
    }
    let present: Vec<String> = m.present_names(e).iter().map(|n| yaml(n)).collect();
    o.push_str(&format!("present: [{}]\n", present.join(", ")));
    o.push_str(&format!("took_turn: [{}]\n", spoke.join(", ")));
    o.push_str(&format!("passed: [{}]\n", passed.join(", ")));
    o.push_str("---\n\n");
    o.push_str(&format!(
        "# {} ({}) — {}\n\n[Contents](../README.md)\n\n",
        e.date,
        e.kind,
        md_inline(&s.display_title())
    ));
    let present = m.present_names(e);
    if !present.is_empty() {
        let names: Vec<String> = present.iter().map(|n| md_inline(n)).collect();
        o.push_str(&format!(
            "Present ({}): {}\n\n",
            names.len(),
            names.join(", ")
        ));
    }
    if !v.checkin_question.trim().is_empty() || !v.turns.is_empty() {
        o.push_str("## Check-in\n\n");
        if !v.checkin_question.trim().is_empty() {
            o.push_str(&format!("> {}\n\n", md_inline(&v.checkin_question)));
        }
        for t in &v.turns {
            let who = md_inline(&m.name(Some(t.member)));
            if t.passed {
                o.push_str(&format!("- **{who}** passed.\n"));
            } else {
                o.push_str(&format!("- **{who}**: {}\n", in_item(&t.text)));
            }
        }
        o.push('\n');
    }
    if !v.reflections.is_empty() {
        o.push_str("## Reflections\n\n");
        for r in &v.reflections {
            o.push_str(&format!("### {}\n\n", md_inline(&r.title)));
            o.push_str(&format!("*by {}*\n\n", md_inline(&m.name(r.by))));
            if !r.body.trim().is_empty() {
                o.push_str(&format!("{}\n\n", md(&r.body)));
            }
        }
    }
    if !v.stories.is_empty() {
        o.push_str("## Re-storying\n\n");
        for st in &v.stories {
            o.push_str(&format!("### {}\n\n", md_inline(&st.title)));
            o.push_str(&format!(
                "*told by {}*\n\n{}\n\n",
                md_inline(&m.name(st.teller)),
                md(&st.text)
            ));
            for r in &st.retellings {
                o.push_str(&format!(
                    "#### Retold by {}, from {}\n\n{}\n\n",
                    md_inline(&m.name(r.teller)),
                    md_inline(&r.angle),
                    md(&r.text)
                ));
            }
        }
    }
    if !v.notes.trim().is_empty() {
        o.push_str(&format!("## Notes\n\n{}\n\n", md(&v.notes)));
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

fn questions(m: &ExportModel) -> String {
    let mut o = String::from("# Held questions\n\n[Contents](README.md)\n\n");
    for q in &m.notebook.questions {
        o.push_str(&format!("## {}\n\n", md_inline(&q.text)));
        let mut line = format!(
            "*{}* — raised by {}",
            q.status,
            md_inline(&m.name(q.raised_by))
        );
        if let Some(link) = q.raised_in.and_then(|s| session_link(m, s, "")) {
            line.push_str(&format!(" in {link}"));
        }
        o.push_str(&format!("{line}\n\n"));
        for n in &q.trail {
            let mut item = format!(
                "- {} — {}",
                Date::from_unix_ms(n.at),
                md_inline(&m.name(n.by))
            );
            if let Some(st) = n.status {
                item.push_str(&format!(" — now *{st}*"));
            }
            if let Some(link) = n.session.and_then(|s| session_link(m, s, "")) {
                item.push_str(&format!(" — in {link}"));
            }
            if !n.note.trim().is_empty() {
                item.push_str(&format!(": {}", md_inline(&n.note)));
            }
            o.push_str(&item);
            o.push('\n');
        }
        if !q.trail.is_empty() {
            o.push('\n');
        }
    }
    o.trim_end().to_string() + "\n"
}

fn learnings(m: &ExportModel) -> String {
    let mut o = String::from("# Learnings\n\n[Contents](README.md)\n\n");
    for l in &m.notebook.learnings {
        o.push_str(&format!("## {}\n\n", md_inline(&l.title)));
        if !l.body.trim().is_empty() {
            o.push_str(&format!("{}\n\n", md(&l.body)));
        }
        let from: Vec<String> = l
            .from_sessions
            .iter()
            .filter_map(|s| session_link(m, *s, ""))
            .collect();
        if !from.is_empty() {
            o.push_str(&format!("From: {}\n\n", from.join(", ")));
        }
    }
    o.trim_end().to_string() + "\n"
}
