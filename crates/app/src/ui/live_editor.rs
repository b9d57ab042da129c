//! The live editor: a labelled multiline text box whose every change is sent as one splice
//! (by code point) for logic to type through the engine, and whose caret logic moves when
//! others' edits land (`logic::follow_views`). Losing focus commits the typing.

use super::Draw;
use crate::live_text::splice;
use crate::logic::{Command, LiveField};
use egui::text::{CCursor, CCursorRange};
use stones_doc::TextField;
use stones_store::Target;

/// A live editor for one field that holds `current` now.
pub fn live_editor_ui(
    ui: &mut egui::Ui,
    d: &mut Draw<'_>,
    target: Target,
    field: TextField,
    current: &str,
    label: &str,
) {
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
    let l = ui.label(label);
    let out = egui::TextEdit::multiline(&mut f.buffer)
        .id(id)
        .desired_rows(4)
        .desired_width(f32::INFINITY)
        .show(ui);
    let response = out.response.response.labelled_by(l.id);
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
    if response.lost_focus() {
        d.out.push(Command::CommitTyping);
    }
}
