//! Acts in the index document: the `acts` map, one entry per act (a random key; the entry's
//! own op id is the act's identity), each with its `kind`, the ids it concerns and `seen`,
//! the acts its writer had seen then (their frontier, space-separated). Reading is tolerant:
//! an entry that does not parse is not an act (and counts for nothing), and an act's fields
//! are read only as its own author wrote them.

use super::{Act, ActKind};
use crate::error::Result;
use crate::ids::{DeviceId, EntryId, MemberId};
use crate::schema::key;
use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value};
use std::collections::BTreeSet;

/// Every act the index holds (concurrent entries under one key are each an act).
pub fn read_acts(doc: &impl ReadDoc) -> Vec<Act> {
    // Two devices that each made the map (a notebook from before acts) made two: read both.
    let maps: Vec<ObjId> = doc
        .get_all(&ROOT, key::ACTS)
        .unwrap_or_default()
        .into_iter()
        .filter(|(v, _)| matches!(v, Value::Object(ObjType::Map)))
        .map(|(_, id)| id)
        .collect();
    // The device(s) that wrote the notebook's id: only they can found it.
    let creators: BTreeSet<Vec<u8>> = doc
        .get_all(&ROOT, key::NOTEBOOK_ID)
        .unwrap_or_default()
        .iter()
        .filter_map(|(_, id)| actor_of(id))
        .collect();
    let mut out = Vec::new();
    for map in &maps {
        read_map(doc, map, &creators, &mut out);
    }
    out
}

fn read_map(doc: &impl ReadDoc, map: &ObjId, creators: &BTreeSet<Vec<u8>>, out: &mut Vec<Act>) {
    for k in doc.keys(map) {
        for (value, obj) in doc.get_all(map, k.as_str()).unwrap_or_default() {
            if !matches!(value, Value::Object(ObjType::Map)) {
                continue;
            }
            let Some(kind) = read_kind(doc, &obj) else {
                continue;
            };
            let actor = actor_of(&obj);
            out.push(Act {
                id: obj.to_string(),
                author: actor
                    .as_ref()
                    .and_then(|a| a.get(..32))
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .map(DeviceId),
                by_creator: actor.is_some_and(|a| creators.contains(&a)),
                kind,
                at_ms: text(doc, &obj, key::AT).and_then(|t| t.parse().ok()),
                seen: text(doc, &obj, key::SEEN)
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            });
        }
    }
}

/// Records an act at `now_ms`, having seen every act the document holds now; returns its
/// id.
pub(crate) fn record_act(
    doc: &mut impl Transactable,
    kind: &ActKind,
    now_ms: i64,
) -> Result<String> {
    let acts = read_acts(doc);
    let seen_by_others: BTreeSet<&str> = acts
        .iter()
        .flat_map(|a| a.seen.iter().map(String::as_str))
        .collect();
    let frontier: Vec<&str> = acts
        .iter()
        .map(|a| a.id.as_str())
        .filter(|id| !seen_by_others.contains(id))
        .collect();
    let map = crate::am::ensure_map(doc, &ROOT, key::ACTS)?;
    let obj = doc.put_object(&map, EntryId::random().to_hex(), ObjType::Map)?;
    doc.put(&obj, key::KIND, kind.word())?;
    let (member, device, invite) = ids_of(kind);
    if let Some(m) = member {
        doc.put(&obj, key::MEMBER, m.to_hex())?;
    }
    if let Some(d) = device {
        doc.put(&obj, key::DEVICE, d.to_hex())?;
    }
    if let Some(i) = invite {
        doc.put(&obj, key::INVITE, i.to_hex())?;
    }
    if let ActKind::Invite {
        uses, expires_at, ..
    } = kind
    {
        if let Some(u) = uses {
            doc.put(&obj, key::USES, u.to_string())?;
        }
        if let Some(e) = expires_at {
            doc.put(&obj, key::EXPIRES_AT, e.to_string())?;
        }
    }
    doc.put(&obj, key::AT, now_ms.to_string())?;
    doc.put(&obj, key::SEEN, frontier.join(" "))?;
    Ok(obj.to_string())
}

