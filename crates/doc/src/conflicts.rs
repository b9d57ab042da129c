//! Conflicts: every concurrent value of a scalar field, so the app can show them side by side
//! instead of silently keeping the one automerge picked.

use crate::error::Result;
use automerge::{ObjType, ROOT, ReadDoc, Value};

/// Every value currently held for the scalar at `path` (map keys from the root), rendered as
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
    let mut all: Vec<String> = doc
        .get_all(&obj, *last)?
        .into_iter()
        .map(|(v, _)| match v {
            Value::Scalar(s) => match s.as_ref() {
                automerge::ScalarValue::Str(s) => s.to_string(),
                other => other.to_string(),
            },
            Value::Object(t) => format!("({t})"),
        })
        .collect();
    // Show the value a plain read returns (the winner) first.
    if let Some((Value::Scalar(w), _)) = doc.get(&obj, *last)? {
        let winner = match w.as_ref() {
            automerge::ScalarValue::Str(s) => s.to_string(),
            other => other.to_string(),
        };
        if let Some(i) = all.iter().position(|v| *v == winner) {
            let w = all.remove(i);
            all.insert(0, w);
        }
    }
    Ok(all)
}
