//! Held questions — the big questions the group holds open for months — and learnings: in
//! the sidebar, every question with its status (filtered by status) and every learning with
//! the sessions it came from; on the session page, the questions this session touched. A
//! question opens to its trail, where a note can be added or its status changed (both
//! recorded against the session on screen).

use super::{Draw, heading_ui, labelled_text_ui};
use crate::logic::Command;
use stones_doc::index::QuestionView;
use stones_doc::{EntryId, NotebookView, QuestionStatus};

/// The sidebar's questions and learnings.
pub fn questions_sidebar_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, view: &NotebookView) {
    heading_ui(ui, "Held questions");
    egui::ComboBox::from_label("Show questions")
        .selected_text(d.forms.question_filter.map_or("all", |s| s.as_str()))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut d.forms.question_filter, None, "all");
            for s in QuestionStatus::ALL {
                ui.selectable_value(&mut d.forms.question_filter, Some(*s), s.as_str());
            }
        });
    let filter = d.forms.question_filter;
    for q in view
        .questions
        .iter()
        .filter(|q| filter.is_none_or(|f| q.status == f))
    {
        ui.push_id(("question", q.id), |ui| question_ui(ui, d, view, q));
    }
    labelled_text_ui(ui, "A new question to hold", &mut d.forms.new_question);
    if ui.button("Hold this question").clicked() {
        let text = std::mem::take(&mut d.forms.new_question);
        let session = d.rt.session.as_ref().map(|(s, _)| *s);
        d.send(Command::RaiseQuestion { text, session });
    }
    heading_ui(ui, "Learnings");
    if view.learnings.is_empty() {
        ui.weak("Nothing learnt written down yet.");
    }
    for l in &view.learnings {
        let from: Vec<String> = l
            .from_sessions
            .iter()
            .filter_map(|s| view.session(*s).map(|e| e.date.to_string()))
            .collect();
        let from = if from.is_empty() {
            String::new()
        } else {
            format!(" (from {})", from.join(", "))
        };
        ui.label(format!("{}{from}", l.title));
    }
}

/// The questions a session touched: raised in it, or noted or moved on in it.
pub fn touched_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, view: &NotebookView, session: EntryId) {
    let touched: Vec<&QuestionView> = view
        .questions
        .iter()
        .filter(|q| {
            q.raised_in == Some(session) || q.trail.iter().any(|n| n.session == Some(session))
        })
        .collect();
    if touched.is_empty() {
        ui.weak("No held question was touched in this session yet: open one on the left to add a note from here.");
    }
    for q in touched {
        ui.push_id(("touched", q.id), |ui| question_ui(ui, d, view, q));
    }
}

/// One question, opening to its trail with a note field and the status choices.
fn question_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, view: &NotebookView, q: &QuestionView) {
    let session = d.rt.session.as_ref().map(|(s, _)| *s);
    egui::CollapsingHeader::new(format!("{} ({})", q.text, q.status))
        .id_salt(q.id)
        .show(ui, |ui| {
            for n in &q.trail {
                let when = n
                    .session
                    .and_then(|s| view.session(s))
                    .map_or(String::new(), |e| format!("{}: ", e.date));
                let moved = n.status.map_or(String::new(), |s| format!("[{s}] "));
                ui.label(format!("{when}{moved}{} — {}", n.note, view.name_of(n.by)));
            }
            let note = d.forms.question_notes.entry(q.id).or_default();
            labelled_text_ui(ui, "Trail note", note);
            if ui.button("Add the note").clicked() {
                let text = d.forms.question_notes.remove(&q.id).unwrap_or_default();
                d.send(Command::QuestionNote {
                    question: q.id,
                    text,
                    session,
                });
            }
            if d.forms.confirm_withdraw_question == Some(q.id) {
                ui.group(|ui| {
                    let words = super::corrections::WITHDRAW_WORDS;
                    ui.label(format!("Withdraw this question and its trail? {words}"));
                    ui.horizontal(|ui| {
                        if ui.button("Yes, withdraw the question").clicked() {
                            d.send(Command::WithdrawQuestion(q.id));
                            d.forms.confirm_withdraw_question = None;
                        }
                        if ui.button("Keep the question").clicked() {
                            d.forms.confirm_withdraw_question = None;
                        }
                    });
                });
            } else if ui.small_button("Withdraw the question").clicked() {
                d.forms.confirm_withdraw_question = Some(q.id);
            }
            ui.horizontal_wrapped(|ui| {
                for s in QuestionStatus::ALL {
                    if ui.radio(q.status == *s, s.as_str()).clicked() && q.status != *s {
                        d.send(Command::QuestionStatus {
                            question: q.id,
                            status: *s,
                            session,
                        });
                    }
                }
            });
        });
}
