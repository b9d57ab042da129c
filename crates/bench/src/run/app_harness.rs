//! The real app, headless, for the app's speed metrics: `StonesApp` built the way eframe
//! builds it (its creation context, the state a first run has) under egui_kittest's harness,
//! which runs eframe's `logic` and `ui` each frame and keeps the AccessKit tree a screen
//! reader reads. A timed frame is that step plus egui's tessellation of what it drew (what
//! eframe does before it hands the GPU its triangles); the window, GL and the GPU are not in
//! it.

use egui_kittest::Harness;
use std::path::Path;
use std::time::Instant;
use stones_app::StonesApp;
use stones_app::state::State;

/// The app under the harness.
pub type AppHarness = Harness<'static, StonesApp>;

/// The app on `home`, as eframe starts it in a 1200 × 800 window; its first frame has run.
pub fn app_on(home: &Path) -> AppHarness {
    Harness::builder()
        .with_size([1200.0, 800.0])
        .build_eframe(|cc| StonesApp::open(home, State::default(), cc.egui_ctx.clone()))
}

/// Tessellates the last frame's shapes; returns the milliseconds it took.
pub fn tessellate_ms(h: &AppHarness) -> f64 {
    let shapes = h.output().shapes.clone();
    let ppp = h.output().pixels_per_point;
    let started = Instant::now();
    let meshes = h.ctx.tessellate(shapes, ppp);
    let ms = ms_since(started);
    drop(meshes);
    ms
}

/// Runs one frame (the events queued for it, or none) and tessellates it; returns the
/// milliseconds of both.
pub fn frame_ms(h: &mut AppHarness) -> f64 {
    let started = Instant::now();
    h.step();
    let stepped = ms_since(started);
    stepped + tessellate_ms(h)
}

/// Milliseconds since `started`.
pub fn ms_since(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}
