//! `stones voices`: whose voices fill the sessions, as tab-separated lines (and, with
//! `--chart`, bars a terminal can show).

use super::{Env, open};
use crate::resolve::day;
use anyhow::Result;
use stones_doc::voices::{Counts, Voices, Window};

/// Width of the longest bar in the chart, in characters.
const BAR_WIDTH: u32 = 40;

fn percent(part: u32, total: u32) -> String {
    if total == 0 {
        return "0%".into();
    }
    format!("{:.0}%", f64::from(part) * 100.0 / f64::from(total))
}

fn row(what: &str, name: &str, sector: &str, c: &Counts, total: u32) -> String {
    let sector = if sector.is_empty() { "-" } else { sector };
    format!(
        "{what}\t{name}\t{sector}\t{}\t{}\t{}\t{}\t{}\t{}",
        c.sessions_present,
        c.turns,
        c.passes,
        c.turn_words,
        c.written_words,
        percent(c.words(), total)
    )
}

fn bars(title: &str, rows: &[(String, u32)]) {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let label = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    println!("\n{title}");
    for (name, words) in rows {
        let n = (words * BAR_WIDTH).div_ceil(max) as usize;
        println!("  {name:<label$}  {} {words}", "█".repeat(n));
    }
}

fn chart(v: &Voices) {
    let members: Vec<(String, u32)> = v
        .members
        .iter()
        .map(|m| (m.name.clone(), m.counts.words()))
        .collect();
    bars("Words per member (turns and writing)", &members);
    let sectors: Vec<(String, u32)> = v
        .sectors
        .iter()
        .map(|s| (sector_name(&s.sector), s.counts.words()))
        .collect();
    bars("Words per sector", &sectors);
}

fn sector_name(s: &str) -> String {
    if s.is_empty() {
        "(no sector)".into()
    } else {
        s.to_string()
    }
}

pub fn voices(
    env: &Env,
    last: Option<usize>,
    from: Option<&str>,
    to: Option<&str>,
    with_chart: bool,
) -> Result<()> {
    let window = Window {
        last,
        from: day("--from", from)?,
        to: day("--to", to)?,
    };
    let (engine, nb) = open(env)?;
    let report = engine.voices(nb, &window)?;
    for (session, why) in &report.skipped {
        eprintln!("skipped session {session}: {why}");
    }
    let v = &report.voices;
    match v.span {
        Some((a, b)) => eprintln!("{} sessions, {a} to {b}", v.sessions),
        None => eprintln!("no sessions in that window"),
    }
    if v.missing > 0 {
        eprintln!(
            "{} of them are not on this device (yet) or could not be read: not counted",
            v.missing
        );
    }
    let total: u32 = v.members.iter().map(|m| m.counts.words()).sum();
    println!(
        "#\tname\tsector or members\tpresent\tturns\tpasses\tturn words\twritten words\tshare"
    );
    for m in &v.members {
        println!("{}", row("member", &m.name, &m.sector, &m.counts, total));
    }
    for s in &v.sectors {
        let members = format!("{} members", s.members);
        println!(
            "{}",
            row(
                "sector",
                &sector_name(&s.sector),
                &members,
                &s.counts,
                total
            )
        );
    }
    if v.unattributed_words > 0 {
        eprintln!(
            "{} written words came from outside the group's devices and are not counted",
            v.unattributed_words
        );
    }
    if with_chart {
        chart(v);
    }
    Ok(())
}
