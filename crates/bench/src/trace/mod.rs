//! `stones-bench trace FILE`: an editing trace (josephg/editing-traces format: startContent,
//! endContent, txns of [pos, del, insert] patches) replayed through the reflection editing
//! path (journal per edit, commit policy on the trace's own clock) and through raw automerge
//! `splice_text` with one change per edit; both final texts must equal `endContent`.
//! Concurrent traces (`"kind": "concurrent"`) go to [`concurrent`].

pub mod concurrent;

use anyhow::{Context, Result, bail};
use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc};
use std::path::Path;
use std::time::Instant;
use stones_doc::{Date, EntryId, NewSession, Scope, SessionKind, TextField};
use stones_store::{NewMember, Notebook, Store, Target};

/// One edit of the trace.
struct Patch {
    at_ms: u64,
    pos: usize,
    del: usize,
    insert: String,
}

/// What a replay found.
pub struct TraceReport {
    pub edits: usize,
    pub ours_ms: f64,
    pub raw_ms: f64,
    pub changes: usize,
    pub end_chars: usize,
}

/// Replays `file` with the store in `scratch`.
pub fn replay(file: &Path, scratch: &Path) -> Result<TraceReport> {
    let (start, end, patches) = read_trace(file)?;
    if !start.is_empty() {
        bail!(
            "{}: traces with a start content are not supported",
            file.display()
        );
    }
    let store = std::sync::Arc::new(Store::open_or_create(scratch)?);
    let (mut nb, session, reflection) = notebook_with_reflection(&store, "Writer")?;
    let (target, field) = (Target::Session(session), TextField::Reflection(reflection));
    let started = Instant::now();
    for p in &patches {
        nb.tick(p.at_ms)?;
        nb.type_text(target, field, p.pos, p.del, &p.insert, p.at_ms)?;
    }
    nb.commit_pending()?;
    let ours_ms = started.elapsed().as_secs_f64() * 1000.0;
    let ours_text = nb
        .session(session)?
        .reflections
        .first()
        .map(|r| r.body.clone());
    if ours_text.as_deref() != Some(end.as_str()) {
        bail!("the reflection path's final text differs from endContent");
    }
    let changes = nb.am_of(target)?.clone().get_changes(&[]).len();

    let mut raw = stones_doc::new_doc();
    let text = raw.put_object(ROOT, "text", ObjType::Text)?;
    raw.commit();
    let started = Instant::now();
    for p in &patches {
        raw.splice_text(&text, p.pos, p.del as isize, &p.insert)?;
        raw.commit();
    }
    let raw_ms = started.elapsed().as_secs_f64() * 1000.0;
    if raw.text(&text)? != end {
        bail!("raw automerge's final text differs from endContent");
    }
    Ok(TraceReport {
        edits: patches.len(),
        ours_ms,
        raw_ms,
        changes,
        end_chars: end.chars().count(),
    })
}

/// A new notebook founded by `writer` on `store`, with one session holding one empty
/// reflection (its session and reflection ids): where a trace is typed.
pub fn notebook_with_reflection(
    store: &std::sync::Arc<Store>,
    writer: &str,
) -> Result<(Notebook, EntryId, EntryId)> {
    let mut nb = Notebook::create(
        store,
        "Trace",
        "",
        &NewMember {
            name: writer.into(),
            ..NewMember::default()
        },
    )?;
    let session = nb.new_session(
        &NewSession {
            date: Date::new(2026, 11, 26)?,
            kind: SessionKind::Weekly,
            title: "Trace".into(),
            convener: None,
        },
        "",
    )?;
    let reflection = nb.edit_session(session, "reflection", |d, ctx| {
        d.add_reflection("Trace", "", Scope::Export, ctx.me, ctx.now_ms)
    })?;
    Ok((nb, session, reflection))
}

/// A trace file as JSON (gzipped when its name ends in `.gz`).
pub fn read_json(file: &Path) -> Result<serde_json::Value> {
    let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    if file.extension().is_some_and(|e| e == "gz") {
        serde_json::from_reader(std::io::BufReader::new(flate2::read::GzDecoder::new(f)))
    } else {
        serde_json::from_reader(std::io::BufReader::new(f))
    }
    .with_context(|| format!("{}: not an editing trace (JSON)", file.display()))
}

/// Whether a trace is concurrent (several agents, transactions with parents).
pub fn is_concurrent(v: &serde_json::Value) -> bool {
    v["kind"].as_str() == Some("concurrent")
}

fn read_trace(file: &Path) -> Result<(String, String, Vec<Patch>)> {
    let v = read_json(file)?;
    let text = |k: &str| {
        v[k].as_str()
            .map(str::to_string)
            .with_context(|| format!("{}: no {k}", file.display()))
    };
    let mut patches = Vec::new();
    let txns = v["txns"].as_array().context("no txns")?;
    for (i, t) in txns.iter().enumerate() {
        let at_ms = t["time"].as_str().map(iso_ms).unwrap_or(i as u64);
        for p in t["patches"].as_array().context("txn without patches")? {
            let bad = || format!("{}: txn {i}: bad patch {p}", file.display());
            patches.push(Patch {
                at_ms,
                pos: p[0].as_u64().with_context(bad)? as usize,
                del: p[1].as_u64().with_context(bad)? as usize,
                insert: p[2].as_str().with_context(bad)?.to_string(),
            });
        }
    }
    Ok((text("startContent")?, text("endContent")?, patches))
}

/// Milliseconds of an ISO time "2021-04-19T06:06:58.219Z" (since 2000; only differences
/// matter to the commit policy).
fn iso_ms(s: &str) -> u64 {
    let n = |a: usize, b: usize| s.get(a..b).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    let (y, mo, d) = (n(0, 4), n(5, 7), n(8, 10));
    let days = (y.saturating_sub(2000)) * 366 + mo * 31 + d;
    ((days * 24 + n(11, 13)) * 60 + n(14, 16)) * 60_000 + n(17, 19) * 1000 + n(20, 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_order_and_differ_in_ms() {
        let a = iso_ms("2021-04-19T06:06:58.219Z");
        assert_eq!(iso_ms("2021-04-19T06:06:59.219Z") - a, 1000);
        assert_eq!(iso_ms("2021-04-19T06:07:58.219Z") - a, 60_000);
        assert!(iso_ms("2021-04-20T00:00:00.000Z") > a);
    }

    #[test]
    fn a_small_trace_replays_to_its_end_content() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("t.json");
        let trace = r#"{"startContent":"","endContent":"héllo wörld","txns":[
            {"time":"2021-04-19T06:06:58.219Z","patches":[[0,0,"h"]]},
            {"time":"2021-04-19T06:06:58.319Z","patches":[[1,0,"éllo"]]},
            {"time":"2021-04-19T06:07:08.319Z","patches":[[5,0," wxrld"]]},
            {"time":"2021-04-19T06:07:09.319Z","patches":[[7,1,"ö"]]}]}"#;
        std::fs::write(&file, trace).unwrap_or_else(|e| panic!("{e}"));
        let r = replay(&file, &dir.path().join("home")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.edits, r.end_chars), (4, 11));
        // A pause of 10 s split the typing into two commits at most, plus setup changes.
        assert!(r.changes < 8, "{} changes", r.changes);
    }
}
