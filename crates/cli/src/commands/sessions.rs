//! Session commands: new, list, notes, and the check-in round.

use super::{Env, open};
use crate::args::{CheckinArgs, SessionCmd};
use anyhow::{Result, bail};
use stones_doc::{Date, NewSession, Scope, SessionKind, TextField, TurnChoice};
use stones_store::Target;

pub fn session(env: &Env, cmd: SessionCmd) -> Result<()> {
    let store = env.store()?;
    let mut nb = open(env, &store)?;
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
            let view = nb.view();
            let convener = convener
                .map(|c| crate::resolve::member(&view, &c))
                .transpose()?;
            let s = NewSession {
                date,
                kind,
                title,
                convener,
            };
            println!("{}", nb.new_session(&s, question.trim())?);
        }
        SessionCmd::Notes { session, text } => {
            if text.is_empty() {
                bail!("nothing to add: --text is empty");
            }
            let id = crate::resolve::session(&nb.view(), &session)?;
            let notes = nb.session(id)?.notes.clone();
            let sep = if notes.is_empty() || notes.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            nb.append_text(
                Target::Session(id),
                TextField::Notes,
                &format!("{sep}{text}"),
            )?;
            nb.commit_pending()?;
        }
    }
    Ok(())
}

pub fn list(env: &Env) -> Result<()> {
    let store = env.store()?;
    let nb = open(env, &store)?;
    for s in &nb.view().sessions {
        println!("{}\t{}\t{}\t{}", s.id, s.date, s.kind, s.title);
    }
    Ok(())
}

pub fn checkin(env: &Env, a: CheckinArgs) -> Result<()> {
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    let view = nb.view();
    let session = crate::resolve::session(&view, &a.session)?;
    let scope: Scope = a.scope.parse()?;
    if let Some(q) = &a.question {
        nb.edit_session(session, "check-in question", |s, _| {
            s.set_checkin_question(q.trim())
        })?;
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
        None => match nb.me() {
            Some(me) => me,
            None => {
                bail!("this device belongs to no member of the notebook: name one with --member")
            }
        },
    };
    if choice == TurnChoice::OffTheRecord {
        eprintln!("off the record: nothing was written");
        return Ok(());
    }
    nb.edit_session(session, "check-in", |s, ctx| {
        s.record_turn(member, &choice, ctx.me, ctx.now_ms)
    })?;
    Ok(())
}
