//! `stones`: the Stepping Stones command line — everything the app can do, scriptable.
//! Output for machines is one item per line, tab-separated; errors go to stderr with a
//! non-zero exit. Every edit is committed and durable before the command exits 0.

mod args;
mod commands;
mod resolve;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stones: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
