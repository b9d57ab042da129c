//! Sharing: invite someone (the ticket as text, a QR code drawn here, a copy button, how
//! many may use it and for how long) and export the notebook (the four formats, whether
//! group-only entries go too, where to, progress and the result).

use super::{Draw, labelled_text_ui};
use crate::logic::Command;
use stones_store::export::ExportFormat;

/// The invite menu's content.
pub fn invite_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    ui.set_min_width(320.0);
    ui.horizontal(|ui| {
        let l = ui.label("Devices that may join with it");
        ui.add(egui::DragValue::new(&mut d.forms.invite_uses).range(1..=50))
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label("Valid for hours");
        ui.add(egui::DragValue::new(&mut d.forms.invite_hours).range(1..=24 * 14))
            .labelled_by(l.id);
    });
    if ui.button("Make an invite").clicked() {
        d.send(Command::MakeInvite {
            uses: d.forms.invite_uses,
            hours: d.forms.invite_hours,
            for_member: None,
        });
    }
    open_invites_ui(ui, d);
    let Some(inv) = &d.rt.invite else {
        return;
    };
    ui.separator();
    match &inv.for_name {
        Some(name) => ui.label(format!(
            "For {name}'s own device (one use), valid for {} hour(s). Give it only to {name}: \
             the device that joins with it becomes theirs.",
            inv.hours
        )),
        None => ui.label(format!(
            "For {} device(s), valid for {} hour(s). Give it only to the person you invite.",
            inv.uses, inv.hours
        )),
    };
    qr_ui(ui, &inv.ticket);
    let mut text = inv.ticket.clone();
    let l = ui.label("Invite ticket to give");
    ui.add(
        egui::TextEdit::multiline(&mut text)
            .desired_rows(3)
            .interactive(true),
    )
    .labelled_by(l.id);
    if ui.button("Copy the ticket").clicked() {
        ui.ctx().copy_text(inv.ticket.clone());
    }
}

/// The invites still open, each with who made it and a way to cancel it (for its maker
/// and for hosts).
fn open_invites_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    let Some(view) = d.rt.view.clone() else {
        return;
    };
    let now = stones_store::Store::now_ms();
    let open: Vec<_> = view
        .invite_statuses(now)
        .into_iter()
        .filter(|i| i.state == stones_doc::index::InviteState::Open)
        .collect();
    if open.is_empty() {
        return;
    }
    ui.separator();
    ui.label("Invites still open");
    let i_host = d.rt.me.is_some_and(|me| view.membership.is_host(me));
    for inv in open {
        ui.horizontal_wrapped(|ui| {
            let whom = match inv.for_member {
                Some(m) => format!("for {}", view.name_of(Some(m))),
                None => "for anyone with the ticket".into(),
            };
            let left = inv.uses.map(|u| u.saturating_sub(inv.used));
            let left = match left {
                Some(1) => ", one use left".to_string(),
                Some(l) => format!(", {l} uses left"),
                None => String::new(),
            };
            ui.label(format!("By {}, {whom}{left}", view.name_of(inv.maker)));
            if (i_host || inv.maker == d.rt.me) && ui.small_button("Cancel it").clicked() {
                d.send(Command::CancelInvite(inv.id));
            }
        });
    }
}

/// The ticket as a QR code, drawn module by module.
fn qr_ui(ui: &mut egui::Ui, text: &str) {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        ui.weak("(the ticket is too long for a QR code: copy the text instead)");
        return;
    };
    let width = code.width();
    let quiet = 4;
    let module = 4.0;
    let side = (width + 2 * quiet) as f32 * module;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    ui.ctx().accesskit_node_builder(response.id, |n| {
        n.set_role(egui::Role::Image);
        n.set_label("QR code of the invite ticket");
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = ((i % width + quiet) as f32, (i / width + quiet) as f32);
            let min = rect.min + egui::vec2(x * module, y * module);
            let r = egui::Rect::from_min_size(min, egui::vec2(module, module));
            painter.rect_filled(r, 0.0, egui::Color32::BLACK);
        }
    }
}

/// The export menu's content.
pub fn export_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    ui.set_min_width(320.0);
    for (format, words) in [
        (ExportFormat::Markdown, "Markdown (a folder of files)"),
        (ExportFormat::Html, "HTML (one page)"),
        (ExportFormat::Json, "JSON (one file)"),
        (
            ExportFormat::Automerge,
            "Automerge (a folder, with history)",
        ),
    ] {
        ui.radio_value(&mut d.forms.export_format, format, words);
    }
    ui.checkbox(
        &mut d.forms.export_group,
        "Include what the group kept to itself",
    );
    labelled_text_ui(ui, "Export to (folder or file)", &mut d.forms.export_path);
    let picking = d.rt.picking.is_some();
    let choose = ui.add_enabled(!picking, egui::Button::new("Choose where…"));
    if choose.clicked() {
        d.send(Command::PickExportPlace {
            format: d.forms.export_format,
        });
    }
    if let Some(job) = &d.rt.export {
        let j = job.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let part = if j.total == 0 {
            0.0
        } else {
            j.done as f32 / j.total as f32
        };
        ui.add(egui::ProgressBar::new(part).text(format!("{} of {} sessions", j.done, j.total)));
    } else if ui.button("Write the export").clicked() {
        d.send(Command::Export {
            format: d.forms.export_format,
            path: d.forms.export_path.clone(),
            include_group: d.forms.export_group,
        });
    }
}
