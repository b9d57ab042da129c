//! The story so far, for newcomers: the digest the library writes (purpose, members by
//! sector and who left, open questions and how long each has been held, learnings, the
//! last reflections, who convened lately), shown as formatted text. Read when the page
//! opens and when the notebook changes, never per frame.

use super::{Draw, heading_ui, markdown};
use crate::logic::Command;

/// The story-so-far page.
pub fn story_page_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    heading_ui(ui, "The story so far");
    let Some(digest) = d.rt.digest.clone() else {
        d.send(Command::ShowDigest);
        ui.spinner();
        return;
    };
    ui.weak("For someone new to the group: what it is for, who is in it, what it holds open and has learnt.");
    egui::ScrollArea::vertical()
        .id_salt("story-so-far")
        .show(ui, |ui| markdown::markdown_ui(ui, &digest));
}
