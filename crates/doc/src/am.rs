//! Thin typed access to automerge values: read a string, number, map or text field and
//! report (not panic) when the stored shape differs; write text objects by code point and
//! whole values (titles, questions, turns) as single values.

use crate::error::{DocError, Result};
use crate::problems::Problems;
use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value};

/// Reads a scalar string field. A missing field is `None`; a wrong type is noted.
pub fn get_str(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
    at: &str,
    p: &mut Problems,
) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Str(v) => Some(v.to_string()),
            ScalarValue::Null => None,
            other => {
                p.note(at, format!("{key} should be a string, found {other}"));
                None
            }
        },
        Ok(Some((Value::Object(t), _))) => {
            p.note(at, format!("{key} should be a string, found a {t}"));
            None
        }
        Ok(None) => None,
        Err(e) => {
            p.note(at, format!("{key}: {e}"));
            None
        }
    }
}

/// Reads an integer field (int, uint or timestamp).
pub fn get_i64(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
    at: &str,
    p: &mut Problems,
) -> Option<i64> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Int(v) | ScalarValue::Timestamp(v) => Some(*v),
            ScalarValue::Uint(v) => i64::try_from(*v).ok(),
            ScalarValue::Null => None,
            other => {
                p.note(at, format!("{key} should be a number, found {other}"));
                None
            }
        },
        Ok(Some((Value::Object(t), _))) => {
            p.note(at, format!("{key} should be a number, found a {t}"));
            None
        }
        Ok(None) => None,
        Err(e) => {
            p.note(at, format!("{key}: {e}"));
            None
        }
    }
}

/// Reads a boolean field; missing is `false`.
pub fn get_bool(doc: &impl ReadDoc, obj: &ObjId, key: &str, at: &str, p: &mut Problems) -> bool {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Boolean(b) => *b,
            ScalarValue::Null => false,
            other => {
                p.note(at, format!("{key} should be true or false, found {other}"));
                false
            }
        },
        Ok(Some((Value::Object(t), _))) => {
            p.note(at, format!("{key} should be true or false, found a {t}"));
            false
        }
        _ => false,
    }
}

/// Finds a child object of the given type.
pub fn get_obj(doc: &impl ReadDoc, obj: &ObjId, key: &str, want: ObjType) -> Option<ObjId> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(t), id))) if t == want => Some(id),
        _ => None,
    }
}

/// Every map held under `key`, the rival ones included: two devices that each create a
/// missing map at once both succeed, and reading only automerge's winner would hide what the
/// other wrote into its own.
pub fn rival_maps(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Vec<ObjId> {
    doc.get_all(obj, key)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(v, id)| matches!(v, Value::Object(ObjType::Map)).then_some(id))
        .collect()
}

/// Finds a child map, noting a problem when something else is stored there.
pub fn get_map(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
    at: &str,
    p: &mut Problems,
) -> Option<ObjId> {
    let found = get_obj(doc, obj, key, ObjType::Map);
    if found.is_none() && doc.get(obj, key).ok().flatten().is_some() {
        p.note(at, format!("{key} should be a map"));
    }
    found
}

/// Reads a text field. A plain string is accepted too (older or foreign writers).
pub fn get_text(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
    at: &str,
    p: &mut Problems,
) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::Text), id))) => match doc.text(&id) {
            Ok(t) => Some(t),
            Err(e) => {
                p.note(at, format!("{key}: {e}"));
                None
            }
        },
        Ok(Some(_)) => get_str(doc, obj, key, at, p),
        _ => None,
    }
}

/// The keys of a map object, in automerge's (sorted) order.
pub fn keys(doc: &impl ReadDoc, obj: &ObjId) -> Vec<String> {
    doc.keys(obj).collect()
}

/// Creates a text object under `key` holding `initial`.
pub fn put_text(
    doc: &mut impl Transactable,
    obj: &ObjId,
    key: &str,
    initial: &str,
) -> Result<ObjId> {
    crate::limits::check_text_len(initial.chars().count())?;
    let text = doc.put_object(obj, key, ObjType::Text)?;
    if !initial.is_empty() {
        doc.splice_text(&text, 0, 0, initial)?;
    }
    Ok(text)
}

/// Returns the map under `key`, creating it if it is missing.
pub fn ensure_map(doc: &mut impl Transactable, obj: &ObjId, key: &str) -> Result<ObjId> {
    match get_obj(doc, obj, key, ObjType::Map) {
        Some(id) => Ok(id),
        None => Ok(doc.put_object(obj, key, ObjType::Map)?),
    }
}

/// Splices a text object by Unicode code point, refusing positions past the end.
pub fn splice(
    doc: &mut impl Transactable,
    text: &ObjId,
    pos: usize,
    del: usize,
    insert: &str,
) -> Result<()> {
    let len = doc.length(text);
    if pos.checked_add(del).is_none_or(|end| end > len) {
        return Err(DocError::OutOfRange { pos, del, len });
    }
    let grows_to = len - del + insert.chars().count();
    if grows_to > len {
        crate::limits::check_text_len(grows_to)?;
    }
    let del = isize::try_from(del).map_err(|_| DocError::OutOfRange { pos, del, len })?;
    doc.splice_text(text, pos, del, insert)?;
    Ok(())
}

/// Sets a field a person sets as a whole (a title, a question, a recorded turn): one scalar
/// string, a register. Two concurrent sets keep both values as an automerge conflict (shown
/// side by side, one kept by a person); they never mix character by character, as a
/// character diff of two replacements would. A text object left by an older version under
/// `key` is replaced whole, like any value.
pub fn put_whole(doc: &mut impl Transactable, obj: &ObjId, key: &str, value: &str) -> Result<()> {
    crate::limits::check_text_len(value.chars().count())?;
    doc.put(obj, key, value)?;
    Ok(())
}

/// Puts a scalar unless the field already holds exactly it (and only it): a correction that
/// writes only what changed never puts one device's old value back over another's
/// concurrent change, nor makes a conflict of two equal values.
pub fn put_if_changed(
    doc: &mut impl Transactable,
    obj: &ObjId,
    key: &str,
    value: impl Into<ScalarValue>,
) -> Result<()> {
    let value = value.into();
    let all = doc.get_all(obj, key)?;
    let same = matches!(all.as_slice(), [(Value::Scalar(v), _)] if v.as_ref() == &value);
    if !same {
        doc.put(obj, key, value)?;
    }
    Ok(())
}

/// Puts the common `created_at` and `by` fields of every entry.
pub fn put_stamp(
    doc: &mut impl Transactable,
    obj: &ObjId,
    now_ms: i64,
    by: Option<&str>,
) -> Result<()> {
    doc.put(
        obj,
        crate::schema::key::CREATED_AT,
        ScalarValue::Timestamp(now_ms),
    )?;
    if let Some(by) = by {
        doc.put(obj, crate::schema::key::BY, by)?;
    }
    Ok(())
}
