//! Reading a session document into plain views, in an order that depends only on content.

use crate::am::{get_bool, get_i64, get_map, get_obj, get_str, get_text, keys};
use crate::ids::{EntryId, MemberId};
use crate::problems::Problems;
use crate::schema::{SESSION_SCHEMA, Scope, key, schema_version};
use automerge::{ObjId, ObjType, ROOT, ReadDoc};

/// One member's check-in turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnView {
    /// The member whose turn it is.
    pub member: MemberId,
    /// What they said (empty when they passed).
    pub text: String,
    /// They passed.
    pub passed: bool,
    /// They spoke off the record: nothing of what they said is kept (`text` is empty).
    pub off_record: bool,
    /// Who may read it beyond the group.
    pub scope: Scope,
    /// Who recorded it (the convener, or the member themself).
    pub by: Option<MemberId>,
    /// When it was recorded (unix ms).
    pub created_at: i64,
}

/// A co-written reflection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReflectionView {
    /// The reflection's id.
    pub id: EntryId,
    /// Its title.
    pub title: String,
    /// The co-written text.
    pub body: String,
    /// Who may read it beyond the group.
    pub scope: Scope,
    /// Who started it.
    pub by: Option<MemberId>,
    /// When it was started (unix ms).
    pub created_at: i64,
}

/// A retelling of a story from another angle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetellingView {
    /// The retelling's id.
    pub id: EntryId,
    /// Who retells it.
    pub teller: Option<MemberId>,
    /// The angle it is told from.
    pub angle: String,
    /// The retelling.
    pub text: String,
    /// Who recorded it.
    pub by: Option<MemberId>,
    /// When it was recorded (unix ms).
    pub created_at: i64,
}

/// A story and its retellings, side by side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryView {
    /// The story's id.
    pub id: EntryId,
    /// Who told it.
    pub teller: Option<MemberId>,
    /// Its title.
    pub title: String,
    /// The story as told.
    pub text: String,
    /// Who may read it beyond the group.
    pub scope: Scope,
    /// Who recorded it.
    pub by: Option<MemberId>,
    /// When it was recorded (unix ms).
    pub created_at: i64,
    /// Retellings from other angles, beside the story, oldest first.
    pub retellings: Vec<RetellingView>,
}

/// Everything a session document holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionView {
    /// The session's id (hex), as the document records it.
    pub session_id: String,
    /// The schema tag the document carries.
    pub schema: String,
    /// The convener's check-in question.
    pub checkin_question: String,
    /// Turns in the order they were taken (creation time, then member id).
    pub turns: Vec<TurnView>,
    /// Co-written reflections.
    pub reflections: Vec<ReflectionView>,
    /// Stories told, each with its retellings.
    pub stories: Vec<StoryView>,
    /// Free notes of the conversation.
    pub notes: String,
    /// Set when the document was written by a newer version (read what we can, keep the rest).
    pub newer_schema: Option<u32>,
    /// Anything that did not fit the schema and was skipped, by where it was.
    pub problems: Problems,
}

fn member(s: Option<String>, at: &str, p: &mut Problems) -> Option<MemberId> {
    let s = s?;
    MemberId::from_hex(&s).map_err(|e| p.note(at, e)).ok()
}

fn scope(doc: &impl ReadDoc, obj: &ObjId, default: Scope, at: &str, p: &mut Problems) -> Scope {
    match get_str(doc, obj, key::SCOPE, at, p) {
        // An unknown scope from a newer peer is treated as the most private one.
        Some(s) => s.parse().unwrap_or(Scope::Group),
        None => default,
    }
}

fn each_entry<D: ReadDoc, T>(
    doc: &D,
    parent: &ObjId,
    map: &str,
    at: &str,
    p: &mut Problems,
    mut read: impl FnMut(&str, &ObjId, &str, &mut Problems) -> Option<T>,
) -> Vec<T> {
    let Some(m) = get_map(doc, parent, map, at, p) else {
        return Vec::new();
    };
    keys(doc, &m)
        .into_iter()
        .filter_map(|k| {
            let eat = format!("{at}/{map}/{k}");
            match get_obj(doc, &m, &k, ObjType::Map) {
                Some(obj) => read(&k, &obj, &eat, p),
                None => {
                    p.note(&eat, "should be a map; skipped");
                    None
                }
            }
        })
        .collect()
}

/// Every map value under each key of `parent.map`, conflicting ones included: two devices
/// that record a member's first turn at once each create the turn's map under the member's
/// key, and automerge keeps both; reading only the winner would hide a turn.
fn each_entry_all<D: ReadDoc, T>(
    doc: &D,
    parent: &ObjId,
    map: &str,
    at: &str,
    p: &mut Problems,
    mut read: impl FnMut(&str, &ObjId, &str, &mut Problems) -> Option<T>,
) -> Vec<T> {
    let Some(m) = get_map(doc, parent, map, at, p) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for k in keys(doc, &m) {
        let eat = format!("{at}/{map}/{k}");
        let maps = crate::am::rival_maps(doc, &m, &k);
        if maps.is_empty() {
            p.note(&eat, "should be a map; skipped");
        }
        out.extend(maps.iter().filter_map(|obj| read(&k, obj, &eat, p)));
    }
    out
}

