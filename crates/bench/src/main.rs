//! `stones-bench`: builds the 4-year-notebook fixture and measures Stepping Stones against
//! raw automerge in the same run (see BENCHMARKS.md).

mod crash_sync;
mod fixture;
mod run;
mod sign_cost;
mod trace;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "stones-bench", about = "Stepping Stones benchmarks")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build the 4-year notebook: one device home per member under DIR.
    Fixture {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 208)]
        sessions: usize,
        #[arg(long, default_value_t = 12)]
        members: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Measure every metric on a fixture, each against its anchor in the same run.
    Run {
        #[arg(long)]
        fixture: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// A smoke run: every metric once, small.
        #[arg(long)]
        quick: bool,
        /// Only these groups: history, open, search, insight, keystroke, full-sync, reconnect, live, converge, app.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
    /// Replay an editing trace through the reflection path and through raw automerge; a
    /// concurrent trace on one device per agent, syncing through the protocol core.
    Trace {
        file: PathBuf,
        /// Only the first N transactions of a concurrent trace.
        #[arg(long)]
        limit: Option<usize>,
        /// Where the scratch store goes (default: a memory file system when there is one).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// What signing every change would cost on a fixture home (sign, verify, bytes).
    SignCost {
        #[arg(long)]
        fixture: PathBuf,
    },
    /// SIGKILL a joiner mid-fetch and a server mid-serve, round after round, with the real
    /// `stones` binary; every kill must leave a sound store and the next sync must complete.
    CrashSync {
        #[arg(long)]
        fixture: PathBuf,
        /// Rounds of each kind (joiner killed, server killed).
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where the homes go (default: a temporary folder).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    #[command(hide = true)]
    ProbeOpen {
        #[arg(long)]
        home: PathBuf,
        #[arg(long)]
        notebook: String,
    },
    #[command(hide = true)]
    ProbeApp {
        #[arg(long)]
        home: PathBuf,
    },
    #[command(hide = true)]
    ProbeInsight {
        #[arg(long)]
        home: PathBuf,
        #[arg(long)]
        notebook: String,
        /// voices or conflicts.
        #[arg(long)]
        what: String,
        /// Forget the derived cache first.
        #[arg(long)]
        cold: bool,
    },
    #[command(hide = true)]
    ProbeSearch {
        #[arg(long)]
        home: PathBuf,
        #[arg(long)]
        notebook: String,
        #[arg(long)]
        query: String,
    },
    #[command(hide = true)]
    ProbeRaw {
        #[arg(long)]
        file: PathBuf,
    },
    #[command(hide = true)]
    ProbePeer {
        #[arg(long)]
        home: PathBuf,
        #[arg(long)]
        notebook: String,
        #[arg(long)]
        devices: usize,
    },
}

fn main() -> Result<()> {
    // Diagnostics on stderr, quiet unless STONES_LOG asks.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STONES_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .init();
    match Cli::parse().cmd {
        Cmd::Fixture {
            out,
            sessions,
            members,
            seed,
        } => {
            let started = std::time::Instant::now();
            let info = fixture::build(&fixture::FixtureOpts {
                out,
                sessions,
                members,
                seed,
            })?;
            let s = &info.size;
            println!(
                "fixture\tsessions {}\tmembers {}\tseed {}\tbuilt in {:.1} s",
                info.sessions,
                info.members,
                info.seed,
                started.elapsed().as_secs_f64()
            );
            println!(
                "size\tdocuments {}\tchanges {}\tops {}\tbytes {}\ttext bytes {}",
                s.documents, s.changes, s.ops, s.bytes, s.text_bytes
            );
            println!(
                "typing\tbursts {}\ttyped bytes {}\tchanges per burst {:.3}",
                info.bursts,
                info.typed_bytes,
                s.changes as f64 / info.bursts.max(1) as f64
            );
        }
        Cmd::Run {
            fixture,
            json,
            quick,
            only,
        } => {
            let effort = if quick {
                run::Effort::quick()
            } else {
                run::Effort::full()
            };
            let metrics = run::run(&fixture, effort, &only, &mut |m| {
                eprintln!(
                    "{}: {:.3} {} (anchor {:.3}, {:.2}x)",
                    m.name,
                    m.value,
                    m.unit,
                    m.anchor_value,
                    m.ratio()
                )
            })?;
            if json {
                let report = run::metric::report_json(run::metric::machine(), &metrics);
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{}", run::metric::machine());
                print!("{}", run::metric::report_table(&metrics));
            }
        }
        Cmd::Trace { file, limit, dir } => {
            let scratch = match dir {
                Some(d) => tempfile::Builder::new().tempdir_in(d)?,
                None if std::path::Path::new("/dev/shm").is_dir() => {
                    tempfile::Builder::new().tempdir_in("/dev/shm")?
                }
                None => tempfile::tempdir()?,
            };
            let json = trace::read_json(&file)?;
            if trace::is_concurrent(&json) {
                let r =
                    trace::concurrent::replay(&json, &file, limit, &scratch.path().join("homes"))?;
                print_concurrent(&r);
                return Ok(());
            }
            let r = trace::replay(&file, &scratch.path().join("home"))?;
            println!(
                "trace\tedits {}\tfinal text {} chars, equal to endContent",
                r.edits, r.end_chars
            );
            println!(
                "reflection path\t{:.0} ms\t{:.1} us/edit\t{} changes",
                r.ours_ms,
                r.ours_ms * 1000.0 / r.edits as f64,
                r.changes
            );
            println!(
                "raw splice_text\t{:.0} ms\t{:.1} us/edit\t{} changes",
                r.raw_ms,
                r.raw_ms * 1000.0 / r.edits as f64,
                r.edits
            );
            println!("ratio\t{:.2}x", r.ours_ms / r.raw_ms.max(f64::EPSILON));
        }
        Cmd::SignCost { fixture } => {
            let c = sign_cost::measure(&fixture::home_dir(&fixture, 0))?;
            println!(
                "sign every change\tchanges {}\tsign {:.1} us each\tverify {:.1} us each\tverify a full sync {:.0} ms\tadds {} B to a full sync",
                c.changes, c.sign_us, c.verify_us, c.verify_all_ms, c.bytes
            );
        }
        Cmd::CrashSync {
            fixture,
            rounds,
            seed,
            dir,
        } => {
            let scratch = match dir {
                Some(d) => tempfile::Builder::new().tempdir_in(d)?,
                None => crash_sync::default_scratch()?,
            };
            let opts = crash_sync::CrashOpts {
                fixture,
                scratch: scratch.path().to_path_buf(),
                rounds,
                seed,
            };
            let r = crash_sync::run(&opts, &mut |line| eprintln!("{line}"))?;
            println!(
                "crash-sync\tdocuments {}\twhole fetch {:.0} ms",
                r.documents, r.fetch_ms
            );
            println!(
                "receive\trounds {}\tkilled mid-fetch {}\tdocuments kept by killed joiners {}",
                r.receive_rounds, r.receive_kills_mid_fetch, r.documents_held_after_kill
            );
            println!(
                "serve\trounds {}\tkilled mid-fetch {}",
                r.serve_rounds, r.serve_kills_mid_fetch
            );
            println!(
                "after\tchecks sound {}\tcompleting syncs received {} B\tevery home equal to the server's",
                r.checks_sound, r.completing_bytes
            );
        }
        Cmd::ProbeApp { home } => run::probe_app(&home)?,
        Cmd::ProbeOpen { home, notebook } => run::probe_open(&home, &notebook)?,
        Cmd::ProbeSearch {
            home,
            notebook,
            query,
        } => run::probe_search(&home, &notebook, &query)?,
        Cmd::ProbeInsight {
            home,
            notebook,
            what,
            cold,
        } => run::probe_insight(&home, &notebook, &what, cold)?,
        Cmd::ProbeRaw { file } => run::probe_raw(&file)?,
        Cmd::ProbePeer {
            home,
            notebook,
            devices,
        } => run::probe_peer(&home, &notebook, devices)?,
    }
    Ok(())
}

fn print_concurrent(r: &trace::concurrent::ConcurrentReport) {
    let end = if r.whole {
        "equal to endContent"
    } else {
        "equal to the exact replay of the prefix"
    };
    println!(
        "concurrent trace\ttxns {}\tagents {}\tfinal text {} chars on every device, {end}",
        r.txns, r.agents, r.end_chars
    );
    println!(
        "devices (reflection path + protocol core)\t{:.0} ms\t{:.1} us/txn\t{} syncs\t{} B synced\t{} txns typed on a device ahead of their parents\t{} characters already deleted when named",
        r.ours_ms,
        r.ours_ms * 1000.0 / r.txns.max(1) as f64,
        r.syncs,
        r.sync_bytes,
        r.ahead,
        r.gone
    );
    println!(
        "raw automerge, exact, in memory\t{:.0} ms\t{:.1} us/txn",
        r.raw_ms,
        r.raw_ms * 1000.0 / r.txns.max(1) as f64
    );
    println!("ratio\t{:.1}x", r.ours_ms / r.raw_ms.max(f64::EPSILON));
}
