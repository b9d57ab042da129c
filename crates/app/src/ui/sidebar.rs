//! The left side: the story so far and voices pages, sessions by date, newest first (kind and convener shown), new sessions
//! from the weekly or monthly template, held questions and learnings (`questions.rs`), and
//! the members (add one without a device, remove
//! one after a confirmation that says plainly what removal does).

use super::{Draw, Page, heading_ui, labelled_text_ui};
use crate::logic::Command;
use stones_doc::{NotebookView, SessionEntry, SessionKind};

/// The sidebar.
pub fn sidebar_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    let Some(view) = d.rt.view.clone() else {
        return;
    };
    ui.horizontal(|ui| {
        for (page, words) in [
            (Page::StorySoFar, "The story so far"),
            (Page::Voices, "Voices"),
            (Page::History(stones_store::Target::Index), "History"),
        ] {
            if ui.selectable_label(d.forms.page == page, words).clicked() {
                d.forms.page = page;
                d.send(match page {
                    Page::Voices => Command::ShowVoices {
                        last: d.forms.voices_last,
                    },
                    Page::History(target) => Command::ShowHistory(target),
                    _ => Command::ShowDigest,
                });
            }
        }
    });
    heading_ui(ui, "Sessions");
    if d.forms.new_date.is_empty() {
        d.forms.new_date = stones_store::local_time::today().to_string();
    }
    labelled_text_ui(ui, "Day", &mut d.forms.new_date);
    ui.horizontal(|ui| {
        for (kind, words) in [
            (SessionKind::Weekly, "New weekly hour"),
            (SessionKind::Monthly, "New monthly day"),
        ] {
            if ui.button(words).clicked() {
                let date = d.forms.new_date.clone();
                d.send(Command::NewSession { kind, date });
            }
        }
    });
    let open = d.rt.session.as_ref().map(|(s, _)| *s);
    egui::ScrollArea::vertical()
        .id_salt("sessions")
        .max_height(ui.available_height() * 0.4)
        .show(ui, |ui| {
            for s in view.sessions.iter().rev() {
                let text = session_label(&view, s);
                let here = open == Some(s.id) && d.forms.page == Page::Session;
                if ui.selectable_label(here, text).clicked() {
                    d.forms.page = Page::Session;
                    d.send(Command::OpenSession(s.id));
                }
            }
        });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("sidebar-rest")
        .show(ui, |ui| {
            super::questions::questions_sidebar_ui(ui, d, &view);
            ui.separator();
            members_ui(ui, d, &view);
        });
}

/// A session's row in the sidebar, what a member reads and clicks: its day, its kind, its
/// title and its convener.
pub fn session_label(view: &NotebookView, s: &SessionEntry) -> String {
    let convener = s
        .convener
        .map(|c| format!(" · {}", view.name_of(Some(c))))
        .unwrap_or_default();
    let title = if s.title.is_empty() { "" } else { " · " };
    format!("{} {}{title}{}{convener}", s.date, s.kind, s.title)
}