fn entry_id(k: &str, at: &str, p: &mut Problems) -> Option<EntryId> {
    EntryId::from_hex(k).map_err(|e| p.note(at, e)).ok()
}

/// Reads a session document (current or a historical fork).
pub fn read_view(doc: &impl ReadDoc) -> SessionView {
    let mut p = Problems::default();
    let at = "session";
    let schema = get_str(doc, &ROOT, key::SCHEMA, at, &mut p).unwrap_or_default();
    let newer_schema =
        schema_version(&schema, "stones/session").filter(|v| *v > crate::schema::SCHEMA_VERSION);
    if schema != SESSION_SCHEMA && newer_schema.is_none() {
        p.note(at, format!("unexpected schema {schema:?}"));
    }
    let checkin = get_map(doc, &ROOT, key::CHECKIN, at, &mut p);
    let checkin_question = checkin
        .as_ref()
        .and_then(|c| get_text(doc, c, key::QUESTION, "checkin", &mut p))
        .unwrap_or_default();
    let mut turns = match &checkin {
        Some(c) => each_entry_all(doc, c, key::TURNS, "checkin", &mut p, |k, obj, eat, p| {
            Some(TurnView {
                member: MemberId::from_hex(k).map_err(|e| p.note(eat, e)).ok()?,
                text: get_text(doc, obj, key::TEXT, eat, p).unwrap_or_default(),
                passed: get_bool(doc, obj, key::PASSED, eat, p),
                off_record: get_bool(doc, obj, key::OFF_RECORD, eat, p),
                scope: scope(doc, obj, Scope::Group, eat, p),
                by: member(get_str(doc, obj, key::BY, eat, p), eat, p),
                created_at: get_i64(doc, obj, key::CREATED_AT, eat, p).unwrap_or(0),
            })
        }),
        None => Vec::new(),
    };
    turns.sort_by_key(|a| (a.created_at, a.member));
    let mut reflections = each_entry(
        doc,
        &ROOT,
        key::REFLECTIONS,
        at,
        &mut p,
        |k, obj, eat, p| {
            Some(ReflectionView {
                id: entry_id(k, eat, p)?,
                title: get_str(doc, obj, key::TITLE, eat, p).unwrap_or_default(),
                body: get_text(doc, obj, key::BODY, eat, p).unwrap_or_default(),
                scope: scope(doc, obj, Scope::Export, eat, p),
                by: member(get_str(doc, obj, key::BY, eat, p), eat, p),
                created_at: get_i64(doc, obj, key::CREATED_AT, eat, p).unwrap_or(0),
            })
        },
    );
    reflections.sort_by_key(|a| (a.created_at, a.id));
    let mut stories = each_entry(doc, &ROOT, key::STORIES, at, &mut p, |k, obj, eat, p| {
        let mut retellings = each_entry(doc, obj, key::RETELLINGS, eat, p, |rk, robj, reat, p| {
            Some(RetellingView {
                id: entry_id(rk, reat, p)?,
                teller: member(get_str(doc, robj, key::TELLER, reat, p), reat, p),
                angle: get_str(doc, robj, key::ANGLE, reat, p).unwrap_or_default(),
                text: get_text(doc, robj, key::TEXT, reat, p).unwrap_or_default(),
                by: member(get_str(doc, robj, key::BY, reat, p), reat, p),
                created_at: get_i64(doc, robj, key::CREATED_AT, reat, p).unwrap_or(0),
            })
        });
        retellings.sort_by_key(|a| (a.created_at, a.id));
        Some(StoryView {
            id: entry_id(k, eat, p)?,
            teller: member(get_str(doc, obj, key::TELLER, eat, p), eat, p),
            title: get_str(doc, obj, key::TITLE, eat, p).unwrap_or_default(),
            text: get_text(doc, obj, key::TEXT, eat, p).unwrap_or_default(),
            scope: scope(doc, obj, Scope::Export, eat, p),
            by: member(get_str(doc, obj, key::BY, eat, p), eat, p),
            created_at: get_i64(doc, obj, key::CREATED_AT, eat, p).unwrap_or(0),
            retellings,
        })
    });
    stories.sort_by_key(|a| (a.created_at, a.id));
    SessionView {
        session_id: get_str(doc, &ROOT, key::SESSION_ID, at, &mut p).unwrap_or_default(),
        schema,
        checkin_question,
        turns,
        reflections,
        stories,
        notes: get_text(doc, &ROOT, key::NOTES, at, &mut p).unwrap_or_default(),
        newer_schema,
        problems: p,
    }
}
