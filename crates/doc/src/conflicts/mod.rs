//! Conflicts: every field of a document that holds concurrent values now — two devices set a
//! title, a status or a scope at once, or each created the same map or text — found by a
//! walk of the whole document, so the app and the CLI can show them side by side instead of
//! silently keeping the one automerge picked, and keep one ([`pick`]).
//!
//! A field is named by its path of map keys (and list positions) from the document's root,
//! which stays the same on every device. Values are numbered from 1, the one a plain read
//! returns (the winner) first.

mod field;
mod pick;

pub use field::{FieldDoc, FieldId, place};
pub use pick::pick;

use crate::error::Result;
use crate::ids::DeviceId;
use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value};

/// One of the values a field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictValue {
    /// The value as text (a text's content; a map or list described).
    pub shown: String,
    /// The device that set it, when the actor is one of ours.
    pub device: Option<DeviceId>,
    /// Set when the value is an object (a map, list or text) rather than a scalar.
    pub object: Option<ObjType>,
}

/// A field holding more than one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Map keys (and list positions) from the root to the field.
    pub path: Vec<String>,
    /// Every value it holds, the winner first.
    pub values: Vec<ConflictValue>,
}

fn show(doc: &impl ReadDoc, v: &Value<'_>, id: &ObjId) -> String {
    match v {
        Value::Scalar(s) => match s.as_ref() {
            automerge::ScalarValue::Str(s) => s.to_string(),
            other => other.to_string(),
        },
        Value::Object(ObjType::Text) => doc.text(id).unwrap_or_default(),
        Value::Object(ObjType::List) => format!("(a list of {})", doc.length(id)),
        Value::Object(_) => {
            let keys: Vec<String> = doc.keys(id).collect();
            format!("(a map of {}: {})", keys.len(), keys.join(", "))
        }
    }
}

fn device_of(id: &ObjId) -> Option<DeviceId> {
    match id {
        ObjId::Id(_, actor, _) => DeviceId::from_actor(actor),
        ObjId::Root => None,
    }
}

/// The ids of every value at `obj[prop]` (one unless it is conflicted), and each one's type.
fn raw_values(
    doc: &impl ReadDoc,
    obj: &ObjId,
    prop: automerge::Prop,
) -> Result<Vec<(Option<ObjType>, ObjId)>> {
    Ok(doc
        .get_all(obj, prop)?
        .into_iter()
        .map(|(v, id)| match v {
            Value::Object(t) => (Some(t), id),
            Value::Scalar(_) => (None, id),
        })
        .collect())
}

/// Every value at `obj[prop]` rendered, the winner first.
fn values_of(
    doc: &impl ReadDoc,
    obj: &ObjId,
    prop: automerge::Prop,
) -> Result<Vec<(ConflictValue, ObjId)>> {
    let winner = doc.get(obj, prop.clone())?.map(|(_, id)| id);
    let mut all: Vec<(ConflictValue, ObjId)> = doc
        .get_all(obj, prop)?
        .into_iter()
        .map(|(v, id)| {
            let object = match &v {
                Value::Object(t) => Some(*t),
                Value::Scalar(_) => None,
            };
            let shown = show(doc, &v, &id);
            (
                ConflictValue {
                    shown,
                    device: device_of(&id),
                    object,
                },
                id,
            )
        })
        .collect();
    if let Some(i) = all.iter().position(|(_, id)| Some(id) == winner.as_ref()) {
        let w = all.remove(i);
        all.insert(0, w);
    }
    Ok(all)
}

fn walk(doc: &impl ReadDoc, obj: &ObjId, path: &mut Vec<String>, out: &mut Vec<Conflict>) {
    let props: Vec<automerge::Prop> = match doc.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => doc.keys(obj).map(Into::into).collect(),
        Ok(ObjType::List) => (0..doc.length(obj)).map(Into::into).collect(),
        _ => return,
    };
    for prop in props {
        // Credits are bookkeeping, read from every copy of the map: never a conflict.
        if path.is_empty() && prop == automerge::Prop::Map(crate::schema::key::CREDITS.into()) {
            continue;
        }
        // Only conflicted values are rendered: most fields hold one, and reading every
        // text of four years to show none of them would cost seconds.
        let Ok(values) = raw_values(doc, obj, prop.clone()) else {
            continue;
        };
        path.push(prop.to_string());
        if values.len() > 1
            && let Ok(shown) = values_of(doc, obj, prop.clone())
        {
            out.push(Conflict {
                path: path.clone(),
                values: shown.into_iter().map(|(v, _)| v).collect(),
            });
        }
        // Descend into every rival object: a conflict inside a losing map is still one.
        for (t, id) in &values {
            if matches!(t, Some(ObjType::Map | ObjType::List | ObjType::Table)) {
                walk(doc, id, path, out);
            }
        }
        path.pop();
    }
}

/// Every field of the document holding concurrent values now, in the document's key order.
pub fn find(doc: &impl ReadDoc) -> Vec<Conflict> {
    let mut out = Vec::new();
    walk(doc, &ROOT, &mut Vec::new(), &mut out);
    out
}

/// Every value currently held for the field at `path` (map keys from the root), rendered as
/// text, winner first. One value means no conflict.
pub fn values_at(doc: &impl ReadDoc, path: &[&str]) -> Result<Vec<String>> {
    let Some((last, parents)) = path.split_last() else {
        return Ok(Vec::new());
    };
    let mut obj = ROOT;
    for k in parents {
        match crate::am::get_obj(doc, &obj, k, ObjType::Map) {
            Some(o) => obj = o,
            None => return Ok(Vec::new()),
        }
    }
    Ok(values_of(doc, &obj, (*last).into())?
        .into_iter()
        .map(|(v, _)| v.shown)
        .collect())
}

#[cfg(test)]
mod tests;
