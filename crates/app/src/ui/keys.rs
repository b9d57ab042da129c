//! The keyboard: shortcuts taken before anything is drawn (text size, help) and the help
//! panel that lists every shortcut. Everything else is reached with Tab and Shift+Tab
//! (egui's focus order is the order things are drawn in, with a visible focus ring) and
//! pressed with Space or Enter.

use super::Draw;

/// Every shortcut, as the help panel lists it.
pub const SHORTCUTS: [(&str, &str); 10] = [
    ("Tab / Shift+Tab", "move to the next / previous control"),
    (
        "Space or Enter",
        "press the focused button, tick the focused box",
    ),
    ("Ctrl+F", "search the notebook"),
    (
        "Ctrl+Z",
        "undo your own typing in the field (never what others wrote)",
    ),
    ("Ctrl+Shift+Z or Ctrl+Y", "redo what you undid"),
    ("Escape", "close the search results"),
    ("Ctrl+=", "larger text"),
    ("Ctrl+-", "smaller text"),
    ("Ctrl+0", "text at its usual size"),
    ("F1", "show or hide this help"),
];

/// How much one press of Ctrl+= or Ctrl+- changes the text size.
const STEP: f32 = 0.1;

/// Takes the app's shortcuts from this frame's input.
pub fn shortcuts(ctx: &egui::Context, d: &mut Draw<'_>) {
    use egui::{Key, KeyboardShortcut, Modifiers};
    let take = |key| {
        ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, key)))
    };
    if take(Key::Equals) || take(Key::Plus) {
        d.state.text_scale = (d.state.clamped_scale() + STEP).min(2.5);
    }
    if take(Key::Minus) {
        d.state.text_scale = (d.state.clamped_scale() - STEP).max(0.75);
    }
    if take(Key::Num0) {
        d.state.text_scale = 1.0;
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F1)) {
        d.forms.show_help = !d.forms.show_help;
    }
}

/// The help panel.
pub fn help_ui(ctx: &egui::Context, d: &mut Draw<'_>) {
    let mut open = d.forms.show_help;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for (keys, what) in SHORTCUTS {
                    ui.strong(keys);
                    ui.label(what);
                    ui.end_row();
                }
            });
        });
    d.forms.show_help &= open;
}
