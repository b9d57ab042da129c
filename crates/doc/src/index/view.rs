//! Reading the index into plain Rust views, tolerant of foreign or damaged shapes.

use super::IndexDoc;
use crate::am::{get_i64, get_map, get_obj, get_str, get_text, keys};
use crate::date::Date;
use crate::ids::{DeviceId, DocId, EntryId, MemberId};
use crate::problems::Problems;
use crate::schema::{NOTEBOOK_SCHEMA, QuestionStatus, SessionKind, key, schema_version};
use automerge::{ObjId, ROOT, ReadDoc};

/// A member of the group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberView {
    /// The member's id.
    pub id: MemberId,
    /// How the group knows them.
    pub name: String,
    /// NHS, council, charity, funder…
    pub sector: String,
    /// A role in the group, if any.
    pub role: String,
    /// When they joined (unix ms).
    pub joined_at: i64,
    /// When they left or were removed (unix ms), if they did.
    pub left_at: Option<i64>,
}

/// A device and the member it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceView {
    /// The device's id (its ed25519 public key).
    pub id: DeviceId,
    /// The member it belongs to.
    pub member: MemberId,
    /// A label to tell a member's devices apart.
    pub label: String,
    /// When it was added (unix ms).
    pub added_at: i64,
    /// When it was revoked (unix ms), if it was.
    pub revoked_at: Option<i64>,
}

/// An invite, as the index records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteView {
    /// The invite's id.
    pub id: EntryId,
    /// The hash of its secret (hex); the secret itself is only in the ticket.
    pub secret_hash: String,
    /// The member who made it.
    pub created_by: Option<MemberId>,
    /// When it stops being valid (unix ms).
    pub expires_at: i64,
    /// Uses allowed when made, minus redemptions so far.
    pub uses_left: i64,
    /// Devices that joined with it.
    pub redeemed_by: Vec<DeviceId>,
    /// The member it was made for (their own device joins with it), if any.
    pub for_member: Option<MemberId>,
}

/// A session's entry in the index: its header and the id of its own document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionEntry {
    /// The session's id.
    pub id: EntryId,
    /// The id of the session's own document.
    pub doc: DocId,
    /// The day it was held.
    pub date: Date,
    /// Weekly, monthly or other.
    pub kind: SessionKind,
    /// Its title (may be empty).
    pub title: String,
    /// Who convened it, if recorded.
    pub convener: Option<MemberId>,
    /// Members marked as in the room, by id.
    pub present: Vec<MemberId>,
    /// Members marked as absent (a correction of an earlier mark), by id.
    pub absent: Vec<MemberId>,
    /// When it was created (unix ms).
    pub created_at: i64,
}

/// One dated note in a question's trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionNoteView {
    /// The note's id.
    pub id: EntryId,
    /// When it was written (unix ms).
    pub at: i64,
    /// Who wrote it.
    pub by: Option<MemberId>,
    /// The session it was written in, if any.
    pub session: Option<EntryId>,
    /// The status the question moved to with this note, if it moved.
    pub status: Option<QuestionStatus>,
    /// What was noted.
    pub note: String,
}

/// A held question with its trail, in `at` order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionView {
    /// The question's id.
    pub id: EntryId,
    /// Its wording.
    pub text: String,
    /// Who raised it.
    pub raised_by: Option<MemberId>,
    /// The session it was raised in, if any.
    pub raised_in: Option<EntryId>,
    /// Where it stands: open, resting, answered…
    pub status: QuestionStatus,
    /// When it was raised (unix ms).
    pub created_at: i64,
    /// Notes and status changes, oldest first.
    pub trail: Vec<QuestionNoteView>,
}

/// A learning the group arrived at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LearningView {
    /// The learning's id.
    pub id: EntryId,
    /// Its title.
    pub title: String,
    /// What was learnt.
    pub body: String,
    /// The sessions it came from.
    pub from_sessions: Vec<EntryId>,
    /// Who recorded it.
    pub by: Option<MemberId>,
    /// When it was recorded (unix ms).
    pub created_at: i64,
}

