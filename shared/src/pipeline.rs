//! One request through a receiver: method and size checks → bot secret → authenticate →
//! handshake or normalize → ledger look-up → enqueue → ledger record → answer. Shared by the
//! Lambdas and the local server.

use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderMap, Method};
use tokio::time::{Instant, timeout_at};
use tracing::Instrument as _;

pub use crate::channel::envelope_from;
use crate::channel::{Channel, Event, Outcome, Rejection, Request, Verified, verify};
use crate::config::Settings;
use crate::envelope::Envelope;
use crate::http::{Answer, Failure};
use crate::ledger::Guard;
use crate::metrics::Report;
use crate::ports::Queue;
use crate::secrets::{Cached, SecretCache};
use crate::telemetry::Escaped;

/// An HTTP request as any server hands it over.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub method: Method,
    /// The `{bot}` path segment.
    pub bot: String,
    /// What follows `/{channel}/{bot}` in the path (Apple's `/message`), or empty.
    pub path_suffix: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The server stopped reading a body longer than the limit; `body` is then empty.
    pub oversized: bool,
    /// The server's or API Gateway's id for the request, for the logs.
    pub request_id: String,
    /// The invocation's X-Ray trace header, passed on to the queue with the envelopes.
    pub trace_header: Option<String>,
}

/// An answer, and what the request came to for the metrics.
#[derive(Debug)]
pub struct Handled {
    pub answer: Answer,
    pub report: Report,
}

/// The most events one request may carry. Meta batches at most a few hundred; a body of a
/// million tiny entries is refused (413) rather than turned into a million queue messages.
pub const MAX_EVENTS_PER_REQUEST: usize = 1000;

