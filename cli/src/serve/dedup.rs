//! How `receivers serve` keeps platform retries off the queue: the spool's own index for the
//! ledger's horizon by default, DynamoDB with `LEDGER_TABLE`, or SQS FIFO's five minutes alone.

use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use shared::aws::SdkConfig;
use shared::aws::dynamodb::DynamoLedger;
use shared::ledger::{Guard, LedgerSettings};
use shared::spool::SpoolOptions;

use crate::stores::QueueTarget;

/// The flags as given.
#[derive(Debug, Clone, clap::Args)]
pub struct DedupArgs {
    /// Hours the spool keeps an event's retries out (kept across restarts; 0: five minutes,
    /// as SQS FIFO). With `LEDGER_TABLE` set, DynamoDB keeps them for `LEDGER_HORIZON_HOURS`.
    #[arg(
        long,
        env = "SERVE_DEDUP_HOURS",
        value_name = "HOURS",
        default_value_t = 168
    )]
    pub dedup_hours: u64,
    /// Event ids the spool remembers at once (17 bytes each in the table: 17 MiB at the default);
    /// past it, those closest to expiry are forgotten first.
    #[arg(
        long,
        env = "SERVE_DEDUP_MAX_IDS",
        value_name = "COUNT",
        default_value_t = shared::spool::DEFAULT_MAX_REMEMBERED
    )]
    pub dedup_max_ids: usize,
}

impl DedupArgs {
    /// The spool's deduplication, checked.
    pub fn spool_options(&self) -> anyhow::Result<SpoolOptions> {
        if self.dedup_hours > 24 * 366 {
            bail!("--dedup-hours {} is more than a year", self.dedup_hours);
        }
        if !(1..=100_000_000).contains(&self.dedup_max_ids) {
            bail!("--dedup-max-ids must be between 1 and 100000000");
        }
        let horizon = match self.dedup_hours {
            0 => Duration::from_secs(300),
            hours => Duration::from_secs(hours * 3600),
        };
        Ok(SpoolOptions {
            horizon,
            max_remembered: self.dedup_max_ids,
        })
    }
}

/// The ledger for the server's pipelines: DynamoDB when `LEDGER_TABLE` is set, else the spool
/// itself, else none (SQS without a table: the queue's five minutes).
pub async fn ledger(
    table: Option<&LedgerSettings>,
    sdk: impl AsyncFnOnce() -> SdkConfig,
    target: &QueueTarget,
    spool: SpoolOptions,
) -> Option<Guard> {
    if let Some(settings) = table {
        let table = DynamoLedger::with_config(&sdk().await, &settings.table);
        if let Err(err) = table.warm_up().await {
            tracing::warn!(error = %err, "the ledger table did not answer; requests enqueue without it until it does");
        }
        return Some(Guard::new(Arc::new(table), settings.horizon));
    }
    match target {
        QueueTarget::Spool(spool_file) => Some(Guard::new(
            Arc::clone(spool_file) as Arc<dyn shared::ports::Ledger>,
            spool.horizon,
        )),
        QueueTarget::Sqs(_) => None,
    }
}

/// How duplicates are kept out, for the start-up line.
pub fn describe(
    table: Option<&LedgerSettings>,
    target: &QueueTarget,
    spool: SpoolOptions,
) -> String {
    match (table, target) {
        (Some(settings), _) => format!(
            "ledger DynamoDB table {} ({} h)",
            settings.table,
            settings.horizon.as_secs() / 3600
        ),
        (None, QueueTarget::Spool(_)) => format!(
            "the spool's index ({} h, at most {} ids)",
            spool.horizon.as_secs() / 3600,
            spool.max_remembered
        ),
        (None, QueueTarget::Sqs(_)) => "the queue's own 5 minutes (no LEDGER_TABLE)".to_owned(),
    }
}
