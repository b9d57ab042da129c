//! Keeping one value of a conflicted field. A scalar is put again (a put overwrites every
//! value it has seen, so once the pick has synced the field holds one value everywhere); a
//! text is written anew with the chosen content; rival maps are merged into one new map —
//! the chosen map's entries first, every entry only a rival holds kept beside them — so
//! nothing either device wrote is hidden.

use super::values_of;
use crate::error::{DocError, Result};
use automerge::hydrate::{MapValue, Value as Hydrated};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, Prop, ROOT, ReadDoc, Value};

/// The object holding the field at `path`, and the field's key or position in it.
fn resolve(doc: &AutoCommit, path: &[String]) -> Result<(ObjId, Prop)> {
    let unknown = || DocError::Invalid(format!("no field {}", path.join("/")));
    let (last, parents) = path.split_last().ok_or_else(unknown)?;
    let mut obj = ROOT;
    let prop_in = |obj: &ObjId, k: &str| -> Result<Prop> {
        match doc.object_type(obj) {
            Ok(ObjType::List) => k.parse::<usize>().map(Prop::from).map_err(|_| unknown()),
            _ => Ok(Prop::from(k)),
        }
    };
    for k in parents {
        match doc.get(&obj, prop_in(&obj, k)?)? {
            Some((Value::Object(_), id)) => obj = id,
            _ => return Err(unknown()),
        }
    }
    let prop = prop_in(&obj, last)?;
    Ok((obj, prop))
}

/// Merges rival maps: `into` keeps its entries; an entry only `other` holds is added; where
/// both hold a map under one key, those are merged the same way.
fn merge_maps(into: &mut automerge::hydrate::Map, other: automerge::hydrate::Map) {
    for (k, v) in other.iter() {
        match (into.get_mut(k), &v.value) {
            (None, _) => {
                into.insert(
                    k.clone(),
                    MapValue {
                        value: v.value.clone(),
                        conflict: false,
                    },
                );
            }
            (Some(Hydrated::Map(mine)), Hydrated::Map(theirs)) => {
                merge_maps(mine, theirs.clone());
            }
            (Some(_), _) => {}
        }
    }
}

/// Keeps value `n` (1 = the first listed by [`super::find`]) of the field at `path`.
pub fn pick(doc: &mut AutoCommit, path: &[String], n: usize) -> Result<()> {
    let (obj, prop) = resolve(doc, path)?;
    let values = values_of(doc, &obj, prop.clone())?;
    let field = path.join("/");
    if values.len() < 2 {
        return Err(DocError::Invalid(format!(
            "field {field} holds one value now: there is nothing to pick"
        )));
    }
    if n == 0 || n > values.len() {
        return Err(DocError::Invalid(format!(
            "field {field} holds {} values: pick one of 1 to {}",
            values.len(),
            values.len()
        )));
    }
    let chosen = values[n - 1].1.clone();
    match values[n - 1].0.object {
        None => {
            let scalar = doc
                .get_all(&obj, prop.clone())?
                .into_iter()
                .find(|(_, id)| *id == chosen)
                .and_then(|(v, _)| match v {
                    Value::Scalar(s) => Some(s.into_owned()),
                    Value::Object(_) => None,
                })
                .ok_or_else(|| DocError::Shape(format!("value {n} of {field} changed")))?;
            doc.put(&obj, prop, scalar)?;
        }
        Some(ObjType::Text) if super::field::set_whole(path) => {
            // A field set as a whole that an older version kept as a text: kept as one value.
            let text = doc.text(&chosen)?;
            let Prop::Map(key) = &prop else {
                return Err(DocError::Shape(format!("{field} is not a map field")));
            };
            crate::am::put_whole(doc, &obj, key, &text)?;
        }
        Some(ObjType::Text) => {
            let text = doc.text(&chosen)?;
            let new = doc.put_object(&obj, prop, ObjType::Text)?;
            doc.splice_text(&new, 0, 0, &text)?;
        }
        Some(ObjType::Map | ObjType::Table) => {
            let mut merged = match doc.hydrate(&chosen, None)? {
                Hydrated::Map(m) => m,
                _ => {
                    return Err(DocError::Shape(format!(
                        "value {n} of {field} is not a map"
                    )));
                }
            };
            for (_, rival) in values.iter().filter(|(_, id)| *id != chosen) {
                if let Hydrated::Map(m) = doc.hydrate(rival, None)? {
                    merge_maps(&mut merged, m);
                }
            }
            doc.batch_create_object(&obj, prop, &Hydrated::Map(merged), false)?;
        }
        Some(ObjType::List) => {
            let list = doc.hydrate(&chosen, None)?;
            doc.batch_create_object(&obj, prop, &list, false)?;
        }
    }
    Ok(())
}
