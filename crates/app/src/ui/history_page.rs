//! History: who changed a session (or the notebook) and when, as a timeline of blocks —
//! one person's changes close together, with what they did — newest first; and, for a
//! session, a way to read it as it was at a chosen moment (the as-of page).

use super::{Draw, Page, heading_ui, labelled_text_ui};
use crate::logic::Command;
use stones_store::Target;
use stones_store::local_time::format_ms;

/// The history page of `target`.
pub fn history_page_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, target: Target) {
    let session = match target {
        Target::Session(s) => Some(s),
        Target::Index => None,
    };
    heading_ui(
        ui,
        if session.is_some() {
            "History of this session"
        } else {
            "History of the notebook"
        },
    );
    if ui.button("Back").clicked() {
        d.forms.page = Page::Session;
    }
    if let Some(s) = session {
        ui.horizontal(|ui| {
            labelled_text_ui(ui, "As of (a day, or a day and a time)", &mut d.forms.as_of);
            if ui.button("Show it as it was").clicked() {
                d.send(Command::ShowAsOf {
                    session: s,
                    when: d.forms.as_of.clone(),
                });
            }
        });
    }
    let blocks = match d.rt.history.clone() {
        Some((shown, blocks)) if shown == target => blocks,
        _ => {
            d.send(Command::ShowHistory(target));
            ui.spinner();
            return;
        }
    };
    if blocks.is_empty() {
        ui.label("No changes recorded yet.");
    }
    egui::ScrollArea::vertical()
        .id_salt("history")
        .show(ui, |ui| {
            for (i, b) in blocks.iter().enumerate() {
                ui.push_id(("block", i), |ui| {
                    ui.group(|ui| {
                        let (from, to) = (format_ms(b.from_ms), format_ms(b.to_ms));
                        let span = if from == to {
                            from
                        } else {
                            format!("{from} to {to}")
                        };
                        ui.strong(format!("{} · {span}", b.who));
                        ui.label(format!("{} ({} operation(s))", b.did_words(), b.ops));
                        if let Some(s) = session
                            && ui
                                .button(format!("As it was after {}'s changes", b.who))
                                .clicked()
                        {
                            // A change records whole seconds: the end of its second includes it.
                            d.send(Command::ShowAsOfMs {
                                session: s,
                                time_ms: b.to_ms + 999,
                            });
                        }
                    });
                });
            }
        });
}
