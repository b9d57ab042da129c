//! Check-in turns typed but not yet recorded: a draft kept on this device only, in its
//! settings (never a document), so a crash or a closed window loses no words, while nothing
//! of it is synced or exported until the turn is recorded — and then the draft goes.

use crate::db::Db;
use crate::error::Result;
use stones_doc::{EntryId, MemberId, NotebookId};

fn prefix(nb: NotebookId, session: EntryId) -> String {
    format!("draft/turn/{nb}/{session}/")
}

impl Db {
    /// Keeps what has been typed of a member's turn (empty text drops the draft).
    pub fn save_turn_draft(
        &self,
        nb: NotebookId,
        session: EntryId,
        member: MemberId,
        text: &str,
    ) -> Result<()> {
        let name = format!("{}{member}", prefix(nb, session));
        if text.is_empty() {
            self.remove_setting(&name)
        } else {
            self.set_setting_quiet(&name, text.as_bytes())
        }
    }

    /// The drafts of a session's turns, by member.
    pub fn turn_drafts(&self, nb: NotebookId, session: EntryId) -> Result<Vec<(MemberId, String)>> {
        let p = prefix(nb, session);
        Ok(self
            .settings_with_prefix(&p)?
            .into_iter()
            .filter_map(|(k, v)| {
                let member = MemberId::from_hex(k.strip_prefix(&p)?).ok()?;
                Some((member, String::from_utf8(v).ok()?))
            })
            .collect())
    }
}
