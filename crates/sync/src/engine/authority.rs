//! Where this device's member stands for a session (`stones_doc::session::Standing`): who
//! they are, whether they are a host, who convenes — read from the evaluation and the
//! index, for the checks before a turn is recorded, a scope changed or an entry withdrawn.

use super::Engine;
use crate::error::Result;
use stones_doc::session::Standing;
use stones_doc::{EntryId, NotebookId};

impl Engine {
    /// This device's member's standing in `session` (`None`: no session, as for a held
    /// question).
    pub fn standing(&self, nb: NotebookId, session: Option<EntryId>) -> Result<Standing> {
        let me = self.me_or_err(nb)?;
        let view = self.view(nb)?;
        Ok(Standing {
            me,
            is_host: view.membership.is_host(me),
            convener: session
                .and_then(|s| view.session(s))
                .and_then(|s| s.convener),
        })
    }
}
