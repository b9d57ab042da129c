//! Reflection and story commands: add, write, correct, withdraw, retell.

use super::{Env, open};
use crate::args::{ReflectionCmd, StoryCmd};
use anyhow::Result;
use stones_doc::session::Withdrawable;
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

fn retelling_id(s: &SessionView, story: EntryId, given: &str) -> Result<EntryId> {
    crate::resolve::by_prefix(
        "retelling",
        given,
        s.stories
            .iter()
            .filter(|st| st.id == story)
            .flat_map(|st| st.retellings.iter())
            .map(|r| (r.id.to_hex(), r.id, r.angle.clone())),
    )
}

/// What a withdrawal tells the person who made it, honestly.
pub const WITHDRAWN: &str = "withdrawn: gone from the notebook, `show` and exports; the \
     history and devices that already synced it still hold it";

pub fn reflection(env: &Env, cmd: ReflectionCmd) -> Result<()> {
    let (engine, nb) = open(env)?;
    match cmd {
        ReflectionCmd::Add {
            session,
            title,
            text,
            scope,
        } => {
            let session = crate::resolve::session(&*engine.view(nb)?, &session)?;
            let scope: Scope = scope.parse()?;
            println!(
                "{}",
                engine.add_reflection(nb, session, &title, &text, scope)?
            );
        }
        ReflectionCmd::Write {
            session,
            reflection,
        } => {
            let session = crate::resolve::session(&*engine.view(nb)?, &session)?;
            let id = reflection_id(&*engine.session(nb, session)?, &reflection)?;
            super::typing::type_from_stdin(
                &engine,
                nb,
                Target::Session(session),
                TextField::Reflection(id),
            )?;
        }
        ReflectionCmd::Edit {
            session,
            reflection,
            title,
            scope,
        } => {
            let session = crate::resolve::session(&*engine.view(nb)?, &session)?;
            let id = reflection_id(&*engine.session(nb, session)?, &reflection)?;
            edit_entry(&engine, nb, session, id, title, scope)?;
        }
        ReflectionCmd::Withdraw {
            session,
            reflection,
            as_convener,
        } => {
            let session = crate::resolve::session(&*engine.view(nb)?, &session)?;
            let id = reflection_id(&*engine.session(nb, session)?, &reflection)?;
            engine.withdraw(nb, session, Withdrawable::Reflection(id), as_convener)?;
            eprintln!("{WITHDRAWN}");
        }
        ReflectionCmd::Append {
            session,
            reflection,
            text,
        } => {
            let session = crate::resolve::session(&*engine.view(nb)?, &session)?;
            let id = reflection_id(&*engine.session(nb, session)?, &reflection)?;
            engine.add_paragraph(
                nb,
                Target::Session(session),
                TextField::Reflection(id),
                &text,
            )?;
        }
    }
    Ok(())
}

pub fn story(env: &Env, cmd: StoryCmd) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    let teller = |given: &Option<String>| -> Result<stones_doc::MemberId> {
        match given {
            Some(t) => crate::resolve::member(&view, t),
            None => crate::resolve::me(&engine, nb, "--teller"),
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
            if text.trim().is_empty() {
                anyhow::bail!("a story must not be empty: give its --text");
            }
            let id = engine.add_story(nb, session, teller, &title, &text, scope)?;
            println!("{id}");
        }
        StoryCmd::Edit {
            session,
            story,
            title,
            scope,
        } => {
            let session = crate::resolve::session(&*engine.view(nb)?, &session)?;
            let id = story_id(&*engine.session(nb, session)?, &story)?;
            edit_entry(&engine, nb, session, id, title, scope)?;
        }
        StoryCmd::Withdraw {
            session,
            story,
            retelling,
            as_convener,
        } => {
            let session = crate::resolve::session(&view, &session)?;
            let sv = engine.session(nb, session)?;
            let story = story_id(&sv, &story)?;
            let entry = match retelling {
                Some(r) => Withdrawable::Retelling(story, retelling_id(&sv, story, &r)?),
                None => Withdrawable::Story(story),
            };
            engine.withdraw(nb, session, entry, as_convener)?;
            eprintln!("{WITHDRAWN}");
        }
        StoryCmd::Angle {
            session,
            story,
            retelling,
            angle,
        } => {
            let session = crate::resolve::session(&view, &session)?;
            let sv = engine.session(nb, session)?;
            let story = story_id(&sv, &story)?;
            let r = retelling_id(&sv, story, &retelling)?;
            engine.set_angle(nb, session, story, r, &angle)?;
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
            let story = story_id(&*engine.session(nb, session)?, &story)?;
            if text.trim().is_empty() {
                anyhow::bail!("a retelling must not be empty: give its --text");
            }
            let id = engine.add_retelling(nb, session, story, teller, &angle, &text)?;
            println!("{id}");
        }
    }
    Ok(())
}

/// Corrects a reflection's or story's title and scope (each only if given).
fn edit_entry(
    engine: &stones_sync::Engine,
    nb: stones_doc::NotebookId,
    session: stones_doc::EntryId,
    entry: stones_doc::EntryId,
    title: Option<String>,
    scope: Option<String>,
) -> Result<()> {
    let scope: Option<Scope> = scope.map(|s| s.parse()).transpose()?;
    if title.is_none() && scope.is_none() {
        anyhow::bail!("nothing to change: give --title or --scope");
    }
    if let Some(t) = title {
        engine.set_title(nb, session, entry, &t)?;
    }
    if let Some(s) = scope {
        engine.set_scope(nb, session, entry, s)?;
    }
    Ok(())
}
