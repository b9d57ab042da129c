//! The app under egui_kittest for the integration tests: a harness over a real engine on a
//! home, and the member's gestures by accessible name.
#![allow(dead_code, clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stones_app::StonesApp;
use stones_app::state::State;

/// The app on `home`, each frame running logic then drawing, as eframe does.
pub fn harness(home: &std::path::Path, state: State) -> Harness<'static, StonesApp> {
    let app = StonesApp::open(home, state, egui::Context::default());
    Harness::builder()
        .with_size([1300.0, 1000.0])
        .build_ui_state(
            |ui, app: &mut StonesApp| {
                app.logic_step(ui.ctx());
                app.root_ui(ui);
            },
            app,
        )
}

/// Focuses the field named `label` and types `text` into it.
pub fn type_into(h: &mut Harness<'_, StonesApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Clicks the control named `label`.
pub fn click(h: &mut Harness<'_, StonesApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}
