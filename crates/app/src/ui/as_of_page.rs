//! A session as it was at a moment, read only, under a banner that says so: the check-in
//! (question and turns), notes, reflections and re-storying as they stood. Nothing here
//! can be edited; "Back to now" returns to the live page.

use super::{Draw, Page, heading_ui, markdown};
use stones_doc::{NotebookView, SessionView};
use stones_store::local_time::format_ms;

/// The as-of page.
pub fn as_of_page_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    let (Some(view), Some(past)) = (d.rt.view.clone(), d.rt.as_of.clone()) else {
        ui.spinner();
        return;
    };
    let banner = format!(
        "As it was on {} — read only. Later changes are not shown.",
        format_ms(past.time_ms)
    );
    egui::Frame::group(ui.style())
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(banner);
                if ui.button("Back to now").clicked() {
                    d.forms.page = Page::Session;
                }
            });
        });
    if let Some(e) = view.session(past.session) {
        heading_ui(ui, format!("{} · {}", e.date, e.kind));
    }
    egui::ScrollArea::vertical()
        .id_salt("as-of")
        .show(ui, |ui| past_ui(ui, &view, &past.view));
}

fn past_ui(ui: &mut egui::Ui, view: &NotebookView, s: &SessionView) {
    heading_ui(ui, "Check-in");
    if !s.checkin_question.is_empty() {
        ui.strong(&s.checkin_question);
    }
    for t in &s.turns {
        let name = view.name_of(Some(t.member));
        if t.passed {
            ui.label(format!("{name} passed."));
        } else {
            ui.label(format!("{name}: {}", t.text));
        }
    }
    if s.turns.is_empty() {
        ui.weak("No turns yet then.");
    }
    heading_ui(ui, "Notes");
    if s.notes.is_empty() {
        ui.weak("No notes yet then.");
    } else {
        markdown::markdown_ui(ui, &s.notes);
    }
    heading_ui(ui, "Reflections");
    if s.reflections.is_empty() {
        ui.weak("No reflections yet then.");
    }
    for r in &s.reflections {
        ui.strong(&r.title);
        markdown::markdown_ui(ui, &r.body);
    }
    if !s.stories.is_empty() {
        heading_ui(ui, "Re-storying");
    }
    for st in &s.stories {
        ui.strong(&st.title);
        ui.columns(1 + st.retellings.len(), |cols| {
            cols[0].label(format!("Told by {}", view.name_of(st.teller)));
            cols[0].label(&st.text);
            for (i, r) in st.retellings.iter().enumerate() {
                let col = &mut cols[i + 1];
                col.label(format!(
                    "Retold by {}, from {}",
                    view.name_of(r.teller),
                    r.angle
                ));
                col.label(&r.text);
            }
        });
    }
}
