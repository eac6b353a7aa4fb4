//! An example Main process: a Lambda on the envelope queue's event source mapping.
//!
//! For each SQS record: read the body as an [`Envelope`] of a known version, skip it when its
//! `event_id` was already handled (the idempotency key: SQS deduplicates for 5 minutes only, the
//! platforms retry for longer), hand it to the bot's logic and log one line. The answer is a
//! partial batch response (`ReportBatchItemFailures`): the records it names return to the queue
//! and, after the queue's `maxReceiveCount`, go to the dead-letter queue; the others are deleted.
//!
//! The bot's logic here downloads the files an envelope carries ([`attachments`]).

pub mod attachments;
pub mod record;
pub mod seen;

use std::collections::HashSet;
use std::fmt::Display;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use shared_core::envelope::Envelope;

pub use record::{Unreadable, parse};
pub use seen::SeenEvents;

/// How many handled `event_id`s one warm instance remembers.
pub const SEEN_CAPACITY: usize = 10_000;

/// The consumer's state across the batches one warm Lambda instance receives.
#[derive(Debug)]
pub struct Consumer {
    seen: SeenEvents,
}

impl Default for Consumer {
    fn default() -> Self {
        Self::new(SEEN_CAPACITY)
    }
}

impl Consumer {
    /// A consumer that remembers the last `capacity` handled event ids.
    pub fn new(capacity: usize) -> Self {
        Self {
            seen: SeenEvents::new(capacity),
        }
    }

    /// Takes one batch; `process` is the bot's logic for one new envelope. Returns the records to
    /// hand back to the queue.
    ///
    /// A record that cannot be read fails alone: it can never succeed, and holding its message
    /// group back would only send the chat's next events to the dead-letter queue with it. A
    /// record that `process` fails fails together with every later record of its message group in
    /// the batch, so that a FIFO queue still delivers each chat's events in order.
    pub fn handle_batch<F, E>(&mut self, batch: &SqsEvent, mut process: F) -> SqsBatchResponse
    where
        F: FnMut(&Envelope) -> Result<(), E>,
        E: Display,
    {
        let mut state = BatchState::default();
        for record in &batch.records {
            if let Some(envelope) = self.admit(record, &mut state) {
                let outcome = process(&envelope);
                self.settle(record, &envelope, outcome, &mut state);
            }
        }
        state.response
    }

    /// [`Consumer::handle_batch`] for logic that waits on I/O (a download, an API call): each
    /// envelope is processed to the end before the next one starts, so a chat's order holds.
    pub async fn handle_batch_async<F, Fut, E>(
        &mut self,
        batch: &SqsEvent,
        mut process: F,
    ) -> SqsBatchResponse
    where
        F: FnMut(Envelope) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: Display,
    {
        let mut state = BatchState::default();
        for record in &batch.records {
            if let Some(envelope) = self.admit(record, &mut state) {
                let outcome = process(envelope.clone()).await;
                self.settle(record, &envelope, outcome, &mut state);
            }
        }
        state.response
    }

    /// The record's envelope when it is to be processed; `None` when the record is settled
    /// already: held back behind its group, unreadable (a failure), or a duplicate (done).
    fn admit<'b>(&self, record: &'b SqsMessage, state: &mut BatchState<'b>) -> Option<Envelope> {
        let message_id = record.message_id.as_deref().unwrap_or_default();
        let group = record.attributes.get("MessageGroupId").map(String::as_str);
        if group.is_some_and(|group| state.held_groups.contains(group)) {
            tracing::warn!(
                message_id,
                group,
                "not processed: an earlier record of its message group failed"
            );
            state.response.add_failure(message_id);
            return None;
        }
        let envelope = match parse(record.body.as_deref()) {
            Ok(envelope) => envelope,
            Err(err) => {
                let receive_count = record.attributes.get("ApproximateReceiveCount");
                tracing::error!(message_id, receive_count, error = %err, "unreadable record");
                state.response.add_failure(message_id);
                return None;
            }
        };
        if self.seen.contains(&envelope.event_id) {
            log_envelope(&envelope, message_id, "duplicate");
            return None;
        }
        Some(envelope)
    }

    /// Records what `process` made of the envelope, with its one log line.
    fn settle<'b, E: Display>(
        &mut self,
        record: &'b SqsMessage,
        envelope: &Envelope,
        outcome: Result<(), E>,
        state: &mut BatchState<'b>,
    ) {
        let message_id = record.message_id.as_deref().unwrap_or_default();
        match outcome {
            Ok(()) => {
                self.seen.insert(&envelope.event_id);
                log_envelope(envelope, message_id, "processed");
            }
            Err(err) => {
                tracing::warn!(
                    channel = envelope.channel.as_str(),
                    bot = envelope.bot.as_str(),
                    chat_id = envelope.chat_id.as_str(),
                    event = envelope.event.as_str(),
                    event_id = envelope.event_id.as_str(),
                    message_id,
                    error = %err,
                    "envelope failed; it returns to the queue"
                );
                state.response.add_failure(message_id);
                if let Some(group) = record.attributes.get("MessageGroupId") {
                    state.held_groups.insert(group.as_str());
                }
            }
        }
    }
}

/// One batch's answer so far, and the message groups held back in it.
#[derive(Default)]
struct BatchState<'b> {
    response: SqsBatchResponse,
    held_groups: HashSet<&'b str>,
}

fn log_envelope(envelope: &Envelope, message_id: &str, outcome: &str) {
    tracing::info!(
        channel = envelope.channel.as_str(),
        bot = envelope.bot.as_str(),
        chat_id = envelope.chat_id.as_str(),
        event = envelope.event.as_str(),
        event_id = envelope.event_id.as_str(),
        message_id,
        outcome,
        "envelope"
    );
}

#[cfg(test)]
mod tests;
