//! The outside services a receiver needs, as traits: the queue, the secret store and the ledger.

use std::time::SystemTime;

use async_trait::async_trait;

use crate::envelope::Envelope;
use crate::secret::SecretDocument;

/// Where envelopes go. `send` returns only once all of them are durably accepted.
#[async_trait]
pub trait Queue: Send + Sync + std::fmt::Debug {
    /// Enqueues every envelope, in order; an error means some may not be (the caller answers 503
    /// and the platform retries; deduplication by `event_id` keeps the others from doubling).
    async fn send(&self, envelopes: &[Envelope]) -> Result<(), QueueError>;

    /// The same, with the X-Ray trace header of the invocation that received them, which SQS
    /// keeps as the messages' `AWSTraceHeader`; a queue with no place for it leaves it out.
    async fn send_traced(
        &self,
        envelopes: &[Envelope],
        trace_header: Option<&str>,
    ) -> Result<(), QueueError> {
        let _ = trace_header;
        self.send(envelopes).await
    }
}

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The queue did not take the envelopes (outage, throttling, refused entries).
    #[error("queue unavailable: {0}")]
    Unavailable(String),
}

/// Where bot secrets are stored, by name (`{prefix}{channel}/{bot}`).
#[async_trait]
pub trait SecretStore: Send + Sync + std::fmt::Debug {
    /// The secret's document, `None` when no secret has that name.
    async fn fetch(&self, name: &str) -> Result<Option<SecretDocument>, SecretStoreError>;
}

#[derive(Debug, thiserror::Error)]
pub enum SecretStoreError {
    /// The store could not answer (outage, throttling, permissions).
    #[error("secret store unavailable: {0}")]
    Unavailable(String),
    /// A secret exists but is not a JSON object.
    #[error("secret {0} is not a JSON object")]
    NotAnObject(String),
}

/// What a receiver remembers of the event ids it enqueued, for longer than the queue's own
/// five-minute deduplication: a retry of a recorded id is answered 200 and not enqueued again.
#[async_trait]
pub trait Ledger: Send + Sync + std::fmt::Debug {
    /// For each id, in order, whether it is recorded with an expiry later than `now`.
    async fn seen(&self, ids: &[&str], now: SystemTime) -> Result<Vec<bool>, LedgerError>;

    /// Records the ids as enqueued until `expires`.
    async fn record(&self, ids: &[&str], expires: SystemTime) -> Result<(), LedgerError>;
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The ledger could not answer (outage, throttling, permissions, items left unprocessed).
    #[error("ledger unavailable: {0}")]
    Unavailable(String),
}
