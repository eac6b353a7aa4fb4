//! What each request came to, counted once by the pipeline ([`Report`]) and written out two
//! ways: one CloudWatch Embedded Metric Format object per Lambda invocation ([`emf`]) and the
//! Prometheus counters of `receivers serve` ([`prometheus`]). No AWS SDK here: the only output
//! is the writer handed in.

pub mod emf;
pub mod prometheus;

use std::time::Duration;

use crate::channel::Rejection;
use crate::config::ConfigError;
use crate::http::Failure;

/// The CloudWatch namespace of every metric.
pub const NAMESPACE: &str = "MessengerReceivers";

/// The `bot` dimension of a request whose bot has no secret, or that was refused before the
/// secret was looked up: the values of `bot` stay bounded by the bots configured, whatever
/// path segments a sender makes up.
pub const UNKNOWN_BOT: &str = "unknown";

/// Why a request was refused, as the `reason` dimension of `Rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// 401 or 403: a wrong signature, secret token, JWT or verify token, or a stale timestamp.
    Signature,
    /// 404: no secret for the bot, or addressed to another page or business.
    UnknownBot,
    /// 400: a body the platform does not send.
    Malformed,
    /// 413: a body (or its inflated form) over the limit, or too many events.
    TooLarge,
    /// 405.
    Method,
}

impl Reason {
    pub const ALL: [Self; 5] = [
        Self::Signature,
        Self::UnknownBot,
        Self::Malformed,
        Self::TooLarge,
        Self::Method,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Signature => "signature",
            Self::UnknownBot => "unknown_bot",
            Self::Malformed => "malformed",
            Self::TooLarge => "too_large",
            Self::Method => "method",
        }
    }

    /// The reason a failure is counted under; `None` for an outage (counted as `Unavailable`).
    pub fn of(failure: &Failure) -> Option<Self> {
        match failure {
            Failure::MethodNotAllowed { .. } => Some(Self::Method),
            Failure::TooLarge { .. }
            | Failure::TooManyEvents { .. }
            | Failure::Rejected(Rejection::TooLarge) => Some(Self::TooLarge),
            Failure::UnknownBot | Failure::Rejected(Rejection::NotThisBot(_)) => {
                Some(Self::UnknownBot)
            }
            Failure::Rejected(Rejection::Unauthenticated(_) | Rejection::Forbidden(_)) => {
                Some(Self::Signature)
            }
            Failure::Rejected(Rejection::Malformed(_)) => Some(Self::Malformed),
            Failure::SecretUnusable(_)
            | Failure::SecretStore(_)
            | Failure::Queue(_)
            | Failure::Deadline(_) => None,
        }
    }
}

/// What one request came to. Every report counts one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub channel: &'static str,
    /// The bot's name once its secret was found, else [`UNKNOWN_BOT`].
    pub bot: String,
    /// Envelopes the queue took.
    pub enqueued: usize,
    /// Envelopes the ledger kept off the queue (enqueued before, within its horizon).
    pub duplicates: usize,
    /// Ledger calls that failed or ran out of time (the look-up, the record): the request went
    /// on without it (fail open).
    pub ledger_errors: usize,
    /// The bot's own messages left out.
    pub echoes: usize,
    /// Why the request was refused (4xx).
    pub rejected: Option<Reason>,
    /// Answered 503: the queue or the secret store was out of reach.
    pub unavailable: bool,
    /// How long the queue took to take the envelopes (or to fail), when any were sent.
    pub enqueue: Option<Duration>,
    /// From the request handed to the pipeline to its answer.
    pub handler: Duration,
}

impl Report {
    /// A request to `channel` that has come to nothing yet.
    pub fn new(channel: &'static str) -> Self {
        Self {
            channel,
            bot: UNKNOWN_BOT.to_owned(),
            enqueued: 0,
            duplicates: 0,
            ledger_errors: 0,
            echoes: 0,
            rejected: None,
            unavailable: false,
            enqueue: None,
            handler: Duration::ZERO,
        }
    }

    /// Counts the failure the request ended with: a rejection with its reason, or an outage.
    pub fn failed(&mut self, failure: &Failure) {
        match Reason::of(failure) {
            Some(reason) => self.rejected = Some(reason),
            None => self.unavailable = true,
        }
    }
}

/// A duration in milliseconds, to the microsecond.
pub fn millis(duration: Duration) -> f64 {
    // Microseconds fit an f64 exactly for 285 years.
    #[allow(clippy::cast_precision_loss)]
    let micros = duration.as_micros() as f64;
    micros / 1000.0
}

/// `METRICS`: `on` (the default) or `off`; `true`/`false` and `1`/`0` are taken too.
pub fn enabled_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<bool, ConfigError> {
    let Some(value) = lookup("METRICS") else {
        return Ok(true);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "on" | "true" | "1" => Ok(true),
        "off" | "false" | "0" => Ok(false),
        _ => Err(ConfigError::Invalid {
            name: "METRICS",
            value,
            reason: "expected on or off",
        }),
    }
}

/// `METRICS` from the process environment.
pub fn enabled_from_env() -> Result<bool, ConfigError> {
    enabled_from_lookup(|name| std::env::var(name).ok())
}

#[cfg(test)]
mod tests;
