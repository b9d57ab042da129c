//! Held questions and learnings.

use super::{Env, open};
use crate::args::{LearningCmd, QuestionCmd};
use anyhow::Result;
use stones_doc::QuestionStatus;

pub fn question(env: &Env, cmd: QuestionCmd) -> Result<()> {
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    let view = nb.view();
    let session = |s: &Option<String>| {
        s.as_deref()
            .map(|s| crate::resolve::session(&view, s))
            .transpose()
    };
    match cmd {
        QuestionCmd::Add { text, session: s } => {
            let s = session(&s)?;
            let id = nb.edit_index("raise question", |idx, ctx| {
                idx.add_question(&text, ctx.me, s, ctx.now_ms)
            })?;
            println!("{id}");
        }
        QuestionCmd::Note {
            question,
            text,
            session: s,
        } => {
            let q = crate::resolve::question(&view, &question)?;
            let s = session(&s)?;
            let id = nb.edit_index("question note", |idx, ctx| {
                idx.add_question_note(q, &text, ctx.me, s, None, ctx.now_ms)
            })?;
            println!("{id}");
        }
        QuestionCmd::Status {
            question,
            status,
            session: s,
        } => {
            let status: QuestionStatus = status.parse()?;
            let q = crate::resolve::question(&view, &question)?;
            let s = session(&s)?;
            nb.edit_index("question status", |idx, ctx| {
                idx.set_question_status(q, status, ctx.me, s, ctx.now_ms)
            })?;
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
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    let view = nb.view();
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
            let id = nb.edit_index("add learning", |idx, ctx| {
                idx.add_learning(&title, &text, &from, ctx.me, ctx.now_ms)
            })?;
            println!("{id}");
        }
    }
    Ok(())
}
