//! The session page: its header (day, kind, title, convener — correctable), then the
//! sections of its kind's template in order, each saying what belongs there while empty.

use super::{Draw, HeaderDraft, checkin, heading_ui, labelled_text_ui, writing};
use crate::logic::Command;
use stones_doc::template::{Section, sections};
use stones_doc::{NotebookView, SessionEntry, SessionKind, SessionView};

/// The page of the session on screen.
pub fn session_page_ui(ui: &mut egui::Ui, d: &mut Draw<'_>) {
    let (Some(view), Some((id, session))) = (d.rt.view.clone(), d.rt.session.clone()) else {
        heading_ui(ui, "No session yet");
        ui.label("Open a weekly hour or a monthly day from the left to begin.");
        return;
    };
    let Some(entry) = view.session(id).cloned() else {
        ui.label("This session is no longer in the notebook.");
        return;
    };
    egui::ScrollArea::vertical().id_salt("session-page").show(ui, |ui| {
        header_ui(ui, d, &view, &entry);
        super::conflicts::session_conflicts_ui(ui, d, entry.id);
        let Some(session) = session else {
            match &d.rt.session_problem {
                Some(why) => ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("This session's document could not be read, so it is not shown; the rest of the notebook is. ({why})"),
                ),
                None => ui.label("This session's pages have not reached this computer yet: they arrive at the next sync."),
            };
            return;
        };
        for section in sections(entry.kind) {
            ui.separator();
            heading_ui(ui, section.heading());
            section_ui(ui, d, *section, &view, &entry, &session);
        }
        ui.separator();
        heading_ui(ui, "Held questions touched here");
        super::questions::touched_ui(ui, d, &view, entry.id);
    });
}

fn section_ui(
    ui: &mut egui::Ui,
    d: &mut Draw<'_>,
    section: Section,
    view: &NotebookView,
    entry: &SessionEntry,
    session: &SessionView,
) {
    let empty = match section {
        Section::Checkin => session.turns.is_empty(),
        Section::Notes => session.notes.is_empty(),
        Section::Reflections => session.reflections.is_empty(),
        Section::Restorying => session.stories.is_empty(),
        Section::Learnings => !view
            .learnings
            .iter()
            .any(|l| l.from_sessions.contains(&entry.id)),
    };
    if empty {
        ui.weak(section.hint());
    }
    match section {
        Section::Checkin => checkin::checkin_ui(ui, d, view, entry, session),
        Section::Notes => writing::notes_ui(ui, d, entry, session),
        Section::Reflections => writing::reflections_ui(ui, d, view, entry, session),
        Section::Restorying => writing::restorying_ui(ui, d, view, entry, session),
        Section::Learnings => {
            for l in view
                .learnings
                .iter()
                .filter(|l| l.from_sessions.contains(&entry.id))
            {
                ui.label(format!("{}: {}", l.title, l.body));
            }
        }
    }
}

fn header_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, view: &NotebookView, entry: &SessionEntry) {
    let editing = d
        .forms
        .header
        .as_ref()
        .is_some_and(|h| h.session == entry.id);
    if !editing {
        let title = if entry.title.is_empty() { "" } else { " · " };
        heading_ui(
            ui,
            format!("{} · {}{title}{}", entry.date, entry.kind, entry.title),
        );
        ui.label(match entry.convener {
            Some(c) => format!("Convened by {}", view.name_of(Some(c))),
            None => "No convener recorded".into(),
        });
        ui.horizontal(|ui| {
            if ui.button("History of this session").clicked() {
                let target = stones_store::Target::Session(entry.id);
                d.forms.page = super::Page::History(target);
                d.send(Command::ShowHistory(target));
            }
            if entry.convener.is_none()
                && let Some(words) = rotation_words(view)
            {
                ui.weak(words);
            }
        });
        if ui.button("Edit the header").clicked() {
            d.forms.header = Some(HeaderDraft {
                session: entry.id,
                date: entry.date.to_string(),
                kind: entry.kind,
                title: entry.title.clone(),
                convener: entry.convener,
            });
        }
        return;
    }
    let Some(h) = d.forms.header.as_mut() else {
        return;
    };
    labelled_text_ui(ui, "Session day", &mut h.date);
    labelled_text_ui(ui, "Session title", &mut h.title);
    ui.horizontal(|ui| {
        for kind in SessionKind::ALL {
            ui.radio_value(&mut h.kind, *kind, kind.as_str());
        }
    });
    egui::ComboBox::from_label("Convener")
        .selected_text(
            h.convener
                .map_or("not decided".into(), |c| view.name_of(Some(c))),
        )
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut h.convener, None, "not decided");
            for m in view.members.iter().filter(|m| m.left_at.is_none()) {
                ui.selectable_value(&mut h.convener, Some(m.id), &m.name);
            }
        });
    if let Some((next, _)) = stones_doc::rotation::next_convener(view)
        && h.convener != Some(next)
        && let Some(words) = rotation_words(view)
    {
        ui.horizontal(|ui| {
            ui.weak(words);
            if ui.button("Use the suggestion").clicked() {
                h.convener = Some(next);
            }
        });
    }
    let (save, cancel) = ui
        .horizontal(|ui| {
            (
                ui.button("Save the header").clicked(),
                ui.button("Cancel").clicked(),
            )
        })
        .inner;
    if save && let Some(h) = d.forms.header.take() {
        d.send(Command::EditHeader {
            session: h.session,
            date: h.date,
            kind: h.kind,
            title: h.title,
            convener: h.convener,
        });
    } else if cancel {
        d.forms.header = None;
    }
}

/// The rotation's suggestion in words: who convened least recently (never first).
fn rotation_words(view: &NotebookView) -> Option<String> {
    let (next, when) = stones_doc::rotation::next_convener(view)?;
    let when = when.map_or("has not convened yet".to_string(), |d| {
        format!("last convened on {d}")
    });
    Some(format!(
        "Next by rotation: {} ({when})",
        view.name_of(Some(next))
    ))
}
