//! The schema: document kinds and versions, map keys, and the small enums stored as strings
//! (session kind, question status, consent scope).

use crate::error::{DocError, Result};
use std::fmt;

/// Schema tag of the index document this version writes.
pub const NOTEBOOK_SCHEMA: &str = "stones/notebook/1";
/// Schema tag of a session document this version writes.
pub const SESSION_SCHEMA: &str = "stones/session/1";
/// The schema version number this build understands.
pub const SCHEMA_VERSION: u32 = 1;

/// Reads the version number out of a schema tag like `stones/notebook/2`.
pub fn schema_version(tag: &str, family: &str) -> Option<u32> {
    tag.strip_prefix(family)?.strip_prefix('/')?.parse().ok()
}

/// Checks that a document is a Stepping Stones document of this kind (its schema tag names
/// the family, any version): an automerge document that is not ours is refused, saying why.
pub fn check_kind(doc: &impl automerge::ReadDoc, kind: crate::DocKind) -> Result<()> {
    let (family, what) = match kind {
        crate::DocKind::Index => ("stones/notebook", "a notebook's index"),
        crate::DocKind::Session => ("stones/session", "a session"),
    };
    let tag = match doc.get(automerge::ROOT, key::SCHEMA) {
        Ok(Some((automerge::Value::Scalar(s), _))) => s.as_str().map(str::to_string),
        _ => None,
    };
    match tag {
        Some(t) if schema_version(&t, family).is_some() => Ok(()),
        Some(t) => Err(DocError::Invalid(format!(
            "not {what} of a Stepping Stones notebook (its schema tag is {t:?})"
        ))),
        None => Err(DocError::Invalid(format!(
            "not {what} of a Stepping Stones notebook (it has no schema tag)"
        ))),
    }
}

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal, { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stored (and command-line) spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = DocError;
            fn from_str(s: &str) -> Result<Self> {
                match s { $($text => Ok($name::$variant),)+
                    other => Err(DocError::Invalid(format!(
                        "unknown {} {:?}: expected one of {}", $what, other,
                        [$($text),+].join(", ")))) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

string_enum!(
    /// The rhythm a session belongs to.
    SessionKind, "session kind", {
        /// The weekly online hour.
        Weekly = "weekly",
        /// The monthly day face to face.
        Monthly = "monthly",
        /// Anything else.
        Other = "other",
    }
);

string_enum!(
    /// Where a held question stands.
    QuestionStatus, "question status", {
        /// Still being held.
        Open = "open",
        /// Put down for now, to come back to.
        Resting = "resting",
        /// An answer emerged.
        Answered = "answered",
        /// The group chose to let it go.
        LetGo = "let-go",
    }
);

string_enum!(
    /// Consent scope of an entry.
    Scope, "scope", {
        /// Synced to members, left out of exports unless asked for.
        Group = "group",
        /// May leave the group in exports.
        Export = "export",
    }
);

/// Map keys used in the documents, named once (each constant is the key's own spelling).
pub(crate) mod key {
    pub const SCHEMA: &str = "schema";
    pub const NOTEBOOK_ID: &str = "notebook_id";
    pub const SESSION_ID: &str = "session_id";
    pub const TITLE: &str = "title";
    pub const PURPOSE: &str = "purpose";
    pub const NETWORK: &str = "network";
    pub const RELAY: &str = "relay";
    pub const MEMBERS: &str = "members";
    pub const DEVICES: &str = "devices";
    pub const INVITES: &str = "invites";
    pub const SESSIONS: &str = "sessions";
    pub const QUESTIONS: &str = "questions";
    pub const LEARNINGS: &str = "learnings";
    pub const NAME: &str = "name";
    pub const SECTOR: &str = "sector";
    pub const ROLE: &str = "role";
    pub const JOINED_AT: &str = "joined_at";
    pub const LEFT_AT: &str = "left_at";
    /// A member entry that is the same person as another: the member it was merged into.
    pub const MERGED_INTO: &str = "merged_into";
    /// An invite made for a member already in the group: the device that redeems it is theirs.
    pub const FOR_MEMBER: &str = "for_member";
    pub const MEMBER: &str = "member";
    pub const LABEL: &str = "label";
    pub const ADDED_AT: &str = "added_at";
    pub const ADDED_BY: &str = "added_by";
    pub const REVOKED_AT: &str = "revoked_at";
    pub const SECRET_HASH: &str = "secret_hash";
    pub const CREATED_BY: &str = "created_by";
    pub const EXPIRES_AT: &str = "expires_at";
    /// An invite's allowed uses when made; what is left is this minus its redemptions.
    pub const USES_LEFT: &str = "uses_left";
    /// How many devices an invite admits (in its act).
    pub const USES: &str = "uses";
    /// In a notebook rebuilt from an export: how many entries that export left out
    /// (`turns`, `reflections`, `stories`), so later exports still say so.
    pub const EXPORT_LEFT_OUT: &str = "export_left_out";
    pub const TURNS_KEY: &str = "turns";
    pub const REFLECTIONS_KEY: &str = "reflections";
    pub const STORIES_KEY: &str = "stories";
    /// An invite's redemptions: device id -> time (a map, so concurrent redemptions merge).
    pub const REDEEMED: &str = "redeemed";
    pub const DOC: &str = "doc";
    pub const DATE: &str = "date";
    pub const KIND: &str = "kind";
    pub const CONVENER: &str = "convener";
    pub const TEXT: &str = "text";
    pub const RAISED_BY: &str = "raised_by";
    pub const RAISED_IN: &str = "raised_in";
    pub const STATUS: &str = "status";
    pub const TRAIL: &str = "trail";
    pub const AT: &str = "at";
    pub const BY: &str = "by";
    pub const SESSION: &str = "session";
    pub const NOTE: &str = "note";
    pub const BODY: &str = "body";
    pub const FROM_SESSIONS: &str = "from_sessions";
    pub const CREATED_AT: &str = "created_at";
    pub const CHECKIN: &str = "checkin";
    pub const QUESTION: &str = "question";
    pub const TURNS: &str = "turns";
    pub const PASSED: &str = "passed";
    /// A check-in turn taken off the record (true): no words are kept.
    pub const OFF_RECORD: &str = "off_record";
    pub const SCOPE: &str = "scope";
    pub const REFLECTIONS: &str = "reflections";
    pub const STORIES: &str = "stories";
    pub const TELLER: &str = "teller";
    pub const RETELLINGS: &str = "retellings";
    pub const ANGLE: &str = "angle";
    /// Under a session's index entry: member id → true (in the room) or false (absent).
    pub const PRESENT: &str = "present";
    pub const NOTES: &str = "notes";
    /// The index's membership acts (see `membership`).
    pub const ACTS: &str = "acts";
    /// Who wrote characters an undo put back (`crate::credits`).
    pub const CREDITS: &str = "credits";
    pub const DEVICE: &str = "device";
    pub const INVITE: &str = "invite";
    pub const SEEN: &str = "seen";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_parse_and_print() {
        for kind in SessionKind::ALL {
            assert_eq!(kind.as_str().parse::<SessionKind>().unwrap(), *kind);
        }
        assert_eq!(
            "let-go".parse::<QuestionStatus>().unwrap(),
            QuestionStatus::LetGo
        );
        let err = "fortnightly"
            .parse::<SessionKind>()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("fortnightly") && err.contains("weekly"),
            "{err}"
        );
    }

    #[test]
    fn reads_schema_versions() {
        assert_eq!(
            schema_version("stones/notebook/1", "stones/notebook"),
            Some(1)
        );
        assert_eq!(
            schema_version("stones/notebook/7", "stones/notebook"),
            Some(7)
        );
        assert_eq!(schema_version("other/notebook/1", "stones/notebook"), None);
    }
}
