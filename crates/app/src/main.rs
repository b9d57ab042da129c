//! `stepping-stones`: the desktop app. `--home DIR` picks the device's home (default: the
//! same as `stones`), `--demo` opens a populated sample notebook in a temporary home (or in
//! `--home DIR`, kept there, when DIR is empty).

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STONES_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let mut home: Option<std::path::PathBuf> = None;
    let mut demo = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--home" => home = Some(args.next().context("--home needs a folder")?.into()),
            "--demo" => demo = true,
            "--help" | "-h" => {
                println!("stepping-stones [--home DIR] [--demo]");
                return Ok(());
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    let _demo_dir;
    let home = match (demo, home) {
        // `--demo --home DIR`: the sample is kept in DIR (filled only when DIR holds nothing).
        (true, Some(dir)) => {
            let empty = std::fs::read_dir(&dir).map_or(true, |mut d| d.next().is_none());
            if empty {
                stones_app::demo::populate(&dir).context("filling the demo notebook")?;
            }
            dir
        }
        (true, None) => {
            let dir = tempfile::tempdir().context("making a temporary home for the demo")?;
            stones_app::demo::populate(dir.path()).context("filling the demo notebook")?;
            let path = dir.path().to_path_buf();
            _demo_dir = dir;
            path
        }
        // STONES_HOME never takes the demo: a sample must not land in a real home.
        (false, home) => home
            .or_else(|| std::env::var_os("STONES_HOME").map(Into::into))
            .unwrap_or_else(stones_store::home::default_home),
    };
    stones_app::run(stones_app::Launch { home })?;
    Ok(())
}