/// Whether `bot` is a token name: `[A-Za-z0-9_-]{1,64}`.
pub fn is_valid_bot_name(bot: &str) -> bool {
    (1..=64).contains(&bot.len())
        && bot
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A channel with the queue and secrets it runs against.
#[derive(Debug)]
pub struct Pipeline<C> {
    channel: C,
    secrets: Arc<SecretCache>,
    queue: Arc<dyn Queue>,
    ledger: Option<Guard>,
    settings: Settings,
}

impl<C: Channel> Pipeline<C> {
    pub fn new(
        channel: C,
        secrets: Arc<SecretCache>,
        queue: Arc<dyn Queue>,
        settings: Settings,
    ) -> Self {
        Self {
            channel,
            secrets,
            queue,
            ledger: None,
            settings,
        }
    }

    /// Keeps the retries of events enqueued within the ledger's horizon off the queue.
    #[must_use]
    pub fn with_ledger(mut self, ledger: Option<Guard>) -> Self {
        self.ledger = ledger;
        self
    }

    /// Answers one request; every outcome, failures included, is an answer.
    pub async fn handle(&self, inbound: Inbound) -> Answer {
        self.handle_counted(inbound).await.answer
    }

    /// Answers one request and reports what it came to.
    pub async fn handle_counted(&self, inbound: Inbound) -> Handled {
        let started = std::time::Instant::now();
        let mut report = Report::new(C::NAME);
        // The bot segment and the request id come from the request: escaped, they cannot
        // forge a log line.
        let span = tracing::info_span!(
            "request",
            channel = C::NAME,
            bot = %Escaped(&inbound.bot),
            request_id = %Escaped(&inbound.request_id)
        );
        let answer = async {
            match self.run(&inbound, &mut report).await {
                Ok(answer) => answer,
                Err(failure) => {
                    crate::http::log(&failure);
                    report.failed(&failure);
                    crate::http::answer(&failure)
                }
            }
        }
        .instrument(span)
        .await;
        report.handler = started.elapsed();
        Handled { answer, report }
    }

    async fn run(&self, inbound: &Inbound, report: &mut Report) -> Result<Answer, Failure> {
        let methods = self.channel.methods();
        if !methods.contains(&inbound.method) {
            let allow = methods
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Failure::MethodNotAllowed { allow });
        }
        let limit = self.settings.body_limit;
        if inbound.oversized || inbound.body.len() > limit {
            return Err(Failure::TooLarge { limit });
        }
        let as_received = Request {
            method: &inbound.method,
            headers: &inbound.headers,
            query: inbound.query.as_deref(),
            path_suffix: &inbound.path_suffix,
            body: &inbound.body,
        };
        // A body that cannot be decoded is a 400, which comes after 404 and 401 (DESIGN.md §6).
        let (decoded, undecodable) = match self.channel.decode_body(&as_received, limit) {
            Ok(decoded) => (decoded, None),
            Err(Rejection::TooLarge) => return Err(Failure::TooLarge { limit }),
            Err(rejection) => (None, Some(rejection)),
        };
        let request = Request {
            body: decoded.as_deref().unwrap_or(&inbound.body),
            ..as_received
        };
        if !is_valid_bot_name(&inbound.bot) {
            return Err(Failure::UnknownBot);
        }
        let deadline = Instant::now() + self.settings.upstream_timeout;
        let name = self.settings.secret_name(C::NAME, &inbound.bot);
        let now = SystemTime::now();
        let cached = timeout_at(deadline, self.secrets.get(&name))
            .await
            .map_err(|_| Failure::Deadline("secret store"))??;
        if cached.document.is_some() {
            // Only a bot with a secret gets its own dimension: their number stays bounded.
            report.bot.clone_from(&inbound.bot);
        }
        let (secret, verified) = match self.authenticate(&request, &cached, now) {
            Err(Failure::Rejected(rejection))
                if rejection.is_credential_failure() && cached.may_refresh() =>
            {
                tracing::info!(
                    "credentials refused by a cached secret; fetching it again in case it rotated"
                );
                let fresh = timeout_at(deadline, self.secrets.refresh(&name))
                    .await
                    .map_err(|_| Failure::Deadline("secret store"))??;
                self.authenticate(&request, &fresh, now)?
            }
            other => other?,
        };
        if let Some(rejection) = undecodable {
            return Err(rejection.into());
        }
        match self.channel.receive(&verified, &secret, now)? {
            Outcome::Handshake(reply) => {
                tracing::info!("handshake answered");
                Ok(Answer::ok(reply))
            }
            Outcome::Events { events, echoes } => {
                report.echoes = echoes;
                if echoes > 0 {
                    tracing::info!(echoes, "left out the bot's own messages");
                }
                if events.len() > MAX_EVENTS_PER_REQUEST {
                    return Err(Failure::TooManyEvents {
                        count: events.len(),
                        limit: MAX_EVENTS_PER_REQUEST,
                    });
                }
                let trace = inbound.trace_header.as_deref();
                self.enqueue(&inbound.bot, events, deadline, trace, report)
                    .await?;
                Ok(Answer::ok(self.channel.accepted()))
            }
        }
    }

    /// The bot's secret, usable, and the proof that the request holds against it.
    fn authenticate<'r>(
        &self,
        request: &Request<'r>,
        cached: &Cached,
        now: SystemTime,
    ) -> Result<(C::Secret, Verified<'r>), Failure> {
        let document = cached.document.as_ref().ok_or(Failure::UnknownBot)?;
        document
            .check_fields(C::SECRET_FIELDS)
            .map_err(|unusable| Failure::SecretUnusable(unusable.to_string()))?;
        let secret: C::Secret = document.fields().map_err(Failure::SecretUnusable)?;
        let verified = verify(&self.channel, *request, &secret, now)?;
        Ok((secret, verified))
    }

    async fn enqueue(
        &self,
        bot: &str,
        events: Vec<Event>,
        deadline: Instant,
        trace: Option<&str>,
        report: &mut Report,
    ) -> Result<(), Failure> {
        if events.is_empty() {
            return Ok(());
        }
        let now = SystemTime::now();
        let received_at = crate::time::rfc3339_millis(now);
        let envelopes: Vec<Envelope> = events
            .into_iter()
            .map(|event| envelope_from(C::NAME, bot, &received_at, event))
            .collect();
        let envelopes = match &self.ledger {
            // The look-up gets a quarter of the deadline at most, so that a slow ledger still
            // leaves the enqueue its time (fail open).
            Some(ledger) => {
                let by = deadline.min(Instant::now() + self.settings.upstream_timeout / 4);
                let screened = ledger.screen(envelopes, now, by).await;
                report.duplicates = screened.duplicates;
                report.ledger_errors += usize::from(screened.missed);
                screened.fresh
            }
            None => envelopes,
        };
        if envelopes.is_empty() {
            return Ok(());
        }
        let sending = std::time::Instant::now();
        let sent = timeout_at(deadline, self.queue.send_traced(&envelopes, trace)).await;
        report.enqueue = Some(sending.elapsed());
        sent.map_err(|_| Failure::Deadline("queue"))??;
        report.enqueued = envelopes.len();
        if let Some(ledger) = &self.ledger
            && !ledger.record(&envelopes, now, deadline).await
        {
            report.ledger_errors += 1;
        }
        for envelope in &envelopes {
            tracing::info!(event_id = %Escaped(&envelope.event_id), event = envelope.event.as_str(), "enqueued");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_names_are_token_names() {
        assert!(is_valid_bot_name("demo"));
        assert!(is_valid_bot_name("Shop_Bot-2"));
        assert!(is_valid_bot_name(&"a".repeat(64)));
        assert!(!is_valid_bot_name(&"a".repeat(65)));
        assert!(!is_valid_bot_name(""));
        assert!(!is_valid_bot_name("../etc"));
        assert!(!is_valid_bot_name("a b"));
        assert!(!is_valid_bot_name("bot%2F"));
    }
}
