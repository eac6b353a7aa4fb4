//! The two outside services a receiver needs, as traits: the queue and the secret store.

use async_trait::async_trait;

use crate::envelope::Envelope;
use crate::secret::SecretDocument;

/// Where envelopes go. `send` returns only once all of them are durably accepted.
#[async_trait]
pub trait Queue: Send + Sync + std::fmt::Debug {
    /// Enqueues every envelope, in order; an error means some may not be (the caller answers 503
    /// and the platform retries; deduplication by `event_id` keeps the others from doubling).
    async fn send(&self, envelopes: &[Envelope]) -> Result<(), QueueError>;
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
