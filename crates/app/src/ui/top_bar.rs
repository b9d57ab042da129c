//! The top bar: the notebook's title, who is connected now (by name) and how caught up this
//! device is with the room and each person — offline, alone, connecting, syncing N, caught
//! up, as the engine says it (never "caught up" with nobody there) — the network mode,
//! theme and text size.

use super::Draw;
use super::first_run::{MODES, network_choice_ui};
use crate::state::Theme;
use stones_store::UndoSide;
use stones_sync::SyncState;
use stones_sync::net::NetMode;

/// The room's state in words a member reads at a glance.
pub fn room_words(state: SyncState, peers: usize) -> String {
    match state {
        SyncState::Offline => "Offline: only this computer".into(),
        SyncState::Alone => "Nobody else is connected".into(),
        SyncState::Connecting => "Connecting…".into(),
        SyncState::Syncing { differing } => format!("Syncing {differing} with {peers}"),
        SyncState::CaughtUp => format!("Caught up with {peers}"),
    }
}

/// The network mode in the words of the first-run choice (loopback, which only `stones
/// --net loopback` and tests choose, has its own).
pub fn mode_words(mode: NetMode) -> &'static str {
    match mode {
        NetMode::Loopback => "Loopback (testing)",
        _ => MODES
            .iter()
            .find(|(m, _)| *m == mode)
            .map_or("Network", |(_, w)| *w),
    }
}

/// The Edit menu: undo and redo of this device's own typing in the field typed in last,
/// saying what they would undo (nothing another person wrote is ever undone).
fn edit_menu_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    let menu = d.rt.undo_menu.clone();
    let Some((target, field)) = menu.field else {
        ui.weak("Nothing of yours to undo yet.");
        return;
    };
    for (words, side, keys) in [
        (menu.undo, UndoSide::Undo, "Ctrl+Z"),
        (menu.redo, UndoSide::Redo, "Ctrl+Shift+Z"),
    ] {
        let enabled = words.is_some();
        let words = words.unwrap_or_else(|| match side {
            UndoSide::Undo => "Nothing to undo".into(),
            UndoSide::Redo => "Nothing to redo".into(),
        });
        let button = egui::Button::new(words).shortcut_text(keys);
        if ui.add_enabled(enabled, button).clicked() {
            d.send(crate::command::Command::Undo {
                target,
                field,
                side,
            });
            ui.close();
        }
    }
    ui.weak("Undo takes back only your own typing, never what others wrote.");
}

/// The top bar.
pub fn top_bar_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    // Wrapped: with several peers, or large text, it takes two lines rather than clipping.
    ui.horizontal_wrapped(|ui| {
        if let Some(v) = &d.rt.view {
            ui.strong(&v.title);
        }
        ui.separator();
        super::search::search_box_ui(ui, d);
        let n = d.rt.conflicts.len();
        if n > 0 {
            let words = egui::RichText::new(format!("{n} conflict(s) to choose"))
                .color(ui.visuals().warn_fg_color);
            if ui.button(words).clicked() {
                d.forms.page = super::Page::Conflicts;
            }
        }
        ui.separator();
        ui.label(room_words(d.rt.sync, d.rt.peers.len()));
        for p in &d.rt.peers {
            ui.label(format!("{}: {}", p.name, p.state));
        }
        ui.separator();
        ui.menu_button(format!("Network: {}", mode_words(d.rt.mode)), |ui| {
            network_choice_ui(ui, d)
        });
        if ui.selectable_label(d.forms.show_invite, "Invite").clicked() {
            d.forms.show_invite = !d.forms.show_invite;
        }
        if ui.selectable_label(d.forms.show_export, "Export").clicked() {
            d.forms.show_export = !d.forms.show_export;
        }
        if ui
            .selectable_label(d.forms.show_help, "Help (F1)")
            .clicked()
        {
            d.forms.show_help = !d.forms.show_help;
        }
        ui.menu_button("Edit", |ui| edit_menu_ui(ui, d));
        ui.menu_button("View", |ui| {
            ui.radio_value(&mut d.state.theme, Theme::Light, "Light theme");
            ui.radio_value(&mut d.state.theme, Theme::Dark, "Dark theme");
            ui.add(
                egui::Slider::new(&mut d.state.text_scale, 0.75..=2.5)
                    .text("Text size")
                    .step_by(0.05),
            );
        });
    });
}
