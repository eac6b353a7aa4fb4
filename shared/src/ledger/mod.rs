//! The ledger's place in a request (DESIGN §10): one batched look-up before the enqueue, one
//! batched record after it, both under the request's deadline and failing open: a ledger that is
//! down or slow never stops an event, it only lets a late retry through.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::time::{Instant, timeout_at};

use crate::config::ConfigError;
use crate::envelope::Envelope;
use crate::ports::{Ledger, LedgerError};

/// How long an enqueued event id is remembered by default: a week, WhatsApp's retry horizon.
pub const DEFAULT_HORIZON: Duration = Duration::from_secs(168 * 3600);

/// The longest horizon accepted: a year.
const MAX_HORIZON_HOURS: u64 = 24 * 366;

/// `LEDGER_TABLE` and `LEDGER_HORIZON_HOURS`, read once at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSettings {
    /// The DynamoDB table (partition key `id`, TTL attribute `expires`).
    pub table: String,
    /// How long a recorded id keeps its retries out.
    pub horizon: Duration,
}

impl LedgerSettings {
    /// The ledger's settings, or `None` when no table is set or the horizon is 0.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, ConfigError> {
        let horizon = match lookup("LEDGER_HORIZON_HOURS") {
            None => DEFAULT_HORIZON,
            Some(value) => match value.trim().parse::<u64>() {
                Ok(hours) if hours <= MAX_HORIZON_HOURS => Duration::from_secs(hours * 3600),
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "LEDGER_HORIZON_HOURS",
                        value,
                        reason: "expected whole hours from 0 (no ledger) to 8784",
                    });
                }
            },
        };
        let table = lookup("LEDGER_TABLE").filter(|table| !table.trim().is_empty());
        match table {
            Some(table) if horizon > Duration::ZERO => {
                check_table_name(&table)?;
                Ok(Some(Self { table, horizon }))
            }
            _ => Ok(None),
        }
    }

    /// From the process environment.
    pub fn from_env() -> Result<Option<Self>, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }
}

/// DynamoDB table names: 3–255 of `[A-Za-z0-9_.-]`.
fn check_table_name(table: &str) -> Result<(), ConfigError> {
    let valid = (3..=255).contains(&table.len())
        && table
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if valid {
        Ok(())
    } else {
        Err(ConfigError::Invalid {
            name: "LEDGER_TABLE",
            value: table.to_owned(),
            reason: "a DynamoDB table name is 3 to 255 letters, digits, '_', '.' or '-'",
        })
    }
}

/// A ledger with its horizon, as the pipeline uses it.
#[derive(Debug, Clone)]
pub struct Guard {
    ledger: Arc<dyn Ledger>,
    horizon: Duration,
}

/// The envelopes of a request after the look-up.
#[derive(Debug)]
pub struct Screened {
    /// Not seen within the horizon (or the ledger could not tell): to enqueue, in order.
    pub fresh: Vec<Envelope>,
    /// Seen within the horizon: answered 200, not enqueued again.
    pub duplicates: usize,
    /// The look-up failed or ran out of time, so every envelope went on unscreened.
    pub missed: bool,
}

impl Guard {
    pub fn new(ledger: Arc<dyn Ledger>, horizon: Duration) -> Self {
        Self { ledger, horizon }
    }

    /// Leaves out the envelopes whose `event_id` was enqueued within the horizon. The look-up
    /// ends by `by`; past it, or on any failure, every envelope is kept (fail open).
    pub async fn screen(&self, envelopes: Vec<Envelope>, now: SystemTime, by: Instant) -> Screened {
        if envelopes.is_empty() {
            return Screened {
                fresh: envelopes,
                duplicates: 0,
                missed: false,
            };
        }
        let ids: Vec<&str> = envelopes.iter().map(|e| e.event_id.as_str()).collect();
        let seen = match timeout_at(by, self.ledger.seen(&ids, now)).await {
            Ok(Ok(seen)) if seen.len() == envelopes.len() => seen,
            outcome => {
                let error = failure(outcome.map(|seen| seen.map(|_| ())));
                tracing::warn!(error = %error, "ledger look-up failed; enqueuing without it (the queue's own deduplication still applies)");
                return Screened {
                    fresh: envelopes,
                    duplicates: 0,
                    missed: true,
                };
            }
        };
        let before = envelopes.len();
        let fresh: Vec<Envelope> = envelopes
            .into_iter()
            .zip(seen)
            .filter(|(envelope, seen)| {
                if *seen {
                    tracing::info!(event_id = %crate::telemetry::Escaped(&envelope.event_id), "duplicate within the ledger's horizon; not enqueued again");
                }
                !seen
            })
            .map(|(envelope, _)| envelope)
            .collect();
        Screened {
            duplicates: before - fresh.len(),
            fresh,
            missed: false,
        }
    }

    /// Records enqueued envelopes until now + horizon, by `by`. Whether it worked: a failure
    /// loses nothing (the events are on the queue), it only lets a late retry through.
    pub async fn record(&self, enqueued: &[Envelope], now: SystemTime, by: Instant) -> bool {
        if enqueued.is_empty() {
            return true;
        }
        let ids: Vec<&str> = enqueued.iter().map(|e| e.event_id.as_str()).collect();
        let expires = now + self.horizon;
        match timeout_at(by, self.ledger.record(&ids, expires)).await {
            Ok(Ok(())) => true,
            outcome => {
                let error = failure(outcome);
                tracing::warn!(error = %error, events = ids.len(), "ledger record failed after the enqueue; a retry after the queue's deduplication window may pass");
                false
            }
        }
    }
}

fn failure(outcome: Result<Result<(), LedgerError>, tokio::time::error::Elapsed>) -> String {
    match outcome {
        Ok(Ok(())) => "the ledger answered for a different number of ids".to_owned(),
        Ok(Err(err)) => err.to_string(),
        Err(_) => "the ledger did not answer in time".to_owned(),
    }
}

#[cfg(test)]
mod tests;
