//! Reads that help a group use what it wrote: search and the story so far.

use super::{Env, open};
use anyhow::Result;

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