/// Everything the index says, in a stable order that depends only on the content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotebookView {
    /// The notebook's id (hex), as the document records it.
    pub notebook_id: String,
    /// The schema tag the document carries.
    pub schema: String,
    /// The notebook's title.
    pub title: String,
    /// What the group is for, in its own words.
    pub purpose: String,
    /// The group's relay URL for internet mode, if set.
    pub relay: String,
    /// Everyone who is or was a member, by joining time.
    pub members: Vec<MemberView>,
    /// Devices of the members, with who they belong to.
    pub devices: Vec<DeviceView>,
    /// Invites made, with their uses and redemptions.
    pub invites: Vec<InviteView>,
    /// Sessions by date, then creation time, then id.
    pub sessions: Vec<SessionEntry>,
    /// Questions the group holds open, with their trails.
    pub questions: Vec<QuestionView>,
    /// What the group has learnt, newest last.
    pub learnings: Vec<LearningView>,
    /// Entries an earlier export left out (a notebook imported from that export).
    pub earlier_left_out: crate::export::LeftOut,
    /// Set when the document was written by a newer version (read what we can, keep the rest).
    pub newer_schema: Option<u32>,
    /// Anything that did not fit the schema and was skipped, by where it was.
    pub problems: Problems,
    /// Who belongs, evaluated from the membership acts (what access decides by).
    pub membership: crate::membership::Membership,
    /// Member entries merged into another (the same person): merged → the member now.
    pub merged: std::collections::BTreeMap<MemberId, MemberId>,
}

impl NotebookView {
    /// The member with this id.
    pub fn member(&self, id: MemberId) -> Option<&MemberView> {
        let id = self.canonical(id);
        self.members.iter().find(|m| m.id == id)
    }
    /// A member's name, or a short placeholder for someone this device does not know (yet).
    pub fn name_of(&self, id: Option<MemberId>) -> String {
        match id {
            Some(id) => self
                .member(id)
                .map(|m| m.name.clone())
                .unwrap_or_else(|| format!("member {}", &id.to_hex()[..8])),
            None => "unknown".to_string(),
        }
    }
    /// Whether `member` has a device of their own that counts (as the acts say; the device
    /// map in a notebook from before acts).
    pub fn has_own_device(&self, member: MemberId) -> bool {
        if self.membership.evaluated {
            return self
                .membership
                .devices
                .values()
                .any(|m| self.canonical(*m) == member);
        }
        self.devices
            .iter()
            .any(|d| d.member == member && d.revoked_at.is_none())
    }

    /// The member a device belongs to.
    pub fn member_of_device(&self, device: DeviceId) -> Option<MemberId> {
        // The acts say whose a device is (the device map is any member's to edit); a
        // notebook from before acts has only the map.
        if self.membership.evaluated {
            let m = self.membership.device_members.get(&device)?;
            return Some(self.canonical(*m));
        }
        self.devices
            .iter()
            .find(|d| d.id == device)
            .map(|d| d.member)
    }
    /// The members marked present at a session, in the order the group knows its members
    /// (by joining), not by id.
    pub fn present_at(&self, entry: &SessionEntry) -> Vec<MemberId> {
        // (Entries read with this view already name merged members as who they are now.)
        let mut present = entry.present.clone();
        present.sort_by_key(|m| (self.members.iter().position(|x| x.id == *m), *m));
        present
    }

    /// The session entry with this id.
    pub fn session(&self, id: EntryId) -> Option<&SessionEntry> {
        self.sessions.iter().find(|s| s.id == id)
    }
}

impl IndexDoc {
    /// Reads the whole index into a view.
    pub fn view(&self) -> NotebookView {
        read_view(&self.doc)
    }
}

