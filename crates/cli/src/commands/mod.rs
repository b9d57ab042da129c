//! Dispatch: opens the home and notebook each command needs, then runs it.

mod entries;
mod export;
mod import;
mod info;
mod insight;
mod net;
mod questions;
mod rescue;
mod sessions;
mod typing;
mod voices;

use crate::args::{Cli, Command};
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::sync::Arc;
use stones_doc::NotebookId;
use stones_store::Store;
use stones_sync::Engine;

/// What every command works with.
pub struct Env {
    pub home: PathBuf,
    pub notebook: Option<String>,
    pub net: Option<String>,
    pub relay: Option<String>,
}

impl Env {
    /// Opens the existing store of the home (for the few reads the engine has no call for).
    pub fn store(&self) -> Result<Arc<Store>> {
        let store = Store::open(&self.home)
            .map(Arc::new)
            .with_context(|| format!("cannot open the store in {}", self.home.display()))?;
        say_tightened(&store);
        Ok(store)
    }

    /// Opens the engine on the existing home, network off: every edit and read goes
    /// through it, as in the app.
    pub fn engine(&self) -> Result<Engine> {
        let engine = Engine::open(&self.home)
            .with_context(|| format!("cannot open the store in {}", self.home.display()))?;
        say_tightened(&engine.store());
        Ok(engine)
    }

    /// Opens the engine on the home, creating the home and its store on a first run.
    pub fn engine_or_create(&self, doing: &str) -> Result<Engine> {
        let engine = Engine::open_or_create(&self.home)
            .with_context(|| format!("cannot {doing} a store in {}", self.home.display()))?;
        say_tightened(&engine.store());
        Ok(engine)
    }
}

/// Says on stderr what in the home other users could read before this run made it private.
pub fn say_tightened(store: &Store) {
    for t in store.tightened() {
        eprintln!("note: {t}");
    }
}

/// Says on stderr what a reader skipped because it did not fit the schema (a newer
/// version's writing, or a faulty or hostile device's): shown what it can, dropped nothing
/// without a word.
pub fn say_skipped(what: &str, problems: &stones_doc::Problems) {
    const SHOWN: usize = 5;
    let all = &problems.0;
    if all.is_empty() {
        return;
    }
    eprintln!(
        "note: {} part(s) of {what} did not fit and were skipped (the rest is shown; the \
         document keeps them):",
        all.len()
    );
    for p in all.iter().take(SHOWN) {
        eprintln!("  {p}");
    }
    if all.len() > SHOWN {
        eprintln!("  … and {} more", all.len() - SHOWN);
    }
}

/// Opens the engine and picks the notebook the command names (or the only one).
pub fn open(env: &Env) -> Result<(Engine, NotebookId)> {
    let engine = env.engine()?;
    let id = crate::resolve::notebook(env.notebook.as_deref(), &engine.notebooks())?;
    Ok((engine, id))
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let env = Env {
        home: cli.home.unwrap_or_else(stones_store::home::default_home),
        notebook: cli.notebook,
        net: cli.net,
        relay: cli.relay,
    };
    match cli.command {
        Command::Init {
            title,
            name,
            sector,
            role,
            purpose,
        } => info::init(&env, &title, &name, &sector, &role, &purpose),
        Command::Notebooks => info::notebooks(&env),
        Command::Members => info::members(&env),
        Command::Member(cmd) => info::member(&env, cmd),
        Command::Status => info::status(&env),
        Command::Id => info::id(&env),
        Command::Search { query, limit } => insight::search(&env, &query.join(" "), limit),
        Command::Conflicts { pick: None } => insight::conflicts(&env),
        Command::Conflicts {
            pick: Some(crate::args::ConflictsCmd::Pick { field, n }),
        } => insight::pick(&env, &field, n),
        Command::Digest { last, export_scope } => insight::digest(&env, last, export_scope),
        Command::Voices {
            last,
            from,
            to,
            chart,
        } => voices::voices(&env, last, from.as_deref(), to.as_deref(), chart),
        Command::Show { session, as_of } => info::show(&env, session.as_deref(), as_of.as_deref()),
        Command::History { session } => info::history(&env, session.as_deref()),
        Command::Session(cmd) => sessions::session(&env, cmd),
        Command::Sessions => sessions::list(&env),
        Command::Convener(crate::args::ConvenerCmd::Next) => sessions::convener_next(&env),
        Command::Conveners => sessions::conveners(&env),
        Command::Checkin(a) => sessions::checkin(&env, a),
        Command::Reflection(cmd) => entries::reflection(&env, cmd),
        Command::Story(cmd) => entries::story(&env, cmd),
        Command::Question(cmd) => questions::question(&env, cmd),
        Command::Learning(cmd) => questions::learning(&env, cmd),
        Command::Export(a) => export::export(&env, &a),
        Command::Import { path } => import::import(&env, &path),
        Command::Check => rescue::check(&env),
        Command::Rescue { to } => rescue::rescue(&env, &to),
        Command::Invite {
            action: Some(action),
            ..
        } => info::invites(&env, action),
        Command::Invite {
            action: None,
            uses,
            expires,
            for_member,
        } => net::invite(&env, uses, &expires, for_member.as_deref()),
        Command::Join {
            ticket,
            name,
            as_member,
            sector,
            timeout,
        } => {
            let who = net::joiner(name, as_member, &sector);
            net::join(&env, ticket.as_deref(), who, timeout)
        }
        Command::Serve => net::serve(&env),
        Command::Sync { peer, timeout } => net::sync(&env, &peer, timeout),
    }
}
