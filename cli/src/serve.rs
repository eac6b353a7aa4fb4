//! `receivers serve`: every receiver on one local port, with the embedded queue and secrets
//! file by default, SQS and Secrets Manager when the environment says so, under the limits a
//! server facing the internet needs.

mod clock;
pub mod dedup;
mod fd_limit;
mod limits;
pub mod listener;

pub use limits::{LimitArgs, Limits};

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use shared::config::Settings;
use shared::ledger::{Guard, LedgerSettings};
use shared::metrics::prometheus::Registry;
use shared::ports::Queue;
use shared::secrets::SecretCache;

use crate::request_body::BodyBudget;
use crate::routes::Receivers;
use crate::stores::{QueueTarget, StoreArgs};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  receivers serve --secrets-file bots.example.json\n  QUEUE_URL=http://127.0.0.1:5000/000000000000/events.fifo receivers serve"
)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub stores: StoreArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub dedup: dedup::DedupArgs,
}

/// Runs the server until SIGINT or SIGTERM; in-flight requests finish and the spool is flushed.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let limits = Limits::from_args(&args.limits, settings.body_limit)?;
    let spool_options = args.dedup.spool_options()?;
    let table = LedgerSettings::from_env()?;
    let secrets = args.stores.secrets(settings.upstream_timeout).await?;
    let target = args
        .stores
        .queue_with(settings.upstream_timeout, spool_options)
        .await?;
    if let QueueTarget::Sqs(sqs) = &target
        && let Err(err) = sqs.warm_up().await
    {
        tracing::warn!(error = %err, "the queue did not answer GetQueueAttributes; requests will answer 503 until it does");
    }
    let cache = Arc::new(SecretCache::new(secrets.store(), settings.secrets_ttl));
    let timeout = settings.upstream_timeout;
    let sdk = async || shared::aws::sdk_config(timeout).await;
    let ledger = dedup::ledger(table.as_ref(), sdk, &target, spool_options).await;
    let receivers = receivers(cache, target.queue(), ledger, settings, &limits)?;
    let channels = receivers.channels().join(", ");
    fd_limit::make_room(limits.max_connections);
    let tcp =
        listener::bind(args.addr).with_context(|| format!("cannot listen on {}", args.addr))?;
    tracing::info!(
        "listening on http://{} for {channels}; queue: {}; duplicates: {}; secrets: {}",
        args.addr,
        target.describe(),
        dedup::describe(table.as_ref(), &target, spool_options),
        secrets.describe()
    );
    listener::serve(tcp, receivers.into_router(), &limits, shutdown_signal()).await;
    target.close();
    tracing::info!("stopped; every accepted event is on the queue");
    Ok(())
}

/// Every receiver, reading bodies under the limits, screening events with the ledger, counted
/// at `GET /metrics` unless `METRICS=off`.
pub fn receivers(
    secrets: Arc<SecretCache>,
    queue: Arc<dyn Queue>,
    ledger: Option<Guard>,
    settings: Settings,
    limits: &Limits,
) -> anyhow::Result<Receivers> {
    let body_budget = BodyBudget::new(limits.max_body_bytes_in_flight);
    let mut receivers = Receivers::new(secrets, queue, settings)
        .with_ledger(ledger)
        .with_body_limits(limits.body_timeout, body_budget);
    if shared::metrics::enabled_from_env()? {
        receivers = receivers.with_metrics(Arc::new(Registry::new()));
    }
    crate::channels::mount_all(receivers)
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
