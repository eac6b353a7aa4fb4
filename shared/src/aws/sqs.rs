//! The SQS queue adapter: FIFO group and deduplication ids, message attributes, the X-Ray trace
//! header, batches of ten with the failed entries retried; and, for the command line, reading
//! messages back.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::error::DisplayErrorContext;
use aws_sdk_sqs::types::{
    ChangeMessageVisibilityBatchRequestEntry, DeleteMessageBatchRequestEntry,
    MessageAttributeValue, MessageSystemAttributeNameForSends, MessageSystemAttributeValue,
    SendMessageBatchRequestEntry,
};

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

    /// Receives up to `max` messages (at most ten), waiting up to `wait` for the first, and
    /// hides them from other readers for `visibility`.
    pub async fn receive(
        &self,
        max: i32,
        wait: Duration,
        visibility: Duration,
    ) -> Result<Vec<ReceivedMessage>, QueueError> {
        let seconds = |duration: Duration| i32::try_from(duration.as_secs()).unwrap_or(i32::MAX);
        let output = self
            .client
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(max.clamp(1, 10))
            .wait_time_seconds(seconds(wait).min(20))
            .visibility_timeout(seconds(visibility))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(output
            .messages()
            .iter()
            .map(|message| ReceivedMessage {
                id: message.message_id().unwrap_or_default().to_owned(),
                receipt_handle: message.receipt_handle().unwrap_or_default().to_owned(),
                body: message.body().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    /// Deletes received messages by their receipt handles.
    pub async fn delete(&self, receipt_handles: &[String]) -> Result<(), QueueError> {
        for chunk in receipt_handles.chunks(BATCH_ENTRIES) {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(index, handle)| {
                    DeleteMessageBatchRequestEntry::builder()
                        .id(index.to_string())
                        .receipt_handle(handle)
                        .build()
                        .map_err(|err| QueueError::Unavailable(err.to_string()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let output = self
                .client
                .delete_message_batch()
                .queue_url(&self.url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(unavailable)?;
            if let Some(failed) = output.failed().first() {
                return Err(QueueError::Unavailable(format!(
                    "SQS did not delete a message: {} {}",
                    failed.code(),
                    failed.message().unwrap_or_default()
                )));
            }
        }
        Ok(())
    }

    /// Makes received messages visible again at once, for the queue's consumer.
    pub async fn release(&self, receipt_handles: &[String]) -> Result<(), QueueError> {
        for chunk in receipt_handles.chunks(BATCH_ENTRIES) {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(index, handle)| {
                    ChangeMessageVisibilityBatchRequestEntry::builder()
                        .id(index.to_string())
                        .receipt_handle(handle)
                        .visibility_timeout(0)
                        .build()
                        .map_err(|err| QueueError::Unavailable(err.to_string()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            self.client
                .change_message_visibility_batch()
                .queue_url(&self.url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(unavailable)?;
        }
        Ok(())
    }

    fn entry(
        &self,
        index: usize,
        envelope: &Envelope,
        body: String,
        trace: Option<&MessageSystemAttributeValue>,
    ) -> Result<SendMessageBatchRequestEntry, QueueError> {
        let mut entry = SendMessageBatchRequestEntry::builder()
            .id(index.to_string())
            .message_body(body);
        for (name, value) in attributes(envelope) {
            entry = entry.message_attributes(name, value);
        }
        if let Some(trace) = trace {
            entry = entry.message_system_attributes(
                MessageSystemAttributeNameForSends::AwsTraceHeader,
                trace.clone(),
            );
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

    async fn send_one(
        &self,
        envelope: &Envelope,
        body: String,
        trace: Option<MessageSystemAttributeValue>,
    ) -> Result<(), QueueError> {
        let mut request = self
            .client
            .send_message()
            .queue_url(&self.url)
            .message_body(body);
        for (name, value) in attributes(envelope) {
            request = request.message_attributes(name, value);
        }
        if let Some(trace) = trace {
            request = request.message_system_attributes(
                MessageSystemAttributeNameForSends::AwsTraceHeader,
                trace,
            );
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
        self.send_traced(envelopes, None).await
    }

    async fn send_traced(
        &self,
        envelopes: &[Envelope],
        trace_header: Option<&str>,
    ) -> Result<(), QueueError> {
        let trace = trace_header.map(|header| {
            MessageSystemAttributeValue::builder()
                .data_type("String")
                .string_value(header)
                .build()
                .unwrap_or_else(|_| unreachable!("data_type is set"))
        });
        let bodies = envelopes
            .iter()
            .map(|envelope| {
                serde_json::to_string(envelope)
                    .map_err(|err| QueueError::Unavailable(err.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let ([envelope], [body]) = (envelopes, bodies.as_slice()) {
            return self.send_one(envelope, body.clone(), trace).await;
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
            batch.push(self.entry(index, envelope, body, trace.as_ref())?);
        }
        if !batch.is_empty() {
            self.send_batch(batch).await?;
        }
        Ok(())
    }
}

/// A message read back from the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    pub id: String,
    pub receipt_handle: String,
    pub body: String,
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