fn ids_of(kind: &ActKind) -> (Option<MemberId>, Option<DeviceId>, Option<EntryId>) {
    match *kind {
        ActKind::Found { member, device } => (Some(member), Some(device), None),
        ActKind::AddMember { member, invite } => (Some(member), None, invite),
        ActKind::AddDevice {
            device,
            member,
            invite,
        } => (Some(member), Some(device), invite),
        ActKind::Invite { invite, .. } | ActKind::CancelInvite { invite } => {
            (None, None, Some(invite))
        }
        ActKind::Redeem { invite, device } => (None, Some(device), Some(invite)),
        ActKind::RemoveMember { member }
        | ActKind::ReadmitMember { member }
        | ActKind::MakeHost { member }
        | ActKind::UnmakeHost { member } => (Some(member), None, None),
    }
}

fn read_kind(doc: &impl ReadDoc, obj: &ObjId) -> Option<ActKind> {
    let member = || MemberId::from_hex(&text(doc, obj, key::MEMBER)?).ok();
    fn number<T: std::str::FromStr>(doc: &impl ReadDoc, obj: &ObjId, k: &str) -> Option<T> {
        text(doc, obj, k)?.parse().ok()
    }
    let device = || DeviceId::from_hex(&text(doc, obj, key::DEVICE)?).ok();
    let invite_opt = || -> Option<Option<EntryId>> {
        match text(doc, obj, key::INVITE) {
            None => Some(None),
            Some(t) => EntryId::from_hex(&t).ok().map(Some),
        }
    };
    Some(match text(doc, obj, key::KIND)?.as_str() {
        "found" => ActKind::Found {
            member: member()?,
            device: device()?,
        },
        "add-member" => ActKind::AddMember {
            member: member()?,
            invite: invite_opt()?,
        },
        "add-device" => ActKind::AddDevice {
            device: device()?,
            member: member()?,
            invite: invite_opt()?,
        },
        "invite" => ActKind::Invite {
            invite: invite_opt()??,
            uses: number(doc, obj, key::USES),
            expires_at: number(doc, obj, key::EXPIRES_AT),
        },
        "cancel-invite" => ActKind::CancelInvite {
            invite: invite_opt()??,
        },
        "make-host" => ActKind::MakeHost { member: member()? },
        "unmake-host" => ActKind::UnmakeHost { member: member()? },
        "redeem" => ActKind::Redeem {
            invite: invite_opt()??,
            device: device()?,
        },
        "remove-member" => ActKind::RemoveMember { member: member()? },
        "readmit-member" => ActKind::ReadmitMember { member: member()? },
        _ => return None,
    })
}

/// A string value at `key`, as the act's own author wrote it: a value anyone else put there
/// (to make a removal look as if it had seen their act, say) is not part of the act.
fn text(doc: &impl ReadDoc, obj: &ObjId, k: &str) -> Option<String> {
    let author = actor_of(obj)?;
    doc.get_all(obj, k)
        .ok()?
        .into_iter()
        .filter(|(_, id)| actor_of(id).as_ref() == Some(&author))
        .max_by_key(|(_, id)| counter_of(id))
        .and_then(|(v, _)| match v {
            Value::Scalar(s) => s.as_str().map(str::to_string),
            Value::Object(_) => None,
        })
}

fn counter_of(id: &ObjId) -> u64 {
    match id {
        ObjId::Id(c, _, _) => *c,
        ObjId::Root => 0,
    }
}

/// The actor bytes of an op id.
fn actor_of(id: &ObjId) -> Option<Vec<u8>> {
    match id {
        ObjId::Id(_, actor, _) => Some(actor.to_bytes().to_vec()),
        ObjId::Root => None,
    }
}
