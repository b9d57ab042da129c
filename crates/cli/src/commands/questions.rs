//! Held questions and learnings.

use super::{Env, open};
use crate::args::{LearningCmd, QuestionCmd};
use anyhow::Result;
use stones_doc::QuestionStatus;

pub fn question(env: &Env, cmd: QuestionCmd) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    let session = |s: &Option<String>| {
        s.as_deref()
            .map(|s| crate::resolve::session(&view, s))
            .transpose()
    };
    match cmd {
        QuestionCmd::Add { text, session: s } => {
            println!("{}", engine.add_question(nb, &text, session(&s)?)?);
        }
        QuestionCmd::Note {
            question,
            text,
            session: s,
        } => {
            let q = crate::resolve::question(&view, &question)?;
            println!("{}", engine.add_question_note(nb, q, &text, session(&s)?)?);
        }
        QuestionCmd::Status {
            question,
            status,
            session: s,
        } => {
            let status: QuestionStatus = status.parse()?;
            let q = crate::resolve::question(&view, &question)?;
            engine.set_question_status(nb, q, status, session(&s)?)?;
        }
        QuestionCmd::Withdraw {
            question,
            as_convener,
        } => {
            let q = crate::resolve::question(&view, &question)?;
            engine.withdraw_question(nb, q, as_convener)?;
            eprintln!("{}", super::entries::WITHDRAWN);
        }
        QuestionCmd::List => {
            for q in &view.questions {
                println!(
                    "{}\t{}\t{}",
                    q.id,
                    q.status,
                    q.text.replace(['\n', '\t'], " ")
                );
            }
        }
    }
    Ok(())
}

pub fn learning(env: &Env, cmd: LearningCmd) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    match cmd {
        LearningCmd::Add {
            title,
            text,
            session,
        } => {
            let from = session
                .iter()
                .map(|s| crate::resolve::session(&view, s))
                .collect::<Result<Vec<_>>>()?;
            println!("{}", engine.add_learning(nb, &title, &text, &from)?);
        }
        LearningCmd::Edit {
            learning,
            title,
            session,
        } => {
            let id = crate::resolve::by_prefix(
                "learning",
                &learning,
                view.learnings
                    .iter()
                    .map(|l| (l.id.to_hex(), l.id, l.title.clone())),
            )?;
            let from = session
                .iter()
                .map(|s| crate::resolve::session(&view, s))
                .collect::<Result<Vec<_>>>()?;
            if title.is_none() && from.is_empty() {
                anyhow::bail!("nothing to change: give --title or --session");
            }
            let from = (!from.is_empty()).then_some(from.as_slice());
            engine.update_learning(nb, id, title.as_deref(), from)?;
        }
    }
    Ok(())
}