/// Reads an index document (current or historical fork) into a view.
pub fn read_view(doc: &impl ReadDoc) -> NotebookView {
    let mut p = Problems::default();
    let schema = get_str(doc, &ROOT, key::SCHEMA, "index", &mut p).unwrap_or_default();
    let newer_schema =
        schema_version(&schema, "stones/notebook").filter(|v| *v > crate::schema::SCHEMA_VERSION);
    if schema.is_empty() {
        p.note("index", "no schema tag");
    } else if schema != NOTEBOOK_SCHEMA && newer_schema.is_none() {
        p.note("index", format!("unexpected schema {schema:?}"));
    }
    let relay = get_map(doc, &ROOT, key::NETWORK, "index", &mut p)
        .and_then(|n| get_str(doc, &n, key::RELAY, "network", &mut p))
        .unwrap_or_default();
    let mut view = NotebookView {
        notebook_id: get_str(doc, &ROOT, key::NOTEBOOK_ID, "index", &mut p).unwrap_or_default(),
        title: get_text(doc, &ROOT, key::TITLE, "index", &mut p).unwrap_or_default(),
        purpose: get_text(doc, &ROOT, key::PURPOSE, "index", &mut p).unwrap_or_default(),
        schema,
        relay,
        newer_schema,
        ..NotebookView::default()
    };
    view.members = entries(doc, key::MEMBERS, &mut p, read_member);
    view.members.sort_by_key(|a| (a.joined_at, a.id));
    view.devices = entries(doc, key::DEVICES, &mut p, read_device);
    view.invites = entries(doc, key::INVITES, &mut p, read_invite);
    view.sessions = entries(doc, key::SESSIONS, &mut p, read_session);
    view.sessions.sort_by_key(|a| (a.date, a.created_at, a.id));
    view.questions = entries(doc, key::QUESTIONS, &mut p, read_question);
    view.questions.sort_by_key(|a| (a.created_at, a.id));
    view.learnings = entries(doc, key::LEARNINGS, &mut p, read_learning);
    view.learnings.sort_by_key(|a| (a.created_at, a.id));
    if let Some(m) = get_obj(doc, &ROOT, key::EXPORT_LEFT_OUT, automerge::ObjType::Map) {
        let count = |k: &str, p: &mut Problems| {
            usize::try_from(get_i64(doc, &m, k, "export_left_out", p).unwrap_or(0)).unwrap_or(0)
        };
        view.earlier_left_out = crate::export::LeftOut {
            turns: count(key::TURNS_KEY, &mut p),
            reflections: count(key::REFLECTIONS_KEY, &mut p),
            stories: count(key::STORIES_KEY, &mut p),
        };
    }
    view.problems = p;
    view.membership = crate::membership::of_doc(doc);
    view.apply_merges(&super::merged::merges(doc));
    view
}

/// Reads only who belongs: members, devices and invites (what sync decides access by). Much
/// cheaper than [`read_view`] on a notebook kept for years, whose index is mostly sessions,
/// questions and their trails; sessions, questions and learnings are left empty.
pub fn read_membership(doc: &impl ReadDoc) -> NotebookView {
    let mut p = Problems::default();
    let mut members = entries(doc, key::MEMBERS, &mut p, read_member);
    members.sort_by_key(|a| (a.joined_at, a.id));
    let devices = entries(doc, key::DEVICES, &mut p, read_device);
    let invites = entries(doc, key::INVITES, &mut p, read_invite);
    let mut view = NotebookView {
        members,
        devices,
        invites,
        problems: p,
        membership: crate::membership::of_doc(doc),
        ..NotebookView::default()
    };
    view.apply_merges(&super::merged::merges(doc));
    view
}

/// The learnings' titles alone, in no particular order: a cheap look at a large index (a
/// benchmark counting what arrived, say) without building its whole view.
pub fn learning_titles(doc: &impl ReadDoc) -> Vec<String> {
    let mut p = Problems::default();
    let Some(m) = get_map(doc, &ROOT, key::LEARNINGS, "index", &mut p) else {
        return Vec::new();
    };
    keys(doc, &m)
        .into_iter()
        .filter_map(|k| {
            let obj = get_obj(doc, &m, &k, automerge::ObjType::Map)?;
            get_str(doc, &obj, key::TITLE, "learning", &mut p)
        })
        .collect()
}

/// Reads each entry of a top-level map, skipping (and noting) the ones that don't fit.
fn entries<D: ReadDoc, T>(
    doc: &D,
    map: &str,
    p: &mut Problems,
    read: impl Fn(&D, &str, &ObjId, &str, &mut Problems) -> Option<T>,
) -> Vec<T> {
    let Some(m) = get_map(doc, &ROOT, map, "index", p) else {
        return Vec::new();
    };
    keys(doc, &m)
        .into_iter()
        .filter_map(|k| {
            let at = format!("{map}/{k}");
            match crate::am::get_obj(doc, &m, &k, automerge::ObjType::Map) {
                Some(obj) => read(doc, &k, &obj, &at, p),
                None => {
                    p.note(&at, "should be a map; skipped");
                    None
                }
            }
        })
        .collect()
}

fn parse_id<T>(
    s: Option<String>,
    parse: impl Fn(&str) -> crate::Result<T>,
    at: &str,
    what: &str,
    p: &mut Problems,
) -> Option<T> {
    let s = s?;
    match parse(&s) {
        Ok(v) => Some(v),
        Err(e) => {
            p.note(at, format!("{what}: {e}"));
            None
        }
    }
}

fn created_at(doc: &impl ReadDoc, obj: &ObjId, at: &str, p: &mut Problems) -> i64 {
    get_i64(doc, obj, key::CREATED_AT, at, p).unwrap_or(0)
}

