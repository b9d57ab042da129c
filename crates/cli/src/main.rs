//! `stones`: the Stepping Stones command line — everything the app can do, scriptable.
//! Output for machines is one item per line, tab-separated; errors go to stderr with a
//! non-zero exit. Every edit is committed and durable before the command exits 0.

mod args;
mod commands;
mod resolve;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    // Diagnostics on stderr, quiet unless STONES_LOG asks (ids and reasons only, never content).
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STONES_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .init();
    match commands::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stones: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
