//! Conflicts on screen: a marker where a field holds values two devices wrote at the same
//! time — on the session page for its own fields, and a count in the top bar for the whole
//! notebook — opening to every value side by side with who set it, and a button to keep
//! one (on every device, once they sync).

use super::{Draw, Page, heading_ui};
use crate::conflicts_view::ShownConflict;
use crate::logic::Command;
use stones_doc::EntryId;

/// The markers for one session's conflicted fields (nothing when there are none).
pub fn session_conflicts_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, session: EntryId) {
    let here: Vec<ShownConflict> =
        d.rt.conflicts
            .iter()
            .filter(|c| c.session == Some(session))
            .cloned()
            .collect();
    for c in here {
        conflict_ui(ui, d, &c);
    }
}

/// Every conflict of the notebook (the top bar's count opens this page).
pub fn conflicts_page_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    heading_ui(ui, "Values written at the same time");
    if ui.button("Back").clicked() {
        d.forms.page = Page::Session;
    }
    let all = d.rt.conflicts.clone();
    if all.is_empty() {
        ui.label("Every field holds one value: nothing to choose.");
    }
    egui::ScrollArea::vertical()
        .id_salt("conflicts")
        .show(ui, |ui| {
            for c in all.iter() {
                conflict_ui(ui, d, c);
            }
        });
}

/// One field: the marker, opening to its values side by side.
fn conflict_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, c: &ShownConflict) {
    let marker = format!(
        "Conflict: {} values were written at the same time for {}",
        c.values.len(),
        c.place
    );
    let color = ui.visuals().warn_fg_color;
    egui::CollapsingHeader::new(egui::RichText::new(marker).color(color))
        .id_salt(("conflict", c.field.to_string()))
        .show(ui, |ui| {
            ui.label(
                "Keep the one the group wants; the others go from every device once they sync.",
            );
            ui.columns(c.values.len().max(1), |cols| {
                for (i, (value, who)) in c.values.iter().enumerate() {
                    let col = &mut cols[i];
                    col.weak(format!("Set by {who}"));
                    col.label(value);
                    let keep = format!("Keep “{value}”, set by {who}");
                    if col.button(keep).clicked() {
                        d.send(Command::PickConflict {
                            field: c.field.clone(),
                            n: i + 1,
                        });
                    }
                }
            });
        });
}
