//! `receivers`: run the receivers locally and manage bots.

use std::process::ExitCode;

use clap::Parser as _;
use shared::telemetry::{LogFormat, init};

fn main() -> ExitCode {
    let cli = receivers::Cli::parse();
    init(LogFormat::Text);
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(cli.run()));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Logs and errors both go to stderr: the error is printed once, in full.
            eprintln!("receivers: {err:#}");
            ExitCode::FAILURE
        }
    }
}