fn by(doc: &impl ReadDoc, obj: &ObjId, at: &str, p: &mut Problems) -> Option<MemberId> {
    parse_id(
        get_str(doc, obj, key::BY, at, p),
        MemberId::from_hex,
        at,
        "by",
        p,
    )
}

fn read_member(
    doc: &impl ReadDoc,
    k: &str,
    obj: &ObjId,
    at: &str,
    p: &mut Problems,
) -> Option<MemberView> {
    let id = parse_id(Some(k.to_string()), MemberId::from_hex, at, "key", p)?;
    let Some(name) = get_str(doc, obj, key::NAME, at, p) else {
        p.note(at, "member without a name; skipped");
        return None;
    };
    Some(MemberView {
        id,
        name,
        sector: get_str(doc, obj, key::SECTOR, at, p).unwrap_or_default(),
        role: get_str(doc, obj, key::ROLE, at, p).unwrap_or_default(),
        joined_at: get_i64(doc, obj, key::JOINED_AT, at, p).unwrap_or(0),
        left_at: get_i64(doc, obj, key::LEFT_AT, at, p),
    })
}

fn read_device(
    doc: &impl ReadDoc,
    k: &str,
    obj: &ObjId,
    at: &str,
    p: &mut Problems,
) -> Option<DeviceView> {
    let id = parse_id(Some(k.to_string()), DeviceId::from_hex, at, "key", p)?;
    let member = parse_id(
        get_str(doc, obj, key::MEMBER, at, p),
        MemberId::from_hex,
        at,
        "member",
        p,
    );
    let Some(member) = member else {
        p.note(at, "device without a member; skipped");
        return None;
    };
    Some(DeviceView {
        id,
        member,
        label: get_str(doc, obj, key::LABEL, at, p).unwrap_or_default(),
        added_at: get_i64(doc, obj, key::ADDED_AT, at, p).unwrap_or(0),
        revoked_at: get_i64(doc, obj, key::REVOKED_AT, at, p),
    })
}

fn read_invite(
    doc: &impl ReadDoc,
    k: &str,
    obj: &ObjId,
    at: &str,
    p: &mut Problems,
) -> Option<InviteView> {
    let id = parse_id(Some(k.to_string()), EntryId::from_hex, at, "key", p)?;
    let redeemed: Vec<DeviceId> = get_obj(doc, obj, key::REDEEMED, automerge::ObjType::Map)
        .map(|m| {
            doc.keys(&m)
                .filter_map(|d| DeviceId::from_hex(&d).ok())
                .collect()
        })
        .unwrap_or_default();
    Some(InviteView {
        id,
        secret_hash: get_str(doc, obj, key::SECRET_HASH, at, p)?,
        created_by: parse_id(
            get_str(doc, obj, key::CREATED_BY, at, p),
            MemberId::from_hex,
            at,
            "created_by",
            p,
        ),
        expires_at: get_i64(doc, obj, key::EXPIRES_AT, at, p).unwrap_or(0),
        uses_left: get_i64(doc, obj, key::USES_LEFT, at, p).unwrap_or(0)
            - i64::try_from(redeemed.len()).unwrap_or(i64::MAX),
        redeemed_by: redeemed,
        for_member: parse_id(
            get_str(doc, obj, key::FOR_MEMBER, at, p),
            MemberId::from_hex,
            at,
            "for_member",
            p,
        ),
    })
}

fn read_session(
    doc: &impl ReadDoc,
    k: &str,
    obj: &ObjId,
    at: &str,
    p: &mut Problems,
) -> Option<SessionEntry> {
    let id = parse_id(Some(k.to_string()), EntryId::from_hex, at, "key", p)?;
    let doc_id = parse_id(
        get_str(doc, obj, key::DOC, at, p),
        DocId::from_hex,
        at,
        "doc",
        p,
    );
    let date = parse_id(
        get_str(doc, obj, key::DATE, at, p),
        |s| s.parse::<Date>(),
        at,
        "date",
        p,
    );
    let (Some(doc_id), Some(date)) = (doc_id, date) else {
        p.note(at, "session without a document id or date; skipped");
        return None;
    };
    let kind = parse_id(
        get_str(doc, obj, key::KIND, at, p),
        |s| s.parse::<SessionKind>(),
        at,
        "kind",
        p,
    );
    let attendance = read_attendance(doc, obj, at, p);
    Some(SessionEntry {
        id,
        doc: doc_id,
        date,
        kind: kind.unwrap_or(SessionKind::Other),
        title: get_str(doc, obj, key::TITLE, at, p).unwrap_or_default(),
        convener: parse_id(
            get_str(doc, obj, key::CONVENER, at, p),
            MemberId::from_hex,
            at,
            "convener",
            p,
        ),
        present: attendance
            .iter()
            .filter(|(_, v)| **v)
            .map(|(m, _)| *m)
            .collect(),
        absent: attendance
            .iter()
            .filter(|(_, v)| !**v)
            .map(|(m, _)| *m)
            .collect(),
        created_at: created_at(doc, obj, at, p),
    })
}

