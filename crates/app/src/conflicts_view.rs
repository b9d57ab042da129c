//! The notebook's conflicts as the app shows them: every field holding values written at
//! the same time on different devices, with where it is in words, which session it
//! concerns and who set each value. Read from the engine when the notebook opens, after a
//! pick, and — at most once a second — after changes that came from elsewhere (a peer or
//! another process), since only those can make a conflict; never per frame or keystroke.

use stones_doc::conflicts::{Conflict, FieldDoc, FieldId, place};
use stones_doc::{EntryId, NotebookView};
use stones_store::notebook::ConflictReport;

/// One conflicted field, ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownConflict {
    /// The field, to pick a value by.
    pub field: FieldId,
    /// The session it concerns (its own document, or its entry in the index).
    pub session: Option<EntryId>,
    /// Where it is, in words.
    pub place: String,
    /// Each value as text and who set it, the one shown now first.
    pub values: Vec<(String, String)>,
}

/// The session a field concerns.
fn session_of(field: &FieldId) -> Option<EntryId> {
    match field.doc {
        FieldDoc::Session(s) => Some(s),
        FieldDoc::Notebook => match field.path.as_slice() {
            [list, s, ..] if list == "sessions" => EntryId::from_hex(s).ok(),
            _ => None,
        },
    }
}

/// Every conflict of a report, for people.
pub fn shown(view: &NotebookView, report: &ConflictReport) -> Vec<ShownConflict> {
    report
        .found
        .iter()
        .map(|(field, c): &(FieldId, Conflict)| ShownConflict {
            field: field.clone(),
            session: session_of(field),
            place: place(view, field, None),
            values: c
                .values
                .iter()
                .map(|v| {
                    let who = v.device.and_then(|d| view.member_of_device(d)).map_or_else(
                        || "a device not in the group".to_string(),
                        |m| view.name_of(Some(m)),
                    );
                    (v.shown.clone(), who)
                })
                .collect(),
        })
        .collect()
}
