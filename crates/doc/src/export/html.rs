//! One self-contained, printable HTML file: a table of contents, print CSS (each session on
//! a new page), and every piece of user text escaped.

use super::text::html as esc;
use super::{ExportModel, ExportSession};
use crate::date::Date;

const CSS: &str = "body{font:16px/1.5 Georgia,serif;max-width:42em;margin:2em auto;padding:0 1em;color:#222}\
h1,h2,h3,h4{font-family:Helvetica,Arial,sans-serif;line-height:1.2}\
.note{border-left:3px solid #999;padding:.2em .8em;color:#555}\
.by{color:#666;font-style:italic}\
.tellings{display:grid;grid-template-columns:repeat(auto-fit,minmax(13em,1fr));gap:1em}\
.telling{border-top:3px solid #ccc;padding-top:.3em}.telling.original{border-top-color:#555}\
nav ol{padding-left:1.2em}\
@media print{nav{page-break-after:always}section.session{page-break-before:always}a{color:inherit;text-decoration:none}}";

/// Paragraphs from a text: blank lines separate them, single line breaks stay breaks.
fn paras(text: &str) -> String {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", esc(p.trim()).replace('\n', "<br>")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn anchor(s: &ExportSession) -> String {
    format!("s-{}", s.entry.id)
}