/// Who was marked present or absent, from every rival `present` map (two devices marking
/// the first attendance of an older session at once each create one); a member marked
/// present in any of them counts as present.
fn read_attendance(
    doc: &impl ReadDoc,
    obj: &ObjId,
    at: &str,
    p: &mut Problems,
) -> std::collections::BTreeMap<MemberId, bool> {
    let mut out = std::collections::BTreeMap::new();
    for m in crate::am::rival_maps(doc, obj, key::PRESENT) {
        for k in keys(doc, &m) {
            let eat = format!("{at}/present/{k}");
            let Some(member) = parse_id(Some(k.clone()), MemberId::from_hex, &eat, "key", p) else {
                continue;
            };
            let here = crate::am::get_bool(doc, &m, &k, &eat, p);
            *out.entry(member).or_insert(here) |= here;
        }
    }
    out
}

fn read_question(
    doc: &impl ReadDoc,
    k: &str,
    obj: &ObjId,
    at: &str,
    p: &mut Problems,
) -> Option<QuestionView> {
    let id = parse_id(Some(k.to_string()), EntryId::from_hex, at, "key", p)?;
    let status = parse_id(
        get_str(doc, obj, key::STATUS, at, p),
        |s| s.parse::<QuestionStatus>(),
        at,
        "status",
        p,
    );
    let mut trail: Vec<QuestionNoteView> = match get_map(doc, obj, key::TRAIL, at, p) {
        Some(t) => keys(doc, &t)
            .into_iter()
            .filter_map(|nk| {
                let nat = format!("{at}/trail/{nk}");
                let n = crate::am::get_obj(doc, &t, &nk, automerge::ObjType::Map)?;
                Some(QuestionNoteView {
                    id: parse_id(Some(nk.clone()), EntryId::from_hex, &nat, "key", p)?,
                    at: get_i64(doc, &n, key::AT, &nat, p).unwrap_or(0),
                    by: by(doc, &n, &nat, p),
                    session: parse_id(
                        get_str(doc, &n, key::SESSION, &nat, p),
                        EntryId::from_hex,
                        &nat,
                        "session",
                        p,
                    ),
                    status: parse_id(
                        get_str(doc, &n, key::STATUS, &nat, p),
                        |s| s.parse(),
                        &nat,
                        "status",
                        p,
                    ),
                    note: get_text(doc, &n, key::NOTE, &nat, p).unwrap_or_default(),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    trail.sort_by_key(|a| (a.at, a.id));
    Some(QuestionView {
        id,
        text: get_text(doc, obj, key::TEXT, at, p).unwrap_or_default(),
        raised_by: parse_id(
            get_str(doc, obj, key::RAISED_BY, at, p),
            MemberId::from_hex,
            at,
            "raised_by",
            p,
        ),
        raised_in: parse_id(
            get_str(doc, obj, key::RAISED_IN, at, p),
            EntryId::from_hex,
            at,
            "raised_in",
            p,
        ),
        status: status.unwrap_or(QuestionStatus::Open),
        created_at: created_at(doc, obj, at, p),
        trail,
    })
}

fn read_learning(
    doc: &impl ReadDoc,
    k: &str,
    obj: &ObjId,
    at: &str,
    p: &mut Problems,
) -> Option<LearningView> {
    let id = parse_id(Some(k.to_string()), EntryId::from_hex, at, "key", p)?;
    let from_sessions =
        match crate::am::get_obj(doc, obj, key::FROM_SESSIONS, automerge::ObjType::List) {
            Some(list) => (0..doc.length(&list))
                .filter_map(|i| match doc.get(&list, i) {
                    Ok(Some((v, _))) => v.as_str().and_then(|s| EntryId::from_hex(s).ok()),
                    _ => None,
                })
                .collect(),
            None => Vec::new(),
        };
    Some(LearningView {
        id,
        title: get_str(doc, obj, key::TITLE, at, p).unwrap_or_default(),
        body: get_text(doc, obj, key::BODY, at, p).unwrap_or_default(),
        from_sessions,
        by: by(doc, obj, at, p),
        created_at: created_at(doc, obj, at, p),
    })
}
