//! What the group writes together during a session: the notes, reflections co-edited live
//! (with who started each and a Markdown preview), and re-storying — a story and its
//! retellings side by side in columns, each with its teller and angle.

use super::corrections::entry_tools_ui;
use super::live_editor::live_editor_ui;
use super::markdown::markdown_ui;
use super::{Draw, labelled_text_ui};
use crate::logic::Command;
use stones_doc::session::Withdrawable;
use stones_doc::{NotebookView, SessionEntry, SessionView, TextField};
use stones_store::Target;

/// The notes of the conversation.
pub fn notes_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, entry: &SessionEntry, session: &SessionView) {
    let target = Target::Session(entry.id);
    live_editor_ui(
        ui,
        d,
        target,
        TextField::Notes,
        &session.notes,
        "Notes of the conversation",
    );
}

/// The reflections.
pub fn reflections_ui(
    ui: &mut egui::Ui,
    d: &mut Draw<'_>,
    view: &NotebookView,
    entry: &SessionEntry,
    session: &SessionView,
) {
    let target = Target::Session(entry.id);
    let session_id = entry.id;
    ui.checkbox(&mut d.state.preview, "Show reflections as formatted text");
    for r in &session.reflections {
        ui.push_id(("reflection", r.id), |ui| {
            ui.strong(&r.title);
            ui.weak(written_by(view, r, d.rt.writers.get(&r.id)));
            if d.state.preview {
                markdown_ui(ui, &r.body);
            } else {
                let label = format!("Reflection: {}", r.title);
                live_editor_ui(ui, d, target, TextField::Reflection(r.id), &r.body, &label);
            }
            let what = format!("the reflection “{}”", r.title);
            let entry = Withdrawable::Reflection(r.id);
            entry_tools_ui(ui, d, session_id, entry, &what, Some(&r.title));
        });
    }
    ui.horizontal(|ui| {
        labelled_text_ui(ui, "New reflection's title", &mut d.forms.reflection_title);
        if ui.button("Start a reflection").clicked() {
            let title = std::mem::take(&mut d.forms.reflection_title);
            d.send(Command::AddReflection {
                session: entry.id,
                title,
            });
        }
    });
}

/// "Started by Ada; written by Ada (40 words) and Bea (12 words)" — whoever typed its words.
fn written_by(
    view: &NotebookView,
    r: &stones_doc::session::ReflectionView,
    writers: Option<&Vec<(String, u32)>>,
) -> String {
    let started = format!("Started by {}", view.name_of(r.by));
    let Some(ws) = writers.filter(|w| !w.is_empty()) else {
        return started;
    };
    let names: Vec<String> = ws
        .iter()
        .map(|(name, n)| {
            let unit = if *n == 1 { "word" } else { "words" };
            format!("{name} ({n} {unit})")
        })
        .collect();
    format!("{started}; written by {}", names.join(", "))
}

/// Re-storying: each story with its retellings side by side.
pub fn restorying_ui(
    ui: &mut egui::Ui,
    d: &mut Draw<'_>,
    view: &NotebookView,
    entry: &SessionEntry,
    session: &SessionView,
) {
    let target = Target::Session(entry.id);
    for story in &session.stories {
        ui.push_id(("story", story.id), |ui| {
            ui.strong(&story.title);
            let columns = 1 + story.retellings.len();
            ui.columns(columns, |cols| {
                let teller = view.name_of(story.teller);
                cols[0].label(format!("Told by {teller}"));
                let label = format!("Story: {}", story.title);
                live_editor_ui(
                    &mut cols[0],
                    d,
                    target,
                    TextField::Story(story.id),
                    &story.text,
                    &label,
                );
                let what = format!("the story “{}”", story.title);
                let e = Withdrawable::Story(story.id);
                entry_tools_ui(&mut cols[0], d, entry.id, e, &what, Some(&story.title));
                for (i, r) in story.retellings.iter().enumerate() {
                    let col = &mut cols[i + 1];
                    let teller = view.name_of(r.teller);
                    col.label(format!("Retold by {teller}, from {}", r.angle));
                    let field = TextField::Retelling(story.id, r.id);
                    let label = format!("Retelling by {teller}");
                    live_editor_ui(col, d, target, field, &r.text, &label);
                    let what = format!("{teller}'s retelling");
                    let e = Withdrawable::Retelling(story.id, r.id);
                    entry_tools_ui(col, d, entry.id, e, &what, Some(&r.angle));
                }
            });
            let angle = d.forms.angles.entry(story.id).or_default();
            labelled_text_ui(ui, "Angle of a new retelling", angle);
            if ui.button("Retell it").clicked() {
                let angle = d.forms.angles.remove(&story.id).unwrap_or_default();
                if let Some(me) = d.rt.me {
                    d.send(Command::AddRetelling {
                        session: entry.id,
                        story: story.id,
                        teller: me,
                        angle,
                    });
                }
            }
        });
    }
    ui.horizontal(|ui| {
        labelled_text_ui(ui, "New story's title", &mut d.forms.story_title);
        if ui.button("Tell a story").clicked()
            && let Some(me) = d.rt.me
        {
            let title = std::mem::take(&mut d.forms.story_title);
            d.send(Command::AddStory {
                session: entry.id,
                teller: me,
                title,
            });
        }
    });
}
