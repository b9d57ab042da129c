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
            println!("{}", engine.new_session(nb, &s, question.trim())?);
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
    for s in &engine.view(nb)?.sessions {
        println!("{}\t{}\t{}\t{}", s.id, s.date, s.kind, s.title);
    }
    Ok(())
}

pub fn checkin(env: &Env, a: CheckinArgs) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    let session = crate::resolve::session(&view, &a.session)?;
    let scope: Scope = a.scope.parse()?;
    if let Some(q) = &a.question {
        engine.set_checkin_question(nb, session, q)?;
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
    let member = match &a.member {
        Some(m) => crate::resolve::member(&view, m)?,
        None => crate::resolve::me(&engine, nb, "--member")?,
    };
    if !engine.record_turn(nb, session, member, &choice)? {
        eprintln!("off the record: nothing was written");
    }
    Ok(())
}
