//! An example Main process: a Lambda on the envelope queue's event source mapping.
//!
//! For each SQS record: read the body as an [`Envelope`] of a known version, skip it when its
//! `event_id` was already handled (the idempotency key: SQS deduplicates for 5 minutes only, the
//! platforms retry for longer), hand it to the bot's logic and log one line. The answer is a
//! partial batch response (`ReportBatchItemFailures`): the records it names return to the queue
//! and, after the queue's `maxReceiveCount`, go to the dead-letter queue; the others are deleted.

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
        let mut response = SqsBatchResponse::default();
        let mut held_groups: HashSet<&str> = HashSet::new();
        for record in &batch.records {
            let message_id = record.message_id.as_deref().unwrap_or_default();
            let group = record.attributes.get("MessageGroupId").map(String::as_str);
            if group.is_some_and(|group| held_groups.contains(group)) {
                tracing::warn!(
                    message_id,
                    group,
                    "not processed: an earlier record of its message group failed"
                );
                response.add_failure(message_id);
                continue;
            }
            match self.take(record, &mut process) {
                Taken::Done => {}
                Taken::Unreadable => response.add_failure(message_id),
                Taken::Failed => {
                    response.add_failure(message_id);
                    if let Some(group) = group {
                        held_groups.insert(group);
                    }
                }
            }
        }
        response
    }

    /// One record, with its one log line.
    fn take<F, E>(&mut self, record: &SqsMessage, process: &mut F) -> Taken
    where
        F: FnMut(&Envelope) -> Result<(), E>,
        E: Display,
    {
        let message_id = record.message_id.as_deref().unwrap_or_default();
        let envelope = match parse(record.body.as_deref()) {
            Ok(envelope) => envelope,
            Err(err) => {
                let receive_count = record.attributes.get("ApproximateReceiveCount");
                tracing::error!(message_id, receive_count, error = %err, "unreadable record");
                return Taken::Unreadable;
            }
        };
        let (outcome, taken) = if self.seen.contains(&envelope.event_id) {
            ("duplicate", Taken::Done)
        } else {
            match process(&envelope) {
                Ok(()) => {
                    self.seen.insert(&envelope.event_id);
                    ("processed", Taken::Done)
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
                    return Taken::Failed;
                }
            }
        };
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
        taken
    }
}

/// What became of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Taken {
    /// Processed now, or a duplicate of one processed before: delete it.
    Done,
    /// Not an envelope this consumer reads: back to the queue, on its way to the dead-letter queue.
    Unreadable,
    /// `process` failed: back to the queue, and its message group waits.
    Failed,
}

#[cfg(test)]
mod tests;
