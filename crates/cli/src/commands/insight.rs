//! Reads that help a group use what it wrote: search, the story so far, and conflicts
//! (listed, and one value kept).

use super::{Env, open};
use anyhow::Result;
use stones_doc::conflicts::{FieldDoc, FieldId, place};

pub fn search(env: &Env, query: &str, limit: usize) -> Result<()> {
    let (engine, nb) = open(env)?;
    let found = engine.search(nb, query, limit)?;
    let view = engine.view(nb)?;
    for (session, why) in &found.skipped {
        eprintln!("skipped session {session}: {why}");
    }
    for h in &found.hits {
        let date = h.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        let who = match h.item.by {
            Some(m) => view.name_of(Some(m)),
            None => "-".into(),
        };
        println!(
            "{date}\t{}\t{}\t{who}\t{}",
            h.item.kind.as_str(),
            h.item.id,
            h.snippet
        );
    }
    if found.hits.is_empty() {
        eprintln!("nothing matches {query:?}");
    }
    Ok(())
}

pub fn digest(env: &Env, last: usize, export_scope: bool) -> Result<()> {
    let (engine, nb) = open(env)?;
    print!("{}", engine.digest(nb, last, export_scope)?);
    Ok(())
}

pub fn conflicts(env: &Env) -> Result<()> {
    let (engine, nb) = open(env)?;
    let found = engine.conflicts(nb)?;
    let view = engine.view(nb)?;
    for (session, why) in &found.skipped {
        eprintln!("skipped session {session}: {why}");
    }
    for (field, c) in &found.found {
        let session = match field.doc {
            FieldDoc::Session(s) => engine.session(nb, s).ok(),
            FieldDoc::Notebook => None,
        };
        let place = place(&view, field, session.as_deref());
        for (i, v) in c.values.iter().enumerate() {
            let who = match v.device.and_then(|d| view.member_of_device(d)) {
                Some(m) => view.name_of(Some(m)),
                None => "-".into(),
            };
            let shown = v.shown.replace(['\t', '\n'], " ");
            println!("{field}\t{}\t{shown}\t{who}\t{place}", i + 1);
        }
    }
    if found.found.is_empty() {
        eprintln!("no conflicts: every field holds one value");
    }
    Ok(())
}

pub fn pick(env: &Env, field: &str, n: usize) -> Result<()> {
    let field: FieldId = field.parse()?;
    let (engine, nb) = open(env)?;
    engine.pick_conflict(nb, &field, n)?;
    eprintln!("kept value {n} of {field}");
    Ok(())
}
