//! `stones check` (every document and chunk of the store read, nothing written, the damaged
//! ones named) and `stones rescue --to DIR` (everything readable copied into a fresh store).
//! Both work on a store the engine cannot open, so they go to `stones_store::rescue`
//! directly, not through the engine.

use super::Env;
use anyhow::{Result, bail};
use std::path::Path;
use stones_store::rescue::{Report, Source};

pub fn check(env: &Env) -> Result<()> {
    let report = stones_store::rescue::check(&env.home)?;
    print_report(&report);
    if report.is_sound() {
        println!("sound: every document and chunk reads");
        return Ok(());
    }
    bail!(
        "{} is damaged; `stones rescue --to NEW-FOLDER` copies what can be read into a fresh store",
        report.file.display()
    )
}

pub fn rescue(env: &Env, to: &Path) -> Result<()> {
    let done = stones_store::rescue::rescue(&env.home, to)?;
    print_report(&done.report);
    for nb in &done.notebooks {
        println!(
            "rescued notebook {:?} ({}): its index and {} sessions",
            nb.title, nb.id, nb.sessions
        );
        for s in &nb.not_rescued {
            println!("  not rescued: {s} (a sync with the group brings it back)");
        }
    }
    for path in &done.unplaced {
        println!(
            "kept as a file (no notebook index could be read to take it): {}",
            path.display()
        );
    }
    println!(
        "the new home is {}; {} is left as it was. Use --home {} from now on.",
        to.display(),
        env.home.display(),
        to.display()
    );
    Ok(())
}

fn print_report(report: &Report) {
    match &report.source {
        Source::Tables => println!("{}: opens", report.file.display()),
        Source::Repaired => println!(
            "{}: was not closed cleanly (a program was stopped while it wrote); the next command repairs it, as this check did on a copy",
            report.file.display()
        ),
        Source::Pages(why) => println!(
            "{}: does not open ({why}); read page by page instead",
            report.file.display()
        ),
    }
    let readable = report.docs.iter().filter(|d| d.readable).count();
    println!(
        "{} documents found, {readable} readable, {} damaged",
        report.docs.len(),
        report.damaged().count()
    );
    for d in report.damaged() {
        println!("damaged: {} (document {})", d.what, d.doc);
        for (seq, why) in &d.damaged {
            if *seq == 0 {
                println!("  {why}");
            } else {
                println!("  chunk {seq}: {why}");
            }
        }
    }
}
