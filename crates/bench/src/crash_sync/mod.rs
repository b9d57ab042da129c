//! `stones-bench crash-sync`: SIGKILL during a full sync, both sides, many rounds (issue 14).
//!
//! A serving device (a copy of the fixture's first home, `stones serve`) and, each round, a
//! new device that joins by invite and fetches the whole notebook. In a *receive* round the
//! joiner is killed at a random moment of its fetch; in a *serve* round the serving device
//! is. After each kill the killed home must pass `stones check`, a serving home must hold
//! exactly what it held before (nothing acknowledged lost, nothing added), and the next
//! sync (`stones sync --peer`) must complete with both homes holding the same documents at
//! the same heads. The real `stones` binary throughout, on 127.0.0.1.

mod fingerprint;
mod process;

use anyhow::{Context, Result, bail};
use fingerprint::Fingerprint;
use process::{Serve, Stones};
use rand::RngExt;
use rand::rngs::StdRng;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to run.
pub struct CrashOpts {
    /// A fixture made by `stones-bench fixture`.
    pub fixture: PathBuf,
    /// Where the homes go.
    pub scratch: PathBuf,
    /// Rounds of each kind.
    pub rounds: usize,
    /// Seed of the kill moments.
    pub seed: u64,
}

/// What the rounds showed.
#[derive(Debug, Default)]
pub struct CrashReport {
    /// How long one whole fetch took (the calibration join), ms.
    pub fetch_ms: f64,
    /// Documents of the notebook.
    pub documents: usize,
    /// Rounds in which the joiner was killed / in which the server was.
    pub receive_rounds: usize,
    pub serve_rounds: usize,
    /// Kills that landed before the fetch had finished (the rest found it done).
    pub receive_kills_mid_fetch: usize,
    pub serve_kills_mid_fetch: usize,
    /// Documents the killed joiner held when it restarted, summed over rounds (partial
    /// progress kept).
    pub documents_held_after_kill: usize,
    /// Bytes the completing syncs received, summed.
    pub completing_bytes: u64,
    /// `stones check` runs that said sound (one per kill).
    pub checks_sound: usize,
}

/// Runs every round; fails at the first round whose outcome is wrong.
pub fn run(opts: &CrashOpts, progress: &mut dyn FnMut(&str)) -> Result<CrashReport> {
    let stones = Stones::beside_this_program()?;
    let server_home = opts.scratch.join("server");
    crate::fixture::copy_dir(&crate::fixture::home_dir(&opts.fixture, 0), &server_home)?;
    let notebook = crate::fixture::read_info(&opts.fixture)?.notebook;
    let mut rng: StdRng = rand::SeedableRng::seed_from_u64(opts.seed);
    let mut report = CrashReport::default();
    let mut serve = Serve::start(&stones, &server_home)?;

    // Calibration: one joiner fetches everything; its time bounds the kill moments.
    let first = opts.scratch.join("joiner-calibration");
    let started = Instant::now();
    let joined = stones.join(&serve, &first, "Calibration")?;
    joined.wait_ok(Duration::from_secs(600))?;
    report.fetch_ms = started.elapsed().as_secs_f64() * 1000.0;
    let theirs = Fingerprint::of(&server_home, notebook)?;
    let mine = Fingerprint::of(&first, notebook)?;
    mine.must_equal(&theirs, "the calibration joiner")?;
    report.documents = mine.documents();
    let window = Duration::from_secs_f64(report.fetch_ms / 1000.0);

    for round in 0..opts.rounds {
        let home = opts.scratch.join(format!("joiner-r{round:02}"));
        let joiner = stones.join(&serve, &home, &format!("Receiver {round}"))?;
        let after = random_moment(&mut rng, window);
        std::thread::sleep(after);
        if joiner.kill()? {
            report.receive_kills_mid_fetch += 1;
        }
        stones.check_sound(&home)?;
        report.checks_sound += 1;
        report.documents_held_after_kill += Fingerprint::of(&home, notebook)
            .map(|f| f.documents())
            .unwrap_or(0);
        report.completing_bytes += stones.sync(&home, &serve.ticket)?;
        let theirs = Fingerprint::of(&server_home, notebook)?;
        Fingerprint::of(&home, notebook)?.must_equal(&theirs, &format!("receive round {round}"))?;
        report.receive_rounds += 1;
        progress(&format!(
            "receive round {round}: killed after {} ms",
            after.as_millis()
        ));
        std::fs::remove_dir_all(&home)?;
    }

    for round in 0..opts.rounds {
        let home = opts.scratch.join(format!("fetcher-s{round:02}"));
        // The joiner gives up a little after the server died (its own timeout).
        let mut joiner = stones.join(&serve, &home, &format!("Fetcher {round}"))?;
        // What the server holds once the joiner is let in, read beside the fetch (reading
        // first would let the fetch finish before the kill).
        let reading = {
            let home = server_home.clone();
            std::thread::spawn(move || Fingerprint::of(&home, notebook))
        };
        let after = random_moment(&mut rng, window);
        std::thread::sleep(after);
        let mid_fetch = joiner.still_running()?;
        serve.kill();
        if mid_fetch {
            report.serve_kills_mid_fetch += 1;
        }
        joiner.kill()?;
        let held = reading
            .join()
            .map_err(|_| anyhow::anyhow!("reading the server's documents panicked"))??;
        stones.check_sound(&server_home)?;
        report.checks_sound += 1;
        let now = Fingerprint::of(&server_home, notebook)?;
        now.must_equal(
            &held,
            &format!("the server after its kill in round {round}"),
        )?;
        serve = Serve::start(&stones, &server_home)?;
        report.completing_bytes += stones.sync(&home, &serve.ticket)?;
        Fingerprint::of(&home, notebook)?.must_equal(&now, &format!("serve round {round}"))?;
        report.serve_rounds += 1;
        progress(&format!(
            "serve round {round}: server killed after {} ms",
            after.as_millis()
        ));
        std::fs::remove_dir_all(&home)?;
    }
    serve.kill();
    if report.receive_kills_mid_fetch + report.serve_kills_mid_fetch == 0 {
        bail!("no kill landed during a fetch: the rounds tested nothing");
    }
    Ok(report)
}

/// A moment within the fetch's window (a little past it, so some kills find it done).
fn random_moment(rng: &mut StdRng, window: Duration) -> Duration {
    let ms = window.as_millis().max(20) as u64;
    Duration::from_millis(rng.random_range(0..=ms + ms / 10))
}

/// The folder a scratch run uses when none is given (on disk: the kills are the point).
pub fn default_scratch() -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("stones-crash-")
        .tempdir()
        .context("a scratch folder")
}
