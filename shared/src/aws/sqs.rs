//! The SQS queue adapter: FIFO group and deduplication ids, message attributes, batches of ten
//! with the failed entries retried.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::error::DisplayErrorContext;
use aws_sdk_sqs::types::{MessageAttributeValue, SendMessageBatchRequestEntry};

use crate::envelope::Envelope;
use crate::fifo::{deduplication_id, group_id};
use crate::ports::{Queue, QueueError};

/// SQS takes at most ten entries per batch.
const BATCH_ENTRIES: usize = 10;
/// A batch's bodies stay under this many bytes (SQS's limit for a batch, counted conservatively).
const BATCH_BYTES: usize = 256 * 1024;
/// Attempts for entries a batch did not take (the request deadline still bounds them).
const ATTEMPTS: u32 = 3;

/// Sends envelopes to one SQS queue (FIFO when its URL ends in `.fifo`).
#[derive(Debug, Clone)]
pub struct SqsQueue {
    client: Client,
    url: String,
    fifo: bool,
}

impl SqsQueue {
    pub fn new(client: Client, url: impl Into<String>) -> Self {
        let url = url.into();
        let fifo = url.ends_with(".fifo");
        Self { client, url, fifo }
    }

    /// A client for `url` with the shared SDK configuration ([`super::sdk_config`]).
    pub fn with_config(sdk: &super::SdkConfig, url: impl Into<String>) -> Self {
        Self::new(Client::new(sdk), url)
    }

    /// One cheap call (`GetQueueAttributes`) that opens the connection and checks the queue.
    pub async fn warm_up(&self) -> Result<(), QueueError> {
        self.client
            .get_queue_attributes()
            .queue_url(&self.url)
            .send()
            .await
            .map(|_| ())
            .map_err(unavailable)
    }

    fn entry(
        &self,
        index: usize,
        envelope: &Envelope,
        body: String,
    ) -> Result<SendMessageBatchRequestEntry, QueueError> {
        let mut entry = SendMessageBatchRequestEntry::builder()
            .id(index.to_string())
            .message_body(body);
        for (name, value) in attributes(envelope) {
            entry = entry.message_attributes(name, value);
        }
        if self.fifo {
            entry = entry
                .message_group_id(group_id(envelope))
                .message_deduplication_id(deduplication_id(&envelope.event_id));
        }
        entry
            .build()
            .map_err(|err| QueueError::Unavailable(err.to_string()))
    }

    async fn send_one(&self, envelope: &Envelope, body: String) -> Result<(), QueueError> {
        let mut request = self
            .client
            .send_message()
            .queue_url(&self.url)
            .message_body(body);
        for (name, value) in attributes(envelope) {
            request = request.message_attributes(name, value);
        }
        if self.fifo {
            request = request
                .message_group_id(group_id(envelope))
                .message_deduplication_id(deduplication_id(&envelope.event_id));
        }
        request.send().await.map(|_| ()).map_err(unavailable)
    }

    /// Sends one batch, retrying the entries SQS did not take.
    async fn send_batch(
        &self,
        mut pending: Vec<SendMessageBatchRequestEntry>,
    ) -> Result<(), QueueError> {
        for attempt in 1..=ATTEMPTS {
            let output = self
                .client
                .send_message_batch()
                .queue_url(&self.url)
                .set_entries(Some(pending.clone()))
                .send()
                .await
                .map_err(unavailable)?;
            let failed = output.failed();
            if failed.is_empty() {
                return Ok(());
            }
            if let Some(fault) = failed.iter().find(|entry| entry.sender_fault()) {
                return Err(QueueError::Unavailable(format!(
                    "SQS refused an entry: {} {}",
                    fault.code(),
                    fault.message().unwrap_or_default()
                )));
            }
            tracing::warn!(
                failed = failed.len(),
                attempt,
                "SQS did not take every batch entry; retrying those"
            );
            pending.retain(|entry| failed.iter().any(|f| f.id() == entry.id()));
            tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
        }
        Err(QueueError::Unavailable(format!(
            "{} batch entries still failing after {ATTEMPTS} attempts",
            pending.len()
        )))
    }
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, envelopes: &[Envelope]) -> Result<(), QueueError> {
        let bodies = envelopes
            .iter()
            .map(|envelope| {
                serde_json::to_string(envelope)
                    .map_err(|err| QueueError::Unavailable(err.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let ([envelope], [body]) = (envelopes, bodies.as_slice()) {
            return self.send_one(envelope, body.clone()).await;
        }
        // FIFO order within a group is the order of sends: batches go one after the other.
        let mut batch = Vec::new();
        let mut batch_bytes = 0;
        for (index, (envelope, body)) in envelopes.iter().zip(bodies).enumerate() {
            if !batch.is_empty()
                && (batch.len() == BATCH_ENTRIES || batch_bytes + body.len() > BATCH_BYTES)
            {
                self.send_batch(std::mem::take(&mut batch)).await?;
                batch_bytes = 0;
            }
            batch_bytes += body.len();
            batch.push(self.entry(index, envelope, body)?);
        }
        if !batch.is_empty() {
            self.send_batch(batch).await?;
        }
        Ok(())
    }
}

/// The `channel`, `bot` and `event` message attributes.
fn attributes(envelope: &Envelope) -> [(&'static str, MessageAttributeValue); 3] {
    let text = |value: &str| {
        MessageAttributeValue::builder()
            .data_type("String")
            .string_value(value)
            .build()
            .unwrap_or_else(|_| unreachable!("data_type is set"))
    };
    [
        ("channel", text(&envelope.channel)),
        ("bot", text(&envelope.bot)),
        ("event", text(envelope.event.as_str())),
    ]
}

fn unavailable<E: std::error::Error>(err: E) -> QueueError {
    QueueError::Unavailable(DisplayErrorContext(err).to_string())
}
