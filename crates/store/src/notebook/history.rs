//! History as people see it: who changed a document when, and a session as it stood then.

use super::{Notebook, Target};
use crate::error::Result;
use stones_doc::history::{as_of, history};
use stones_doc::{EntryId, SessionView};

/// One change, attributed to a member through the device that wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryItem {
    /// When, in unix ms (whole seconds, as the change recorded them).
    pub time_ms: i64,
    /// The member's name, when the device is known to the index.
    pub who: String,
    /// The commit message ("typing", "add reflection", "sync"…).
    pub message: String,
    /// Operations in the change.
    pub ops: usize,
}

impl Notebook {
    /// Who changed a document, when, oldest first.
    pub fn history(&mut self, target: Target) -> Result<Vec<HistoryItem>> {
        let view = self.view();
        let l = self.loaded_mut(target)?;
        Ok(history(l.am_mut())
            .into_iter()
            .map(|h| HistoryItem {
                time_ms: h.time_ms,
                who: match h.device {
                    Some(d) => view.name_of(view.member_of_device(d)),
                    None => "unknown device".to_string(),
                },
                message: h.message.unwrap_or_default(),
                ops: h.ops,
            })
            .collect())
    }

    /// A session as it stood at `time_ms`.
    pub fn session_as_of(&mut self, session: EntryId, time_ms: i64) -> Result<SessionView> {
        let l = self.loaded_mut(Target::Session(session))?;
        let past = as_of(l.am_mut(), time_ms)?;
        Ok(stones_doc::session::read_view(&past))
    }
}
