//! The `receivers` command line: the local server and the bot tools around it.

pub mod bots;
pub mod channels;
pub mod connect;
pub mod platform_api;
pub mod random;
pub mod request_body;
pub mod routes;
pub mod secret_admin;
pub mod serve;
pub mod simulate;
pub mod stores;
pub mod tail;

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
    /// Attach a bot: check its credentials, store its secret, register its webhook.
    Connect(connect::ConnectArgs),
    /// List, show or remove attached bots.
    Bots(bots::BotsArgs),
    /// Send a realistic, signed event to a running receiver.
    Simulate(simulate::SimulateArgs),
    /// Print the envelopes on the queue.
    Tail(tail::TailArgs),
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Connect(args) => connect::run(args).await,
            Command::Bots(args) => bots::run(args).await,
            Command::Simulate(args) => simulate::run(args).await,
            Command::Tail(args) => tail::run(args).await,
        }
    }
}
