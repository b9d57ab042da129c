//! Reflection and story commands.

use super::{Env, open};
use crate::args::{ReflectionCmd, StoryCmd};
use anyhow::{Result, bail};
use stones_doc::{EntryId, Scope, SessionView, TextField};
use stones_store::Target;

fn reflection_id(s: &SessionView, given: &str) -> Result<EntryId> {
    crate::resolve::by_prefix(
        "reflection",
        given,
        s.reflections
            .iter()
            .map(|r| (r.id.to_hex(), r.id, r.title.clone())),
    )
}

fn story_id(s: &SessionView, given: &str) -> Result<EntryId> {
    crate::resolve::by_prefix(
        "story",
        given,
        s.stories
            .iter()
            .map(|r| (r.id.to_hex(), r.id, r.title.clone())),
    )
}

pub fn reflection(env: &Env, cmd: ReflectionCmd) -> Result<()> {
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    match cmd {
        ReflectionCmd::Add {
            session,
            title,
            text,
            scope,
        } => {
            let session = crate::resolve::session(&nb.view(), &session)?;
            let scope: Scope = scope.parse()?;
            let id = nb.edit_session(session, "add reflection", |s, ctx| {
                s.add_reflection(&title, &text, scope, ctx.me, ctx.now_ms)
            })?;
            println!("{id}");
        }
        ReflectionCmd::Write {
            session,
            reflection,
        } => {
            let session = crate::resolve::session(&nb.view(), &session)?;
            let id = reflection_id(&*nb.session(session)?, &reflection)?;
            super::typing::type_from_stdin(
                &mut nb,
                Target::Session(session),
                TextField::Reflection(id),
            )?;
        }
        ReflectionCmd::Append {
            session,
            reflection,
            text,
        } => {
            if text.is_empty() {
                bail!("nothing to append: --text is empty");
            }
            let session = crate::resolve::session(&nb.view(), &session)?;
            let view = nb.session(session)?;
            let id = reflection_id(&view, &reflection)?;
            let body = view
                .reflections
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.body.clone())
                .unwrap_or_default();
            let sep = if body.is_empty() || body.ends_with('\n') {
                ""
            } else {
                "\n\n"
            };
            nb.append_text(
                Target::Session(session),
                TextField::Reflection(id),
                &format!("{sep}{text}"),
            )?;
            nb.commit_pending()?;
        }
    }
    Ok(())
}

pub fn story(env: &Env, cmd: StoryCmd) -> Result<()> {
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    let view = nb.view();
    let teller = |given: &Option<String>| -> Result<stones_doc::MemberId> {
        match given {
            Some(t) => crate::resolve::member(&view, t),
            None => nb.me().ok_or_else(|| {
                anyhow::anyhow!("this device belongs to no member: name one with --teller")
            }),
        }
    };
    match cmd {
        StoryCmd::Add {
            session,
            title,
            text,
            teller: t,
            scope,
        } => {
            let teller = teller(&t)?;
            let session = crate::resolve::session(&view, &session)?;
            let scope: Scope = scope.parse()?;
            let id = nb.edit_session(session, "tell story", |s, ctx| {
                s.add_story(teller, &title, &text, scope, ctx.me, ctx.now_ms)
            })?;
            println!("{id}");
        }
        StoryCmd::Retell {
            session,
            story,
            angle,
            text,
            teller: t,
        } => {
            let teller = teller(&t)?;
            let session = crate::resolve::session(&view, &session)?;
            let story = story_id(&*nb.session(session)?, &story)?;
            let id = nb.edit_session(session, "retell story", |s, ctx| {
                s.add_retelling(story, teller, &angle, &text, ctx.me, ctx.now_ms)
            })?;
            println!("{id}");
        }
    }
    Ok(())
}
