//! Notices: errors in plain words, kept on screen until dismissed, and news that fade after
//! a few seconds, stacked in the window's lower right corner.

use crate::runtime::Notice;

/// How long news stays up, in seconds.
const NEWS_SECONDS: f64 = 8.0;

/// The notices on screen.
#[derive(Debug, Default)]
pub struct Notices {
    shown: Vec<(Notice, Option<f64>)>,
}

impl Notices {
    /// Adds one.
    pub fn push(&mut self, n: Notice) {
        if !self.shown.iter().any(|(s, _)| *s == n) {
            self.shown.push((n, None));
        }
    }

    /// Adds several.
    pub fn extend(&mut self, ns: impl IntoIterator<Item = Notice>) {
        for n in ns {
            self.push(n);
        }
    }

    /// What is on screen now.
    pub fn texts(&self) -> Vec<&str> {
        self.shown.iter().map(|(n, _)| n.text.as_str()).collect()
    }
}

/// Draws the notices; news older than a few seconds goes, errors stay until dismissed.
pub fn notices_ui(ctx: &egui::Context, notices: &mut Notices) {
    let now = ctx.input(|i| i.time);
    notices.shown.retain_mut(|(n, since)| {
        let t = *since.get_or_insert(now);
        n.error || now - t < NEWS_SECONDS
    });
    if notices.shown.is_empty() {
        return;
    }
    let mut dismiss = None;
    egui::Area::new(egui::Id::unique("notices"))
        .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -12.0])
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            for (i, (n, _)) in notices.shown.iter().enumerate() {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width(420.0);
                    ui.horizontal(|ui| {
                        let color = if n.error {
                            ui.visuals().error_fg_color
                        } else {
                            ui.visuals().text_color()
                        };
                        ui.colored_label(color, &n.text);
                        if ui.button("Dismiss").clicked() {
                            dismiss = Some(i);
                        }
                    });
                });
            }
        });
    if let Some(i) = dismiss {
        notices.shown.remove(i);
    }
    ctx.request_repaint_after(std::time::Duration::from_secs(1));
}
