//! The search box in the top bar (Ctrl+F, or ⌘F, puts the caret in it) and its results,
//! as you type, grouped by session: each hit names what it is, who wrote it and a snippet;
//! choosing one opens its session scrolled to the entry, with the words found highlighted.

use super::{Draw, Page};
use crate::logic::Command;
use crate::runtime::Found;
use stones_doc::search::Hit;
use stones_doc::search::fold::match_ranges;
use stones_doc::{EntryId, NotebookView};

/// The box's accessible name.
pub const SEARCH_BOX: &str = "Search the notebook";

/// The search box.
pub fn search_box_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    let id = egui::Id::unique("search-box");
    let shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::F);
    if ui.input_mut(|i| i.consume_shortcut(&shortcut)) {
        ui.memory_mut(|m| m.request_focus(id));
    }
    let l = ui.label(SEARCH_BOX);
    egui::TextEdit::singleline(&mut d.forms.search)
        .id(id)
        .hint_text("Ctrl+F")
        .desired_width(200.0)
        .show(ui)
        .response
        .response
        .labelled_by(l.id);
    if d.forms.search.trim() != d.rt.search.query {
        d.send(Command::Search(d.forms.search.clone()));
    }
}

/// The results window, while the box holds a query.
pub fn search_results_ui(ctx: &egui::Context, d: &mut Draw<'_>) {
    if d.rt.search.query.is_empty() {
        return;
    }
    let mut open = true;
    egui::Window::new("Search results")
        .open(&mut open)
        .default_pos([340.0, 60.0])
        .default_width(520.0)
        .show(ctx, |ui| results_ui(ui, d));
    if !open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        d.forms.search.clear();
    }
}

fn results_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    let Some(view) = d.rt.view.clone() else {
        return;
    };
    let Some(answer) = d.rt.search.answer.clone() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Searching…");
        });
        return;
    };
    let found = match answer.as_ref() {
        Ok(found) => found,
        Err(why) => {
            ui.colored_label(ui.visuals().error_fg_color, why);
            return;
        }
    };
    if found.hits.is_empty() {
        ui.label(format!("Nothing found for “{}”.", d.rt.search.query));
        return;
    }
    if !found.skipped.is_empty() {
        ui.weak(format!(
            "{} session(s) could not be read and were not searched.",
            found.skipped.len()
        ));
    }
    egui::ScrollArea::vertical()
        .max_height(420.0)
        .show(ui, |ui| {
            // Grouped by session, in the order of each group's best hit.
            let mut groups: Vec<(Option<EntryId>, Vec<&Hit>)> = Vec::new();
            for hit in &found.hits {
                match groups.iter_mut().find(|(s, _)| *s == hit.item.session) {
                    Some((_, hits)) => hits.push(hit),
                    None => groups.push((hit.item.session, vec![hit])),
                }
            }
            for (session, hits) in groups {
                ui.strong(group_title(&view, session));
                for hit in hits {
                    hit_ui(ui, d, &view, hit);
                }
                ui.add_space(6.0);
            }
        });
}

fn group_title(view: &NotebookView, session: Option<EntryId>) -> String {
    match session.and_then(|s| view.session(s)) {
        Some(e) if e.title.is_empty() => format!("{} · {}", e.date, e.kind),
        Some(e) => format!("{} · {} · {}", e.date, e.kind, e.title),
        None => "The notebook".to_string(),
    }
}

/// One hit: what and who, and its snippet with the words found in bold.
fn hit_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, view: &NotebookView, hit: &Hit) {
    let who = hit
        .item
        .by
        .map(|m| format!(" · {}", view.name_of(Some(m))))
        .unwrap_or_default();
    let text = format!("{}{who}: {}", hit.item.kind.as_str(), hit.snippet);
    let job = highlighted(ui, &text, &d.rt.search.query, ui.visuals().text_color());
    if ui.add(egui::Button::new(job)).clicked() {
        if hit.item.session.is_some() {
            d.forms.page = Page::Session;
        }
        d.forms.scroll_to = Some(hit.item.id.clone());
        d.send(Command::OpenFound(Found {
            session: hit.item.session,
            query: d.rt.search.query.clone(),
        }));
    }
}

/// `text` laid out with the words of `query` marked (as search folds them: accents and
/// case aside).
pub fn highlighted(
    ui: &egui::Ui,
    text: &str,
    query: &str,
    color: egui::Color32,
) -> egui::text::LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = egui::TextFormat::simple(font.clone(), color);
    let marked = egui::TextFormat {
        background: ui.visuals().selection.bg_fill,
        color: ui.visuals().strong_text_color(),
        ..egui::TextFormat::simple(font, color)
    };
    let mut job = egui::text::LayoutJob::default();
    let mut at = 0;
    for r in match_ranges(text, query) {
        job.append(&text[at..r.start], 0.0, plain.clone());
        job.append(&text[r.clone()], 0.0, marked.clone());
        at = r.end;
    }
    job.append(&text[at..], 0.0, plain);
    job
}

/// The words to highlight on `session`'s page, when a search opened it.
pub fn found_query<'a>(d: &'a Draw<'_>, session: EntryId) -> Option<&'a str> {
    d.rt.found
        .as_ref()
        .filter(|f| f.session == Some(session))
        .map(|f| f.query.as_str())
}

/// Scrolls `shown` into view if it is the entry (`id`, in hex) a search just opened
/// (`Forms::scroll_to`).
pub fn scroll_if_found(scroll_to: &mut Option<String>, id: &str, shown: &egui::Response) {
    if scroll_to.as_deref() == Some(id) {
        shown.scroll_to_me(Some(egui::Align::Center));
        *scroll_to = None;
    }
}
