//! The `receivers` command line: the local server and the bot tools around it.

pub mod channels;
pub mod routes;
pub mod serve;
pub mod stores;

use clap::{Parser, Subcommand};

/// Messenger webhook receivers, locally.
#[derive(Debug, Parser)]
#[command(name = "receivers", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every receiver on one local port.
    Serve(serve::ServeArgs),
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(args) => serve::run(args).await,
        }
    }
}
