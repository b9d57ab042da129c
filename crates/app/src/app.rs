//! The app: persisted [`State`], the [`Runtime`], the commands drawing code sent, the live
//! editors and the notices. Each frame [`StonesApp::logic_step`] applies the commands
//! through the engine and takes its events, then [`StonesApp::root_ui`] draws.

use crate::logic::{self, Command, Ctx, LiveFields};
use crate::runtime::{Notice, Runtime};
use crate::state::{State, Theme};
use crate::ui::{self, Draw, Forms, Notices};
use std::path::Path;
use stones_doc::EntryId;

/// The Stepping Stones app.
pub struct StonesApp {
    /// What is remembered between runs.
    pub state: State,
    /// The engine and what is read from it (`None`: the home could not be opened).
    pub rt: Option<Runtime>,
    /// Why the home could not be opened.
    pub open_error: Option<String>,
    /// Commands sent by drawing code, applied before the next frame.
    pub commands: Vec<Command>,
    /// The live editors.
    pub live: LiveFields,
    /// What the forms hold while being filled in.
    pub forms: Forms,
    /// Errors and news on screen.
    pub notices: Notices,
}

impl StonesApp {
    /// Opens the engine on `home`; `ctx` is repainted whenever the engine has news.
    pub fn open(home: &Path, state: State, ctx: egui::Context) -> StonesApp {
        for theme in [egui::Theme::Light, egui::Theme::Dark] {
            ctx.set_visuals_of(theme, crate::contrast::visuals(theme));
        }
        // Text size is the app's setting (kept between runs), changed by its own shortcuts.
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let repaint = move || ctx.request_repaint();
        let mut app = StonesApp {
            state,
            rt: None,
            open_error: None,
            commands: Vec::new(),
            live: LiveFields::default(),
            forms: Forms::default(),
            notices: Notices::default(),
        };
        match Runtime::open(home, app.state.notebook.as_deref(), repaint) {
            Ok((mut rt, notices)) => {
                app.notices.extend(notices);
                if let Some(nb) = rt.notebook {
                    let last = app
                        .state
                        .last_session
                        .get(&nb.to_hex())
                        .and_then(|h| EntryId::from_hex(h).ok());
                    if let Some(s) = pick_session(&rt, last) {
                        rt.open_session(s);
                    }
                }
                app.rt = Some(rt);
            }
            Err(e) => app.open_error = Some(format!("{} could not be opened: {e}", home.display())),
        }
        app
    }

    /// Applies the commands sent since the last frame, takes the engine's events, keeps the
    /// live editors in step and the settings applied.
    pub fn logic_step(&mut self, ctx: &egui::Context) {
        ctx.set_theme(match self.state.theme {
            Theme::Light => egui::Theme::Light,
            Theme::Dark => egui::Theme::Dark,
        });
        ctx.set_zoom_factor(self.state.clamped_scale());
        let Some(rt) = self.rt.as_mut() else {
            return;
        };
        let mut viewed = None;
        let mut page = None;
        for cmd in std::mem::take(&mut self.commands) {
            let mut cx = Ctx {
                rt,
                live: &mut self.live,
                viewed: &mut viewed,
                page: &mut page,
            };
            if let Err(e) = logic::apply(&mut cx, cmd) {
                self.notices.push(Notice {
                    error: true,
                    text: e.to_string(),
                });
            }
        }
        if let Some(choice) = rt.picking.as_ref().and_then(|p| p.take()) {
            rt.picking = None;
            match choice {
                Some(path) => self.forms.export_path = path.display().to_string(),
                None => self.notices.push(Notice {
                    error: false,
                    text: "No place was chosen for the export (if no dialog appeared, type \
                           the folder or file instead)."
                        .into(),
                }),
            }
        }
        if let Some(p) = page {
            self.forms.page = p;
        }
        rt.search.poll();
        let had_notebook = rt.notebook;
        self.notices.extend(rt.poll());
        if rt.notebook != had_notebook || (rt.notebook.is_some() && rt.session.is_none()) {
            // A notebook just opened (created, joined, or arrived): show its latest session.
            if let Some(s) = pick_session(rt, None) {
                rt.open_session(s);
                viewed = Some(s);
            }
        }
        logic::follow_views(rt, &mut self.live);
        if let Some(nb) = rt.notebook {
            self.state.notebook = Some(nb.to_hex());
            if let Some(s) = viewed {
                self.state.last_session.insert(nb.to_hex(), s.to_hex());
            }
        }
        // The top bar's state and what other processes write stay fresh without input.
        ctx.request_repaint_after(std::time::Duration::from_millis(500));
    }

    /// Draws the whole window.
    pub fn root_ui(&mut self, ui: &mut egui::Ui) {
        let Some(rt) = self.rt.as_ref() else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading("Stepping Stones");
                ui.label(
                    self.open_error
                        .as_deref()
                        .unwrap_or("the home could not be opened"),
                );
            });
            return;
        };
        let mut draw = Draw {
            rt,
            state: &mut self.state,
            forms: &mut self.forms,
            live: &mut self.live,
            out: &mut self.commands,
        };
        ui::root_ui(ui, &mut draw, &mut self.notices);
        if !self.commands.is_empty() {
            // Applied before the next frame, which should come at once.
            ui.ctx().request_repaint();
        }
    }

    /// Commits typing and stops the network (the window is closing).
    pub fn close(&mut self) {
        if let Some(rt) = &self.rt {
            if let Err(e) = rt.engine.commit_pending() {
                tracing::warn!("could not commit typing on close: {e}");
            }
            rt.engine.shutdown();
        }
    }
}

/// The session to show: `last` if the notebook still has it, else the latest.
fn pick_session(rt: &Runtime, last: Option<EntryId>) -> Option<EntryId> {
    let view = rt.view.as_ref()?;
    last.filter(|s| view.session(*s).is_some())
        .or_else(|| view.sessions.last().map(|s| s.id))
}

impl eframe::App for StonesApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.logic_step(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.root_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, crate::state::STORAGE_KEY, &self.state);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.close();
    }
}