/// The whole export as one HTML document.
pub fn html(m: &ExportModel) -> String {
    let nb = &m.notebook;
    let mut o =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str(&format!(
        "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&nb.title)
    ));
    o.push_str(&format!("<header>\n<h1>{}</h1>\n", esc(&nb.title)));
    if !nb.purpose.trim().is_empty() {
        o.push_str(&paras(&nb.purpose));
        o.push('\n');
    }
    o.push_str(&format!(
        "<p class=\"note\" id=\"left-out\">{}</p>\n",
        esc(&m.left_out.sentence(m.include_group))
    ));
    if !nb.members.is_empty() {
        o.push_str("<h2>Members</h2>\n<ul class=\"members\">\n");
        for mem in &nb.members {
            let mut line = esc(&mem.name);
            if !mem.sector.is_empty() {
                line.push_str(&format!(" — {}", esc(&mem.sector)));
            }
            if let Some(left) = mem.left_at {
                line.push_str(&format!(", left {}", Date::from_unix_ms(left)));
            }
            o.push_str(&format!("<li>{line}</li>\n"));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</header>\n<nav>\n<h2>Contents</h2>\n<ol>\n");
    for s in &m.sessions {
        o.push_str(&format!(
            "<li><a href=\"#{}\">{} — {}</a></li>\n",
            anchor(s),
            s.entry.date,
            esc(&s.display_title())
        ));
    }
    if !nb.questions.is_empty() {
        o.push_str("<li><a href=\"#questions\">Held questions</a></li>\n");
    }
    if !nb.learnings.is_empty() {
        o.push_str("<li><a href=\"#learnings\">Learnings</a></li>\n");
    }
    o.push_str("</ol>\n</nav>\n");
    for s in &m.sessions {
        session(m, s, &mut o);
    }
    questions(m, &mut o);
    learnings(m, &mut o);
    o.push_str("</body>\n</html>\n");
    o
}

fn session(m: &ExportModel, s: &ExportSession, o: &mut String) {
    let (e, v) = (&s.entry, &s.view);
    o.push_str(&format!(
        "<section class=\"session\" id=\"{}\">\n<h2>{} ({}) — {}</h2>\n",
        anchor(s),
        e.date,
        e.kind,
        esc(&s.display_title())
    ));
    if let Some(c) = e.convener {
        o.push_str(&format!(
            "<p class=\"by\">Convened by {}</p>\n",
            esc(&m.name(Some(c)))
        ));
    }
    let present = m.present_names(e);
    if !present.is_empty() {
        let names: Vec<String> = present.iter().map(|n| esc(n)).collect();
        o.push_str(&format!(
            "<p class=\"present\">Present ({}): {}</p>\n",
            names.len(),
            names.join(", ")
        ));
    }
    if !v.checkin_question.trim().is_empty() || !v.turns.is_empty() {
        o.push_str("<h3>Check-in</h3>\n");
        if !v.checkin_question.trim().is_empty() {
            o.push_str(&format!(
                "<blockquote>{}</blockquote>\n",
                esc(&v.checkin_question)
            ));
        }
        o.push_str("<ul class=\"turns\">\n");
        for t in &v.turns {
            let who = esc(&m.name(Some(t.member)));
            if t.passed {
                o.push_str(&format!(
                    "<li class=\"turn\"><strong>{who}</strong> passed.</li>\n"
                ));
            } else {
                o.push_str(&format!(
                    "<li class=\"turn\"><strong>{who}</strong>: {}</li>\n",
                    esc(&t.text).replace('\n', "<br>")
                ));
            }
        }
        o.push_str("</ul>\n");
    }
    if !v.reflections.is_empty() {
        o.push_str("<h3>Reflections</h3>\n");
        for r in &v.reflections {
            o.push_str(&format!(
                "<article class=\"reflection\">\n<h4>{}</h4>\n<p class=\"by\">by {}</p>\n{}\n</article>\n",
                esc(&r.title),
                esc(&m.name(r.by)),
                paras(&r.body)
            ));
        }
    }
    if !v.stories.is_empty() {
        o.push_str("<h3>Re-storying</h3>\n");
        for st in &v.stories {
            // The story and its retellings side by side (columns on screen and on paper).
            o.push_str(&format!(
                "<article class=\"story\">\n<h4>{}</h4>\n<div class=\"tellings\">\n\
                 <div class=\"telling original\">\n<p class=\"by\">told by {}</p>\n{}\n</div>\n",
                esc(&st.title),
                esc(&m.name(st.teller)),
                paras(&st.text)
            ));
            for r in &st.retellings {
                o.push_str(&format!(
                    "<div class=\"telling retelling\">\n<p class=\"by\">Retold by {}, from {}</p>\n{}\n</div>\n",
                    esc(&m.name(r.teller)),
                    esc(&r.angle),
                    paras(&r.text)
                ));
            }
            o.push_str("</div>\n</article>\n");
        }
    }
    if !v.notes.trim().is_empty() {
        o.push_str(&format!("<h3>Notes</h3>\n{}\n", paras(&v.notes)));
    }
    o.push_str("</section>\n");
}

fn questions(m: &ExportModel, o: &mut String) {
    if m.notebook.questions.is_empty() {
        return;
    }
    o.push_str("<section id=\"questions\">\n<h2>Held questions</h2>\n");
    for q in &m.notebook.questions {
        o.push_str(&format!(
            "<article class=\"question\">\n<h3>{}</h3>\n<p class=\"by\">{} — raised by {}</p>\n",
            esc(&q.text),
            q.status,
            esc(&m.name(q.raised_by))
        ));
        if !q.trail.is_empty() {
            o.push_str("<ul>\n");
            for n in &q.trail {
                let mut item = format!("{} — {}", Date::from_unix_ms(n.at), esc(&m.name(n.by)));
                if let Some(st) = n.status {
                    item.push_str(&format!(" — now <em>{st}</em>"));
                }
                if let Some(s) = n.session.and_then(|s| m.session(s)) {
                    item.push_str(&format!(
                        " — in <a href=\"#{}\">{}</a>",
                        anchor(s),
                        s.entry.date
                    ));
                }
                if !n.note.trim().is_empty() {
                    item.push_str(&format!(": {}", esc(&n.note)));
                }
                o.push_str(&format!("<li>{item}</li>\n"));
            }
            o.push_str("</ul>\n");
        }
        o.push_str("</article>\n");
    }
    o.push_str("</section>\n");
}

fn learnings(m: &ExportModel, o: &mut String) {
    if m.notebook.learnings.is_empty() {
        return;
    }
    o.push_str("<section id=\"learnings\">\n<h2>Learnings</h2>\n");
    for l in &m.notebook.learnings {
        o.push_str(&format!(
            "<article class=\"learning\">\n<h3>{}</h3>\n{}\n",
            esc(&l.title),
            paras(&l.body)
        ));
        let from: Vec<String> = l
            .from_sessions
            .iter()
            .filter_map(|s| m.session(*s))
            .map(|s| format!("<a href=\"#{}\">{}</a>", anchor(s), s.entry.date))
            .collect();
        if !from.is_empty() {
            o.push_str(&format!("<p class=\"by\">From {}</p>\n", from.join(", ")));
        }
        o.push_str("</article>\n");
    }
    o.push_str("</section>\n");
}
