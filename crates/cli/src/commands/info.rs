//! Notebook-wide commands: init, notebooks, members, status, id, show, history.

use super::{Env, open};
use crate::args::MemberCmd;
use anyhow::{Context, Result, bail};
use stones_doc::{Date, render};
use stones_store::{NewMember, Notebook, Store, Target};

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
    let store = Store::open_or_create(&env.home)
        .map(std::sync::Arc::new)
        .with_context(|| format!("cannot create a store in {}", env.home.display()))?;
    let founder = NewMember {
        name: name.into(),
        sector: sector.into(),
        role: role.into(),
    };
    let nb = Notebook::create(&store, title, purpose, &founder)?;
    println!("{}", nb.id());
    Ok(())
}

pub fn notebooks(env: &Env) -> Result<()> {
    let store = env.store()?;
    for (id, title) in Notebook::list(&store)? {
        println!("{id}\t{title}");
    }
    Ok(())
}

pub fn members(env: &Env) -> Result<()> {
    let store = env.store()?;
    let nb = open(env, &store)?;
    let view = nb.view();
    let me = nb.me();
    for m in &view.members {
        let status = match (m.left_at, Some(m.id) == me) {
            (Some(_), _) => "left",
            (None, true) => "you",
            (None, false) => "member",
        };
        println!("{}\t{}\t{}\t{}\t{status}", m.id, m.name, m.sector, m.role);
    }
    Ok(())
}

pub fn member(env: &Env, cmd: MemberCmd) -> Result<()> {
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    match cmd {
        MemberCmd::Add { name, sector, role } => {
            let id = nb.edit_index("add member", |idx, ctx| {
                idx.add_member(&name, &sector, &role, ctx.me, ctx.now_ms)
            })?;
            println!("{id}");
        }
        MemberCmd::Remove { member } => {
            let view = nb.view();
            let id = crate::resolve::member(&view, &member)?;
            if Some(id) == nb.me() {
                bail!("you cannot remove yourself; ask another member to remove you");
            }
            let name = view.name_of(Some(id));
            nb.edit_index("remove member", |idx, ctx| {
                idx.remove_member(id, ctx.now_ms)
            })?;
            eprintln!(
                "removed {name}: their devices are refused from now on and disconnected as the \
                 removal reaches each device; they keep what they already had"
            );
        }
    }
    Ok(())
}

pub fn status(env: &Env) -> Result<()> {
    let store = env.store()?;
    let docs = store.db().docs()?;
    let journal: usize = stones_store::journal::journal_slots(store.home())?
        .iter()
        .map(|s| {
            stones_store::journal::uncovered(store.db(), store.home(), *s)
                .map(|j| j.len())
                .unwrap_or(0)
        })
        .sum();
    let size = std::fs::metadata(store.home().join(stones_store::home::STORE_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("home\t{}", store.home().display());
    println!("device\t{}", store.device());
    println!("notebooks\t{}", Notebook::list(&store)?.len());
    println!("documents\t{}", docs.len());
    println!("store_bytes\t{size}");
    println!("commits\t{}", store.db().commit_count()?);
    println!("journal_entries\t{journal}");
    println!("recovered_edits\t{}", store.recovered_edits());
    super::net::status_lines(env, &store)?;
    Ok(())
}

pub fn id(env: &Env) -> Result<()> {
    let store = env.store()?;
    println!("{}", store.device());
    Ok(())
}

pub fn show(env: &Env, session: Option<&str>, as_of: Option<&str>) -> Result<()> {
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    let view = nb.view();
    let out = match session {
        None => {
            if as_of.is_some() {
                bail!("--as-of needs a session");
            }
            render::notebook_markdown(&view)
        }
        Some(s) => {
            let id = crate::resolve::session(&view, s)?;
            let entry = view.session(id).context("session vanished")?.clone();
            let s = match as_of {
                Some(day) => {
                    let d: Date = day.parse()?;
                    let end_of_day = days_from_civil(d) * 86_400_000 + 86_399_999;
                    nb.session_as_of(id, end_of_day)?
                }
                None => (*nb.session(id)?).clone(),
            };
            render::session_markdown(&view, &entry, &s)
        }
    };
    print!("{out}");
    Ok(())
}

pub fn history(env: &Env, session: Option<&str>) -> Result<()> {
    let store = env.store()?;
    let mut nb = open(env, &store)?;
    let target = match session {
        Some(s) => Target::Session(crate::resolve::session(&nb.view(), s)?),
        None => Target::Index,
    };
    for h in nb.history(target)? {
        let when = Date::from_unix_ms(h.time_ms);
        println!("{when}\t{}\t{}\t{}", h.time_ms, h.who, h.message);
    }
    Ok(())
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(d: Date) -> i64 {
    let (y, m, day) = (i64::from(d.year), i64::from(d.month), i64::from(d.day));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
