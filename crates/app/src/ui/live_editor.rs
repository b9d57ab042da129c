//! The live editor: a labelled multiline text box whose every change is sent as one splice
//! (by code point) for logic to type through the engine, and whose caret logic moves when
//! others' edits land (`logic::follow_views`). Losing focus commits the typing. The words a
//! search opened the page for are highlighted, and the editor it found is scrolled to.
//!
//! Undo and redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) are taken from the input before the text box
//! sees them — egui's own undo restores an old buffer, which would delete what others typed
//! meanwhile — and sent as `Command::Undo`, which undoes this device's own typing in the
//! document (`stones_doc::undo`).

use super::Draw;
use crate::live_text::splice;
use crate::logic::{Command, LiveField};
use egui::text::{CCursor, CCursorRange};
use stones_doc::TextField;
use stones_store::{Target, UndoSide};

/// A live editor for one field that holds `current` now.
pub fn live_editor_ui(
    ui: &mut egui::Ui,
    d: &mut Draw<'_>,
    target: Target,
    field: TextField,
    current: &str,
    label: &str,
) {
    let query = match target {
        Target::Session(s) => super::search::found_query(d, s).map(str::to_string),
        Target::Index => None,
    };
    let f = d.live.entry((target, field)).or_insert_with(|| LiveField {
        base: current.to_string(),
        buffer: current.to_string(),
        caret: current.chars().count(),
        ..LiveField::default()
    });
    if f.buffer == f.base && f.base != current {
        f.base = current.to_string();
        f.buffer = current.to_string();
    }
    let id = ui.make_persistent_id(("live-editor", target, field));
    if let Some(pos) = f.moved_to.take()
        && let Some(mut st) = egui::TextEdit::load_state(ui.ctx(), id)
    {
        st.cursor
            .set_char_range(Some(CCursorRange::one(CCursor::new(pos))));
        st.store(ui.ctx(), id);
    }
    if ui.memory(|m| m.has_focus(id)) {
        for side in undo_keys(ui) {
            d.out.push(Command::Undo {
                target,
                field,
                side,
            });
        }
    }
    let l = ui.label(label);
    let mut marking = |ui: &egui::Ui, text: &dyn egui::TextBuffer, width: f32| {
        let color = ui.visuals().text_color();
        let mut job =
            super::search::highlighted(ui, text.as_str(), query.as_deref().unwrap_or(""), color);
        job.wrap.max_width = width;
        ui.fonts_mut(|fonts| fonts.layout_job(job))
    };
    let mut edit = egui::TextEdit::multiline(&mut f.buffer)
        .id(id)
        .desired_rows(4)
        .desired_width(f32::INFINITY);
    if query.is_some() {
        // Only while a search's words are shown: a layouter per frame costs a layout.
        edit = edit.layouter(&mut marking);
    }
    let out = edit.show(ui);
    let response = out.response.response.labelled_by(l.id);
    if let Target::Session(s) = target {
        super::search::scroll_if_found(&mut d.forms.scroll_to, &item_id(field, s), &response);
    }
    if let Some(s) = splice(&f.base, &f.buffer) {
        let base = std::mem::replace(&mut f.base, f.buffer.clone());
        d.out.push(Command::Type {
            target,
            field,
            base,
            splice: s,
        });
    } else if let Some(r) = out.cursor_range {
        let pos = r.primary.index.0;
        if pos != f.caret {
            f.caret = pos;
            d.out.push(Command::Caret { target, field, pos });
        }
    }
    if response.gained_focus() {
        d.out.push(Command::FocusField { target, field });
    }
    if response.lost_focus() {
        d.out.push(Command::CommitTyping);
    }
}

/// Takes this frame's undo and redo keys out of the input, in the order pressed.
fn undo_keys(ui: &egui::Ui) -> Vec<UndoSide> {
    use egui::{Event, Key, Modifiers};
    ui.input_mut(|i| {
        let mut sides = Vec::new();
        i.events.retain(|e| {
            let Event::Key {
                key,
                pressed,
                modifiers,
                ..
            } = e
            else {
                return true;
            };
            let command = modifiers.matches_logically(Modifiers::COMMAND);
            let side = match key {
                Key::Z if command && modifiers.shift => UndoSide::Redo,
                Key::Z if command => UndoSide::Undo,
                Key::Y if command => UndoSide::Redo,
                _ => return true,
            };
            if *pressed {
                sides.push(side);
            }
            false
        });
        sides
    })
}

/// The id a search hit gives the entry this field belongs to (see `stones_doc::search`).
fn item_id(field: TextField, session: stones_doc::EntryId) -> String {
    match field {
        TextField::Reflection(e) | TextField::Story(e) | TextField::Retelling(_, e) => e.to_hex(),
        TextField::Turn(m) => m.to_hex(),
        _ => session.to_hex(),
    }
}
