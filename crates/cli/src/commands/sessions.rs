//! Session commands: new, list, notes, and the check-in round.

use super::{Env, open};
use crate::args::{CheckinArgs, SessionCmd};
use anyhow::Result;
use stones_doc::{Date, NewSession, Scope, SessionKind, TextField, TurnChoice};
use stones_store::Target;

pub fn session(env: &Env, cmd: SessionCmd) -> Result<()> {
    let (engine, nb) = open(env)?;
    match cmd {
        SessionCmd::New {
            date,
            kind,
            title,
            convener,
            question,
            trust,
        } => {
            let date: Date = date.parse()?;
            let kind: SessionKind = kind.parse()?;
            let view = engine.view(nb)?;
            let convener = convener
                .map(|c| crate::resolve::member(&view, &c))
                .transpose()?;
            let s = NewSession {
                date,
                kind,
                title,
                convener,
            };
            let question = match question {
                Some(q) => q.trim().to_string(),
                None => {
                    let trust = trust.map(|t| t.parse()).transpose()?;
                    match engine.suggest_question(nb, trust)? {
                        Some(q) => {
                            eprintln!(
                                "check-in question (suggested; change it with `stones checkin SESSION --question ...`): {q}"
                            );
                            q
                        }
                        None => String::new(),
                    }
                }
            };
            let id = engine.new_session(nb, &s, &question)?;
            let layout: Vec<&str> = stones_doc::template::sections(kind)
                .iter()
                .map(|s| s.heading())
                .collect();
            eprintln!("{kind} session: {}", layout.join(", "));
            println!("{id}");
        }
        SessionCmd::Edit {
            session,
            date,
            kind,
            title,
            convener,
        } => {
            let view = engine.view(nb)?;
            let id = crate::resolve::session(&view, &session)?;
            let Some(old) = view.session(id) else {
                anyhow::bail!("no session {session}");
            };
            if date.is_none() && kind.is_none() && title.is_none() && convener.is_none() {
                anyhow::bail!("nothing to change: give --date, --kind, --title or --convener");
            }
            let header = NewSession {
                date: date.map(|d| d.parse()).transpose()?.unwrap_or(old.date),
                kind: kind.map(|k| k.parse()).transpose()?.unwrap_or(old.kind),
                title: title.unwrap_or_else(|| old.title.clone()),
                convener: match convener.as_deref().map(str::trim) {
                    None => old.convener,
                    Some("") => None,
                    Some(c) => Some(crate::resolve::member(&view, c)?),
                },
            };
            engine.update_session(nb, id, &header)?;
        }
        SessionCmd::Present {
            session,
            names,
            absent,
        } => {
            let view = engine.view(nb)?;
            let id = crate::resolve::session(&view, &session)?;
            if names.is_empty() && absent.is_empty() {
                anyhow::bail!("name at least one member who was there (or --absent NAME)");
            }
            let members = |names: &[String]| -> Result<Vec<_>> {
                names
                    .iter()
                    .map(|n| crate::resolve::member(&view, n))
                    .collect()
            };
            let (here, away) = (members(&names)?, members(&absent)?);
            if !here.is_empty() {
                engine.set_attendance(nb, id, &here, true)?;
            }
            if !away.is_empty() {
                engine.set_attendance(nb, id, &away, false)?;
            }
        }
        SessionCmd::Notes { session, text } => {
            let id = crate::resolve::session(&*engine.view(nb)?, &session)?;
            engine.add_paragraph(nb, Target::Session(id), TextField::Notes, &text)?;
        }
    }
    Ok(())
}

pub fn list(env: &Env) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    super::say_skipped("the notebook's index", &view.problems);
    for s in &view.sessions {
        let convener = s
            .convener
            .map(|c| view.name_of(Some(c)))
            .unwrap_or_else(|| "-".into());
        println!(
            "{}\t{}\t{}\t{}\t{} present\t{convener}",
            s.id,
            s.date,
            s.kind,
            s.title,
            s.present.len()
        );
    }
    Ok(())
}

/// Whose turn: the member named with --member, else this device's member.
fn turn_member(
    engine: &stones_sync::Engine,
    nb: stones_doc::NotebookId,
    view: &stones_doc::NotebookView,
    given: Option<&str>,
) -> Result<stones_doc::MemberId> {
    match given {
        Some(m) => crate::resolve::member(view, m),
        None => crate::resolve::me(engine, nb, "--member"),
    }
}

pub fn checkin(env: &Env, a: CheckinArgs) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    let session = crate::resolve::session(&view, &a.session)?;
    let scope: Scope = a.scope.parse()?;
    if let Some(q) = &a.question {
        engine.set_checkin_question(nb, session, q)?;
    }
    if a.withdraw {
        let member = turn_member(&engine, nb, &view, a.member.as_deref())?;
        let turn = stones_doc::session::Withdrawable::Turn(member);
        engine.withdraw(nb, session, turn, a.as_convener)?;
        eprintln!("{}", super::entries::WITHDRAWN);
        return Ok(());
    }
    let choice = if a.off_the_record {
        TurnChoice::OffTheRecord
    } else if a.pass {
        TurnChoice::Passed
    } else if let Some(text) = a.text {
        TurnChoice::Spoke { text, scope }
    } else {
        return Ok(()); // only the question was set
    };
    let member = turn_member(&engine, nb, &view, a.member.as_deref())?;
    engine.record_turn(nb, session, member, &choice)?;
    if choice == TurnChoice::OffTheRecord {
        eprintln!("off the record: only that the turn was taken off the record is kept");
    }
    Ok(())
}

pub fn convener_next(env: &Env) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    match stones_doc::rotation::next_convener(&view) {
        Some((m, Some(last))) => println!("{}\tlast convened {last}", view.name_of(Some(m))),
        Some((m, None)) => println!("{}\tnever convened", view.name_of(Some(m))),
        None => anyhow::bail!("no active member to suggest"),
    }
    Ok(())
}

pub fn conveners(env: &Env) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    for c in stones_doc::rotation::conveners(&view) {
        let title = view
            .session(c.session)
            .map(|s| s.title.as_str())
            .unwrap_or("");
        println!(
            "{}\t{}\t{}\t{title}",
            c.date,
            view.name_of(Some(c.convener)),
            c.session
        );
    }
    Ok(())
}
