//! Typed edits of a session: check-in turns, reflections, stories and retellings, notes.

use super::SessionDoc;
use crate::am::{ensure_map, get_obj, put_if_changed, put_stamp, put_text, put_whole};
use crate::error::{DocError, Result};
use crate::ids::{EntryId, MemberId};
use crate::schema::{Scope, key};
use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ROOT};

/// What a member does with their check-in turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TurnChoice {
    /// They spoke, and what they said may be written down with this scope.
    Spoke {
        /// What they said.
        text: String,
        /// Who may read it beyond the group.
        scope: Scope,
    },
    /// They passed.
    Passed,
    /// They spoke off the record: *that* they took their turn off the record is kept (inside
    /// the group, never exported), and none of their words, anywhere.
    OffTheRecord,
}

fn nonempty(what: &str, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(DocError::Invalid(format!("{what} must not be empty")));
    }
    Ok(())
}

fn by_hex(by: Option<MemberId>) -> Option<String> {
    by.map(|m| m.to_hex())
}

impl SessionDoc {
    fn entry(&self, map: &ObjId, id: EntryId, what: &'static str) -> Result<ObjId> {
        get_obj(&self.doc, map, &id.to_hex(), ObjType::Map).ok_or(DocError::NotFound {
            what,
            id: id.to_hex(),
        })
    }

    /// Sets the check-in question (the convener's choice), as a whole value: two devices
    /// changing it at once leave a conflict to resolve, never a mix of both.
    pub fn set_checkin_question(&mut self, question: &str) -> Result<()> {
        let checkin = ensure_map(&mut self.doc, &ROOT, key::CHECKIN)?;
        put_whole(&mut self.doc, &checkin, key::QUESTION, question)
    }

