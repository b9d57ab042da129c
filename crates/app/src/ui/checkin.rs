//! The check-in round: who is here (attendance), the convener's question, then a row per
//! member in the room — their turn as recorded (with its scope, changeable), or what they
//! said, *pass*, and *off the record*. Off the record is a choice, not a text field: only
//! *that* the turn was taken off the record is kept (inside the group, never exported), so
//! every device and every restart shows it; no words are written anywhere.

use super::{Draw, labelled_text_ui};
use crate::logic::Command;
use stones_doc::{MemberId, NotebookView, Scope, SessionEntry, SessionView, TurnChoice};

/// The check-in section.
pub fn checkin_ui(
    ui: &mut egui::Ui,
    d: &mut Draw<'_>,
    view: &NotebookView,
    entry: &SessionEntry,
    session: &SessionView,
) {
    attendance_ui(ui, d, view, entry);
    question_ui(ui, d, entry, session);
    // Everyone marked present; none marked yet: every current member, so the round can start.
    let mut room: Vec<MemberId> = view.present_at(entry);
    if room.is_empty() {
        room = view
            .members
            .iter()
            .filter(|m| m.left_at.is_none() && !entry.absent.contains(&m.id))
            .map(|m| m.id)
            .collect();
    }
    for t in &session.turns {
        if !room.contains(&t.member) {
            room.push(t.member);
        }
    }
    for member in room {
        ui.push_id(("turn", member), |ui| {
            turn_row_ui(ui, d, view, entry, session, member)
        });
    }
}

fn attendance_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, view: &NotebookView, entry: &SessionEntry) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Who is here:");
        for m in view.members.iter().filter(|m| m.left_at.is_none()) {
            let mut here = entry.present.contains(&m.id);
            if ui.checkbox(&mut here, &m.name).changed() {
                d.send(Command::SetPresent {
                    session: entry.id,
                    member: m.id,
                    present: here,
                });
            }
        }
    });
}

fn question_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, entry: &SessionEntry, session: &SessionView) {
    let editing = d
        .forms
        .question
        .as_ref()
        .is_some_and(|(s, _)| *s == entry.id);
    if !editing {
        ui.horizontal_wrapped(|ui| {
            if session.checkin_question.is_empty() {
                ui.weak("No check-in question yet.");
            } else {
                ui.strong(&session.checkin_question);
            }
            if ui.button("Change the question").clicked() {
                d.forms.question = Some((entry.id, session.checkin_question.clone()));
            }
        });
        return;
    }
    let Some((_, q)) = d.forms.question.as_mut() else {
        return;
    };
    labelled_text_ui(ui, "Check-in question", q);
    if ui.button("Save the question").clicked() {
        let question = q.clone();
        d.forms.question = None;
        d.send(Command::SetQuestion {
            session: entry.id,
            question,
        });
    }
}

