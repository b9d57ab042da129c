//! The Stepping Stones desktop app (egui/eframe 0.37), built on the engine of `stones-sync`
//! in this same process: there is no second copy of the notebook. The shape follows design
//! §9: persisted UI state (`state`) apart from the runtime handles (`runtime`); drawing code
//! (`ui/`) only reads and sends [`logic::Command`]s, which `logic` applies through the
//! engine between frames; the engine's waker asks egui for a repaint.

pub mod app;
pub mod command;
pub mod conflicts_view;
pub mod contrast;
pub mod demo;
pub mod error;
pub mod export_job;
pub mod file_picker;
pub mod live_text;
pub mod logic;
pub mod runtime;
pub mod search_job;
pub mod state;
pub mod timeline;
pub mod ui;

pub use app::StonesApp;
pub use error::AppError;

use std::path::PathBuf;

/// How the app was started.
#[derive(Clone, Debug)]
pub struct Launch {
    /// The device's home (its store).
    pub home: PathBuf,
}

/// Opens the window and runs until it is closed.
pub fn run(launch: Launch) -> Result<(), AppError> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Stepping Stones")
            .with_inner_size([1200.0, 800.0]),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "Stepping Stones",
        options,
        Box::new(move |cc| {
            let state = cc
                .storage
                .and_then(|s| eframe::get_value(s, state::STORAGE_KEY))
                .unwrap_or_default();
            let app = StonesApp::open(&launch.home, state, cc.egui_ctx.clone());
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| AppError::Window(e.to_string()))
}