fn members_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, view: &NotebookView) {
    heading_ui(ui, "Members");
    let i_host = d.rt.me.is_some_and(|me| view.membership.is_host(me));
    let hosts = view.membership.hosts.len();
    for m in view.members.iter().filter(|m| m.left_at.is_none()) {
        let is_host = view.membership.is_host(m.id) && view.membership.evaluated;
        // Wrapped: a long name and its actions take two lines rather than running off.
        ui.horizontal_wrapped(|ui| {
            let sector = if m.sector.is_empty() {
                String::new()
            } else {
                format!(" ({})", m.sector)
            };
            let host = if is_host { " · host" } else { "" };
            ui.label(format!("{}{sector}{host}", m.name));
            if ui.small_button(format!("Correct {}", m.name)).clicked() {
                d.forms.member_edit =
                    Some((m.id, m.name.clone(), m.sector.clone(), m.role.clone()));
            }
            // Only a host removes members and changes who hosts; the last host stays.
            let last_host = is_host && hosts == 1;
            if i_host
                && Some(m.id) != d.rt.me
                && !last_host
                && ui.small_button(format!("Remove {}", m.name)).clicked()
            {
                d.forms.confirm_remove = Some(m.id);
            }
            if i_host && view.membership.evaluated && !last_host {
                let (words, to) = match is_host {
                    false => (format!("Make {} a host", m.name), true),
                    true => (format!("{} stops hosting", m.name), false),
                };
                if ui.small_button(words).clicked() {
                    d.send(Command::SetHost(m.id, to));
                }
            }
            // Two entries that are one person (made on two devices apart): merge them.
            if let Some(other) = stones_doc::index::names::same_name(view, &m.name, Some(m.id))
                && m.id > other.id
                && ui
                    .small_button(format!("Merge this {} into the other", m.name))
                    .clicked()
            {
                d.forms.confirm_merge = Some((m.id, other.id));
            }
            let deviceless = !view.devices.iter().any(|x| x.member == m.id);
            if deviceless
                && ui
                    .small_button(format!("Invite {} to their own device", m.name))
                    .clicked()
            {
                d.send(Command::MakeInvite {
                    uses: 1,
                    hours: d.forms.invite_hours,
                    for_member: Some(m.id),
                });
                d.forms.show_invite = true;
            }
        });
        if d.forms.member_edit.as_ref().is_some_and(|e| e.0 == m.id) {
            member_edit_ui(ui, d);
        }
    }
    if let Some((from, into)) = d.forms.confirm_merge {
        let name = view.name_of(Some(into));
        ui.group(|ui| {
            ui.label(format!(
                "Are both entries called {name} the same person? Their turns, writing, \
                 attendance and devices will count for one {name}, and one entry leaves the \
                 list. It cannot be split again."
            ));
            ui.horizontal(|ui| {
                if ui.button(format!("Yes, they are one {name}")).clicked() {
                    d.send(Command::MergeMembers { from, into });
                    d.forms.confirm_merge = None;
                }
                if ui.button("Keep both").clicked() {
                    d.forms.confirm_merge = None;
                }
            });
        });
    }
    if let Some(m) = d.forms.confirm_remove {
        let name = view.name_of(Some(m));
        ui.group(|ui| {
            ui.label(format!(
                "Remove {name}? Their devices can no longer sync with the group. They keep \
                 what their devices already had: removal cannot take that back. Invites not \
                 yet used close too: make new ones for anyone still to join."
            ));
            ui.horizontal(|ui| {
                if ui.button(format!("Yes, remove {name}")).clicked() {
                    d.send(Command::RemoveMember(m));
                    d.forms.confirm_remove = None;
                }
                if ui.button("Keep them").clicked() {
                    d.forms.confirm_remove = None;
                }
            });
        });
    }
    labelled_text_ui(ui, "New member's name", &mut d.forms.member_name);
    labelled_text_ui(ui, "New member's sector", &mut d.forms.member_sector);
    if ui.button("Add member").clicked() {
        let name = std::mem::take(&mut d.forms.member_name);
        let sector = std::mem::take(&mut d.forms.member_sector);
        d.send(Command::AddMember { name, sector });
    }
}

/// Correcting a member's name, sector and role.
fn member_edit_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    let Some((member, mut name, mut sector, mut role)) = d.forms.member_edit.take() else {
        return;
    };
    labelled_text_ui(ui, "Corrected name", &mut name);
    labelled_text_ui(ui, "Corrected sector", &mut sector);
    labelled_text_ui(ui, "Corrected role", &mut role);
    let (save, cancel) = ui
        .horizontal(|ui| {
            (
                ui.button("Save the member").clicked(),
                ui.button("Cancel").clicked(),
            )
        })
        .inner;
    if save {
        d.send(Command::EditMember {
            member,
            name,
            sector,
            role,
        });
    } else if !cancel {
        d.forms.member_edit = Some((member, name, sector, role));
    }
}