    /// Records a member's turn. Its words are one whole value (a register): two devices
    /// recording the same turn at once leave a conflict, never a mix. An off-the-record turn
    /// records only that it was taken off the record: no words, scope `group`.
    pub fn record_turn(
        &mut self,
        member: MemberId,
        choice: &TurnChoice,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<()> {
        let (text, scope, passed, off_record) = match choice {
            TurnChoice::OffTheRecord => ("", Scope::Group, false, true),
            TurnChoice::Passed => ("", Scope::Group, true, false),
            TurnChoice::Spoke { text, scope } => {
                nonempty("a check-in turn", text)?;
                (text.as_str(), *scope, false, false)
            }
        };
        let checkin = ensure_map(&mut self.doc, &ROOT, key::CHECKIN)?;
        let turns = ensure_map(&mut self.doc, &checkin, key::TURNS)?;
        let turn = match get_obj(&self.doc, &turns, &member.to_hex(), ObjType::Map) {
            Some(t) => t,
            None => {
                let t = self.doc.put_object(&turns, member.to_hex(), ObjType::Map)?;
                put_stamp(&mut self.doc, &t, now_ms, by_hex(by).as_deref())?;
                t
            }
        };
        crate::limits::check_text_len(text.chars().count())?;
        put_if_changed(&mut self.doc, &turn, key::TEXT, text)?;
        put_if_changed(&mut self.doc, &turn, key::PASSED, passed)?;
        put_if_changed(&mut self.doc, &turn, key::OFF_RECORD, off_record)?;
        put_if_changed(&mut self.doc, &turn, key::SCOPE, scope.as_str())?;
        Ok(())
    }

    /// Starts a co-written reflection.
    pub fn add_reflection(
        &mut self,
        title: &str,
        body: &str,
        scope: Scope,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<EntryId> {
        nonempty("a reflection's title", title)?;
        let map = ensure_map(&mut self.doc, &ROOT, key::REFLECTIONS)?;
        let id = EntryId::random();
        let obj = self.doc.put_object(&map, id.to_hex(), ObjType::Map)?;
        put_stamp(&mut self.doc, &obj, now_ms, by_hex(by).as_deref())?;
        self.doc.put(&obj, key::TITLE, title.trim())?;
        self.doc.put(&obj, key::SCOPE, scope.as_str())?;
        put_text(&mut self.doc, &obj, key::BODY, body)?;
        Ok(id)
    }

    /// Tells a story.
    pub fn add_story(
        &mut self,
        teller: MemberId,
        title: &str,
        text: &str,
        scope: Scope,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<EntryId> {
        // The text may start empty, to be typed in live (as the app does).
        nonempty("a story's title", title)?;
        let map = ensure_map(&mut self.doc, &ROOT, key::STORIES)?;
        let id = EntryId::random();
        let obj = self.doc.put_object(&map, id.to_hex(), ObjType::Map)?;
        put_stamp(&mut self.doc, &obj, now_ms, by_hex(by).as_deref())?;
        self.doc.put(&obj, key::TELLER, teller.to_hex())?;
        self.doc.put(&obj, key::TITLE, title.trim())?;
        self.doc.put(&obj, key::SCOPE, scope.as_str())?;
        put_text(&mut self.doc, &obj, key::TEXT, text)?;
        self.doc.put_object(&obj, key::RETELLINGS, ObjType::Map)?;
        Ok(id)
    }

    /// Retells a story from another angle; it stands beside the original, never merged into it.
    pub fn add_retelling(
        &mut self,
        story: EntryId,
        teller: MemberId,
        angle: &str,
        text: &str,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<EntryId> {
        nonempty("the angle of a retelling", angle)?;
        let stories = ensure_map(&mut self.doc, &ROOT, key::STORIES)?;
        let story_obj = self.entry(&stories, story, "story")?;
        let map = ensure_map(&mut self.doc, &story_obj, key::RETELLINGS)?;
        let id = EntryId::random();
        let obj = self.doc.put_object(&map, id.to_hex(), ObjType::Map)?;
        put_stamp(&mut self.doc, &obj, now_ms, by_hex(by).as_deref())?;
        self.doc.put(&obj, key::TELLER, teller.to_hex())?;
        self.doc.put(&obj, key::ANGLE, angle.trim())?;
        put_text(&mut self.doc, &obj, key::TEXT, text)?;
        Ok(id)
    }

    /// Corrects the angle a retelling is told from.
    pub fn set_angle(&mut self, story: EntryId, retelling: EntryId, angle: &str) -> Result<()> {
        nonempty("the angle of a retelling", angle)?;
        let stories = ensure_map(&mut self.doc, &ROOT, key::STORIES)?;
        let story_obj = self.entry(&stories, story, "story")?;
        let map = ensure_map(&mut self.doc, &story_obj, key::RETELLINGS)?;
        let obj = self.entry(&map, retelling, "retelling")?;
        self.doc.put(&obj, key::ANGLE, angle.trim())?;
        Ok(())
    }

    /// Changes an entry's consent scope (a reflection or story).
    pub fn set_scope(&mut self, entry: EntryId, scope: Scope) -> Result<()> {
        self.set_entry_str(entry, key::SCOPE, scope.as_str())
    }

    /// Corrects the title of a reflection or story.
    pub fn set_title(&mut self, entry: EntryId, title: &str) -> Result<()> {
        nonempty("a title", title)?;
        self.set_entry_str(entry, key::TITLE, title.trim())
    }

    /// Puts a string field of a reflection or story.
    fn set_entry_str(&mut self, entry: EntryId, field: &str, value: &str) -> Result<()> {
        for map_key in [key::REFLECTIONS, key::STORIES] {
            let map = ensure_map(&mut self.doc, &ROOT, map_key)?;
            if let Ok(obj) = self.entry(&map, entry, "entry") {
                self.doc.put(&obj, field, value)?;
                return Ok(());
            }
        }
        Err(DocError::NotFound {
            what: "reflection or story",
            id: entry.to_hex(),
        })
    }
}
