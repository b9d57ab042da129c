//! Corrections and withdrawal from the page: a title corrected in place, a retelling's angle
//! changed, and an entry withdrawn after a confirmation that says honestly what withdrawal
//! does — it leaves the notebook, search and every export at once, while the document's
//! history and devices that already synced it keep it.

use super::{Draw, labelled_text_ui};
use crate::logic::Command;
use stones_doc::EntryId;
use stones_doc::session::Withdrawable;

/// What the confirmation says, for every kind of entry.
pub const WITHDRAW_WORDS: &str = "It leaves this notebook, search and every export at once. \
     Its history (the as-of view) and the devices that already synced it still hold it: \
     withdrawing cannot take it back from them.";

/// A correction or withdrawal being made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Correcting {
    /// A reflection's or story's title, being rewritten.
    Title {
        /// The session.
        session: EntryId,
        /// The reflection or story.
        entry: EntryId,
        /// The new title so far.
        title: String,
    },
    /// A retelling's angle, being rewritten.
    Angle {
        /// The session.
        session: EntryId,
        /// The story.
        story: EntryId,
        /// The retelling.
        retelling: EntryId,
        /// The new angle so far.
        angle: String,
    },
    /// An entry whose withdrawal waits for confirmation.
    Withdraw {
        /// The session.
        session: EntryId,
        /// The entry.
        entry: Withdrawable,
    },
}

/// The buttons under an entry (`what` names it in the buttons' words), and the form or
/// confirmation when one of them was pressed. `title` is the entry's title or angle, when
/// it has one to correct.
pub fn entry_tools_ui(
    ui: &mut egui::Ui,
    d: &mut Draw<'_>,
    session: EntryId,
    entry: Withdrawable,
    what: &str,
    title: Option<&str>,
) {
    let open = d.forms.correcting.clone();
    match open {
        Some(Correcting::Title {
            session: s,
            entry: e,
            mut title,
        }) if s == session && id_of(entry) == Some(e) => {
            labelled_text_ui(ui, &format!("New title of {what}"), &mut title);
            let (save, cancel) = save_cancel_ui(ui, "Save the title");
            d.forms.correcting = if save {
                d.send(Command::SetTitle {
                    session,
                    entry: e,
                    title,
                });
                None
            } else if cancel {
                None
            } else {
                Some(Correcting::Title {
                    session,
                    entry: e,
                    title,
                })
            };
        }
        Some(Correcting::Angle {
            session: s,
            story,
            retelling,
            mut angle,
        }) if s == session && entry == Withdrawable::Retelling(story, retelling) => {
            labelled_text_ui(ui, &format!("New angle of {what}"), &mut angle);
            let (save, cancel) = save_cancel_ui(ui, "Save the angle");
            d.forms.correcting = if save {
                d.send(Command::SetAngle {
                    session,
                    story,
                    retelling,
                    angle,
                });
                None
            } else if cancel {
                None
            } else {
                Some(Correcting::Angle {
                    session,
                    story,
                    retelling,
                    angle,
                })
            };
        }
        Some(Correcting::Withdraw {
            session: s,
            entry: e,
        }) if s == session && e == entry => {
            ui.group(|ui| {
                ui.label(format!("Withdraw {what}? {WITHDRAW_WORDS}"));
                let (yes, no) = save_cancel_ui(ui, &format!("Yes, withdraw {what}"));
                if yes {
                    d.send(Command::Withdraw { session, entry });
                }
                if yes || no {
                    d.forms.correcting = None;
                }
            });
        }
        _ => {
            ui.horizontal(|ui| {
                if let Some(t) = title
                    && ui.small_button(format!("Correct {what}")).clicked()
                {
                    d.forms.correcting = Some(match entry {
                        Withdrawable::Retelling(story, retelling) => Correcting::Angle {
                            session,
                            story,
                            retelling,
                            angle: t.to_string(),
                        },
                        _ => Correcting::Title {
                            session,
                            entry: id_of(entry).unwrap_or(session),
                            title: t.to_string(),
                        },
                    });
                }
                if ui.small_button(format!("Withdraw {what}")).clicked() {
                    d.forms.correcting = Some(Correcting::Withdraw { session, entry });
                }
            });
        }
    }
}

/// The entry a title belongs to (a turn has none).
fn id_of(entry: Withdrawable) -> Option<EntryId> {
    match entry {
        Withdrawable::Reflection(e) | Withdrawable::Story(e) => Some(e),
        Withdrawable::Retelling(_, r) => Some(r),
        Withdrawable::Turn(_) => None,
    }
}

fn save_cancel_ui(ui: &mut egui::Ui, save: &str) -> (bool, bool) {
    ui.horizontal(|ui| (ui.button(save).clicked(), ui.button("Cancel").clicked()))
        .inner
}
