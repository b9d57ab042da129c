//! Notebook-wide commands: init, notebooks, members, status, id, show, history.

use super::{Env, open};
use crate::args::{InviteCmd, MemberCmd};
use anyhow::{Context, Result, bail};
use stones_doc::{Date, MemberStatus, render};
use stones_store::{NewMember, Target, local_time};

pub fn init(
    env: &Env,
    title: &str,
    name: &str,
    sector: &str,
    role: &str,
    purpose: &str,
) -> Result<()> {
    if title.trim().is_empty() {
        bail!("the notebook's title must not be empty");
    }
    if name.trim().is_empty() {
        bail!("your name must not be empty");
    }
    let engine = env.engine_or_create("create")?;
    let founder = NewMember {
        name: name.into(),
        sector: sector.into(),
        role: role.into(),
    };
    println!("{}", engine.create_notebook(title, purpose, &founder)?);
    Ok(())
}

pub fn notebooks(env: &Env) -> Result<()> {
    for (id, title) in env.engine()?.notebooks() {
        println!("{id}\t{title}");
    }
    Ok(())
}

pub fn members(env: &Env) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    let me = engine.me(nb)?;
    super::say_skipped("the notebook's index", &view.problems);
    for m in &view.members {
        let status = view.status_of(m, me);
        let why = match status {
            MemberStatus::NotAdmitted => view
                .membership
                .not_admitted(m.id)
                .map(|w| format!("\t{w}"))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let host = match status {
            MemberStatus::You | MemberStatus::Member if view.membership.is_host(m.id) => "\thost",
            _ => "",
        };
        println!(
            "{}\t{}\t{}\t{}\t{status}{why}{host}",
            m.id, m.name, m.sector, m.role
        );
    }
    Ok(())
}

pub fn member(env: &Env, cmd: MemberCmd) -> Result<()> {
    let (engine, nb) = open(env)?;
    match cmd {
        MemberCmd::Add { name, sector, role } => {
            let m = NewMember { name, sector, role };
            println!("{}", engine.add_member(nb, &m)?);
        }
        MemberCmd::Remove { member } => {
            let view = engine.view(nb)?;
            let id = crate::resolve::member(&view, &member)?;
            let closed = engine.remove_member(nb, id)?;
            eprintln!(
                "removed {}: once the removal reaches a device, it sends them nothing more (nor \
                 to anyone they admit); they keep what they already had",
                view.name_of(Some(id))
            );
            if closed > 0 {
                eprintln!(
                    "{closed} open invite(s) closed with the removal: make new ones \
                     (`stones invite`) for anyone still to join"
                );
            }
        }
        MemberCmd::Edit {
            member,
            name,
            sector,
            role,
        } => {
            let view = engine.view(nb)?;
            let id = crate::resolve::member(&view, &member)?;
            if name.is_none() && sector.is_none() && role.is_none() {
                anyhow::bail!("nothing to change: give --name, --sector or --role");
            }
            engine.update_member(nb, id, name.as_deref(), sector.as_deref(), role.as_deref())?;
        }
        MemberCmd::Merge { member, into } => {
            let view = engine.view(nb)?;
            let (from, to) = (
                crate::resolve::member(&view, &member)?,
                crate::resolve::member(&view, &into)?,
            );
            engine.merge_members(nb, from, to)?;
            eprintln!(
                "merged: what was recorded under the other entry now counts for {}",
                view.name_of(Some(to))
            );
        }
        MemberCmd::Host { member, off } => {
            let view = engine.view(nb)?;
            let id = crate::resolve::member(&view, &member)?;
            engine.set_host(nb, id, !off)?;
            let name = view.name_of(Some(id));
            match off {
                false => eprintln!("{name} is a host"),
                true => eprintln!("{name} is no longer a host"),
            }
        }
        MemberCmd::Readmit { member } => {
            let view = engine.view(nb)?;
            let id = crate::resolve::member(&view, &member)?;
            engine.readmit_member(nb, id)?;
            eprintln!("re-admitted {}", view.name_of(Some(id)));
        }
    }
    Ok(())
}

pub fn invites(env: &Env, cmd: InviteCmd) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    let all = engine.invites(nb)?;
    match cmd {
        InviteCmd::List => {
            for i in &all {
                let uses = match i.uses {
                    Some(u) => format!("{}/{u} used", i.used),
                    None => format!("{} used", i.used),
                };
                let until = Date::from_unix_ms(i.expires_at);
                println!(
                    "{}\t{}\t{}\t{uses}\tuntil {until}\t{}",
                    i.id,
                    view.name_of(i.maker),
                    i.for_member
                        .map(|m| format!("for {}", view.name_of(Some(m))))
                        .unwrap_or_else(|| "for anyone".into()),
                    i.state.words()
                );
            }
        }
        InviteCmd::Cancel { invite } => {
            let ids = all.iter().map(|i| {
                let label = format!("made by {}, {}", view.name_of(i.maker), i.state.words());
                (i.id.to_hex(), i.id, label)
            });
            let id = crate::resolve::by_prefix("invite", &invite, ids)?;
            engine.cancel_invite(nb, id)?;
            eprintln!("cancelled: nobody joins with that invite any more");
        }
    }
    Ok(())
}

pub fn status(env: &Env) -> Result<()> {
    let engine = env.engine()?;
    let store = engine.store();
    for line in store.summary()?.lines() {
        println!("{line}");
    }
    // Membership changes that do not count (a removed member's, a stranger's): never
    // dropped without a word.
    for (nb, _) in engine.notebooks() {
        let void = engine.view(nb)?.membership.void.len();
        println!("refused_membership_changes\t{nb}\t{void}");
        // Index changes refused at the door: unsigned, or signed by another key.
        let index = engine.read(nb, |n| Ok(n.index_doc()))?;
        let refused = store.db().refused_changes(index)?.len();
        println!("refused_unsigned_changes\t{nb}\t{refused}");
    }
    for line in stones_sync::node::status_lines::network_lines(&store)? {
        println!("{line}");
    }
    Ok(())
}

pub fn id(env: &Env) -> Result<()> {
    let store = env.store()?;
    println!("{}", store.device());
    Ok(())
}

pub fn show(env: &Env, session: Option<&str>, as_of: Option<&str>) -> Result<()> {
    let (engine, nb) = open(env)?;
    let view = engine.view(nb)?;
    let out = match session {
        None => {
            if as_of.is_some() {
                bail!("--as-of needs a session");
            }
            super::say_skipped("the notebook's index", &view.problems);
            render::notebook_markdown(&view)
        }
        Some(s) => {
            let id = crate::resolve::session(&view, s)?;
            let entry = view.session(id).context("session vanished")?.clone();
            let s = match as_of {
                Some(day) => {
                    let d: Date = day.parse()?;
                    engine.session_as_of(nb, id, local_time::end_of_day_ms(d))?
                }
                None => (*engine.session(nb, id)?).clone(),
            };
            super::say_skipped("the notebook's index", &view.problems);
            super::say_skipped(&format!("session {id}"), &s.problems);
            render::session_markdown(&view, &entry, &s)
        }
    };
    print!("{out}");
    Ok(())
}

pub fn history(env: &Env, session: Option<&str>) -> Result<()> {
    let (engine, nb) = open(env)?;
    let target = match session {
        Some(s) => Target::Session(crate::resolve::session(&*engine.view(nb)?, s)?),
        None => Target::Index,
    };
    for h in engine.history(nb, target)? {
        let when = local_time::date_of_ms(h.time_ms);
        println!("{when}\t{}\t{}\t{}", h.time_ms, h.who, h.message);
    }
    Ok(())
}
