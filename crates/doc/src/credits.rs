//! Credits: who wrote the characters an undo puts back. Undo and redo restore text as new
//! operations of the device that pressed Ctrl+Z, so without more the words it puts back —
//! a colleague's sentence this device had deleted, say — would count in "written by" as
//! that device's. Each run of put-back characters whose writer was someone else is noted in
//! the document's `credits` map: the new run's first operation id (`counter@actor`, the
//! characters of one splice have consecutive counters) → its length and the original
//! writer's actor id. Reading who typed a character ([`Credits::writer`]) goes through it.
//! Kept out of the conflict listing: two devices that each made the map are both read.

use crate::error::Result;
use crate::schema::key;
use automerge::transaction::Transactable;
use automerge::{ActorId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use std::collections::BTreeMap;

/// The credits a document holds: per putting-back actor, runs by their first counter.
#[derive(Clone, Debug, Default)]
pub struct Credits {
    runs: BTreeMap<ActorId, BTreeMap<u64, (u64, ActorId)>>,
}

impl Credits {
    /// Every credit in `doc`.
    pub fn read(doc: &impl ReadDoc) -> Credits {
        let mut out = Credits::default();
        let maps = doc.get_all(ROOT, key::CREDITS).unwrap_or_default();
        for (v, map) in maps {
            if !matches!(v, Value::Object(ObjType::Map)) {
                continue;
            }
            for k in doc.keys(&map) {
                let Some((ctr, actor)) = parse_op(&k) else {
                    continue;
                };
                let value = match doc.get(&map, k.as_str()) {
                    Ok(Some((Value::Scalar(s), _))) => s.as_str().map(str::to_string),
                    _ => None,
                };
                let Some((len, writer)) = value.as_deref().and_then(parse_run) else {
                    continue;
                };
                out.runs
                    .entry(actor)
                    .or_default()
                    .insert(ctr, (len, writer));
            }
        }
        out
    }

    /// Whether nothing is credited (most documents).
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Who wrote the character the operation `ctr@actor` inserted: the credited writer for
    /// a put-back character, else `actor` itself.
    pub fn writer(&self, ctr: u64, actor: &ActorId) -> ActorId {
        self.runs
            .get(actor)
            .and_then(|runs| runs.range(..=ctr).next_back())
            .filter(|(start, (len, _))| ctr < *start + len)
            .map(|(_, (_, writer))| writer.clone())
            .unwrap_or_else(|| actor.clone())
    }
}

/// Notes that the `len` characters inserted from operation `first` (`counter@actor`) were
/// written by `writer`.
pub fn credit(
    doc: &mut impl Transactable,
    first: &str,
    len: usize,
    writer: &ActorId,
) -> Result<()> {
    let map = crate::am::ensure_map(doc, &ROOT, key::CREDITS)?;
    let value = format!("{len} {}", writer.to_hex_string());
    doc.put(&map, first, ScalarValue::Str(value.into()))?;
    Ok(())
}

/// `counter@actor` (an operation id, or a cursor's text) read back.
pub fn parse_op(text: &str) -> Option<(u64, ActorId)> {
    let (ctr, actor) = text.trim_start_matches('-').split_once('@')?;
    let actor = ActorId::from(hex::decode(actor).ok()?);
    Some((ctr.parse().ok()?, actor))
}

fn parse_run(text: &str) -> Option<(u64, ActorId)> {
    let (len, writer) = text.split_once(' ')?;
    Some((len.parse().ok()?, ActorId::from(hex::decode(writer).ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credited_run_names_its_writer_and_nothing_else() {
        let mut doc = automerge::AutoCommit::new();
        let (me, bea) = (doc.get_actor().clone(), ActorId::random());
        credit(&mut doc, &format!("10@{me}"), 3, &bea).unwrap();
        let c = Credits::read(&doc);
        assert_eq!(c.writer(9, &me), me);
        assert_eq!(c.writer(10, &me), bea);
        assert_eq!(c.writer(12, &me), bea);
        assert_eq!(c.writer(13, &me), me);
        assert_eq!(c.writer(11, &bea), bea);
    }
}