fn turn_row_ui(
    ui: &mut egui::Ui,
    d: &mut Draw<'_>,
    view: &NotebookView,
    entry: &SessionEntry,
    session: &SessionView,
    member: MemberId,
) {
    let name = view.name_of(Some(member));
    let key = (entry.id, member);
    let turn = session.turns.iter().find(|t| t.member == member);
    // Only Ann records Ann's turn; the convener records one for someone without a device.
    let not_mine = why_not_mine(view, d.rt.me, entry, member, &name);
    let may_record = not_mine.is_none();
    ui.group(|ui| {
        ui.strong(&name);
        if let Some(t) = turn.filter(|_| !d.forms.retake.contains(&key)) {
            if t.passed {
                ui.label("Passed.");
            } else if t.off_record {
                ui.label(format!(
                    "{name} spoke off the record: nothing of it was written down, anywhere."
                ));
            } else {
                let shown = match super::search::found_query(d, entry.id) {
                    Some(q) => {
                        let job =
                            super::search::highlighted(ui, &t.text, q, ui.visuals().text_color());
                        ui.label(job)
                    }
                    None => ui.label(&t.text),
                };
                super::search::scroll_if_found(&mut d.forms.scroll_to, &member.to_hex(), &shown);
                let scope = match t.scope {
                    Scope::Group => "Stays inside the group",
                    Scope::Export => "May leave the group (exports)",
                };
                ui.weak(scope);
                // Whether it may leave the group is its writer's choice.
                if may_record {
                    let (other, words) = match t.scope {
                        Scope::Group => {
                            (Scope::Export, format!("Let {name}'s turn leave the group"))
                        }
                        Scope::Export => {
                            (Scope::Group, format!("Keep {name}'s turn inside the group"))
                        }
                    };
                    if ui.button(words).clicked() {
                        d.send(Command::Turn {
                            session: entry.id,
                            member,
                            choice: TurnChoice::Spoke {
                                text: t.text.clone(),
                                scope: other,
                            },
                        });
                    }
                }
            }
            let what = format!("{name}'s turn");
            let turn = stones_doc::session::Withdrawable::Turn(member);
            super::corrections::entry_tools_ui(ui, d, entry.id, turn, &what, None);
            if may_record && ui.button(format!("Change {name}'s turn")).clicked() {
                d.forms.turns.insert(key, t.text.clone());
                d.forms.turn_export.insert(member, t.scope == Scope::Export);
                d.forms.retake.insert(key);
            }
            return;
        }
        ui.weak(format!("{name} has not taken a turn yet."));
        if let Some(why) = not_mine {
            ui.weak(why);
            return;
        }
        // What was typed and not yet recorded is kept on this device (a draft), so a crash
        // or a closed window loses none of it; it goes nowhere else until recorded.
        let text = d
            .forms
            .turns
            .entry(key)
            .or_insert_with(|| d.rt.turn_drafts.get(&key).cloned().unwrap_or_default());
        if labelled_text_ui(ui, &format!("What {name} said"), text).changed() {
            let text = text.clone();
            d.send(Command::SaveTurnDraft {
                session: entry.id,
                member,
                text,
            });
        }
        let export = d.forms.turn_export.entry(member).or_default();
        ui.checkbox(export, "May leave the group (in exports)");
        ui.horizontal_wrapped(|ui| {
            let mut choice = None;
            if ui.button(format!("Record {name}'s turn")).clicked() {
                let text = d.forms.turns.get(&key).cloned().unwrap_or_default();
                let scope = if d.forms.turn_export.get(&member).copied().unwrap_or(false) {
                    Scope::Export
                } else {
                    Scope::Group
                };
                choice = Some(TurnChoice::Spoke { text, scope });
            }
            if ui.button(format!("{name} passes")).clicked() {
                choice = Some(TurnChoice::Passed);
            }
            if ui.button(format!("{name} speaks off the record")).clicked() {
                // Only the choice is recorded: the draft's words are dropped, never sent.
                choice = Some(TurnChoice::OffTheRecord);
            }
            if let Some(choice) = choice {
                d.forms.turns.remove(&key);
                d.forms.retake.remove(&key);
                d.send(Command::Turn {
                    session: entry.id,
                    member,
                    choice,
                });
            }
        });
    });
}

/// Why this device's member may not record `member`'s turn (as the engine will check), if
/// they may not.
fn why_not_mine(
    view: &NotebookView,
    me: Option<MemberId>,
    entry: &SessionEntry,
    member: MemberId,
    name: &str,
) -> Option<String> {
    let Some(me) = me else {
        return Some("This device belongs to no member of the notebook.".into());
    };
    let standing = stones_doc::session::Standing {
        me,
        is_host: view.membership.is_host(me),
        convener: entry.convener,
    };
    let has_device = view.has_own_device(member);
    if has_device {
        // Said plainly: the person records their own words.
        return (member != me).then(|| format!("{name} records it on their own device."));
    }
    stones_doc::session::may_record_turn(&standing, member, name, has_device)
        .err()
        .map(|_| format!("The session's convener records {name}'s turn."))
}
