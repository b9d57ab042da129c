//! Markdown shown as formatted text (reflections read in preview, the story so far, a
//! session as it was): headings, emphasis, and lists — nested lists indented under their
//! parent item, ordered lists numbered. Read with pulldown-cmark into lines first
//! ([`lines`], pure), then drawn.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// How a run of text is set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Look {
    pub strong: bool,
    pub em: bool,
    pub heading: bool,
}

/// One line as drawn: its list depth (0 outside lists) and its runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub depth: usize,
    pub runs: Vec<(String, Look)>,
}

/// `text` as lines: each paragraph, heading and list item on a line of its own; an item's
/// marker ("• ", or "3. " in an ordered list) starts its line.
pub fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut line = Line::default();
    let mut look = Look::default();
    // One counter per open list: the next number of an ordered list, `None` for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let flush = |line: &mut Line, out: &mut Vec<Line>, depth: usize| {
        if line.runs.iter().any(|(t, _)| !t.trim().is_empty()) {
            out.push(std::mem::take(line));
        }
        line.runs.clear();
        line.depth = depth;
    };
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Strong) => look.strong = true,
            Event::End(TagEnd::Strong) => look.strong = false,
            Event::Start(Tag::Emphasis) => look.em = true,
            Event::End(TagEnd::Emphasis) => look.em = false,
            Event::Start(Tag::Heading { .. }) => look.heading = true,
            Event::End(TagEnd::Heading(_)) => {
                look.heading = false;
                flush(&mut line, &mut out, lists.len());
            }
            Event::Start(Tag::List(first)) => {
                // A nested list ends its parent item's line.
                flush(&mut line, &mut out, lists.len() + 1);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut line, &mut out, lists.len());
                lists.pop();
                line.depth = lists.len();
            }
            Event::Start(Tag::Item) => {
                flush(&mut line, &mut out, lists.len());
                let marker = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_string(),
                };
                line.runs.push((marker, Look::default()));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                flush(&mut line, &mut out, lists.len());
            }
            Event::Text(t) | Event::Code(t) => line.runs.push((t.to_string(), look)),
            Event::SoftBreak | Event::HardBreak => line.runs.push((" ".into(), look)),
            _ => {}
        }
    }
    flush(&mut line, &mut out, 0);
    out
}

/// Draws `text` as formatted lines.
pub fn markdown_ui(ui: &mut egui::Ui, text: &str) {
    let indent = ui.spacing().indent;
    for line in lines(text) {
        let mut job = egui::text::LayoutJob::default();
        for (t, look) in &line.runs {
            let mut f = egui::TextFormat {
                color: ui.visuals().text_color(),
                italics: look.em,
                ..Default::default()
            };
            if look.strong || look.heading {
                f.color = ui.visuals().strong_text_color();
            }
            if look.heading {
                f.font_id = egui::TextStyle::Heading.resolve(ui.style());
            }
            job.append(t, 0.0, f);
        }
        let depth = line.depth.saturating_sub(1);
        ui.horizontal_top(|ui| {
            ui.add_space(indent * depth as f32);
            ui.label(job);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line) -> String {
        l.runs.iter().map(|(t, _)| t.as_str()).collect()
    }

    fn shown(md: &str) -> Vec<(usize, String)> {
        lines(md).iter().map(|l| (l.depth, text(l))).collect()
    }

    #[test]
    fn a_nested_item_gets_a_line_of_its_own_under_its_parent() {
        let md = "## Open questions\n\n- How do we share the budget? (held 12 weeks)\n  - latest: the council will come back\n- Who holds the waiting list?\n";
        assert_eq!(
            shown(md),
            vec![
                (0, "Open questions".into()),
                (1, "• How do we share the budget? (held 12 weeks)".into()),
                (2, "• latest: the council will come back".into()),
                (1, "• Who holds the waiting list?".into()),
            ]
        );
    }

    #[test]
    fn ordered_lists_are_numbered_from_their_start() {
        assert_eq!(
            shown("3. three\n4. four\n\nafter"),
            vec![
                (1, "3. three".into()),
                (1, "4. four".into()),
                (0, "after".into()),
            ]
        );
    }

    #[test]
    fn emphasis_and_paragraphs_keep_their_look() {
        let l = lines("a **bold** word\n\nnext");
        assert_eq!(l.len(), 2);
        assert!(l[0].runs.iter().any(|(t, k)| t == "bold" && k.strong));
        assert_eq!(text(&l[1]), "next");
    }
}
