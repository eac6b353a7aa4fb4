//! The `receivers` command line: the local server and the bot tools around it.

pub mod bots;
pub mod channels;
pub mod connect;
pub mod fetch;
pub mod platform_api;
pub mod random;
pub mod redrive;
pub mod replay;
pub mod request_body;
pub mod routes;
pub mod secret_admin;
pub mod serve;
pub mod simulate;
pub mod status;
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
    /// Download a file a user sent: one attachment of an envelope, with the bot's secret.
    Fetch(fetch::FetchArgs),
    /// Each bot's webhook as its platform sees it, and the queue's depth.
    Status(status::StatusArgs),
    /// Move the dead-letter queue's messages back to their queue.
    Redrive(redrive::RedriveArgs),
    /// Send the spool's envelopes of a time window again.
    Replay(replay::ReplayArgs),
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Connect(args) => connect::run(args).await,
            Command::Bots(args) => bots::run(args).await,
            Command::Simulate(args) => simulate::run(args).await,
            Command::Tail(args) => tail::run(args).await,
            Command::Fetch(args) => fetch::run(args).await,
            Command::Status(args) => status::run(args).await,
            Command::Redrive(args) => redrive::run(args).await,
            Command::Replay(args) => replay::run(args).await,
        }
    }
}
