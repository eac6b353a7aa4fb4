//! CloudWatch Embedded Metric Format: one JSON object on one line per Lambda invocation,
//! serialized into a buffer kept across invocations and written with one `write_all`.
//!
//! Every object declares the metrics under the dimension sets `[channel]` and `[channel, bot]`;
//! a refused request's object also declares `Rejected` under `[channel, reason]` and
//! `[channel, bot, reason]`, so that an alarm can watch one bot's signature failures.

use std::io::{self, Write};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::{NAMESPACE, Report, millis};
use crate::config::ConfigError;

const BY_BOT: &[&[&str]] = &[&["channel"], &["channel", "bot"]];
const BY_REASON: &[&[&str]] = &[&["channel", "reason"], &["channel", "bot", "reason"]];

#[derive(Debug, Serialize)]
struct Metric {
    #[serde(rename = "Name")]
    name: &'static str,
    #[serde(rename = "Unit")]
    unit: &'static str,
}

const fn metric(name: &'static str, unit: &'static str) -> Metric {
    Metric { name, unit }
}

/// Every metric of an invocation; `EnqueueMs` (last) only when something was sent.
const METRICS: [Metric; 10] = [
    metric("Requests", "Count"),
    metric("Enqueued", "Count"),
    metric("Duplicates", "Count"),
    metric("Echoes", "Count"),
    metric("LedgerErrors", "Count"),
    metric("Rejected", "Count"),
    metric("Unavailable", "Count"),
    metric("ColdStart", "Count"),
    metric("HandlerMs", "Milliseconds"),
    metric("EnqueueMs", "Milliseconds"),
];
const REJECTED: [Metric; 1] = [metric("Rejected", "Count")];

#[derive(Serialize)]
struct Directive<'a> {
    #[serde(rename = "Namespace")]
    namespace: &'static str,
    #[serde(rename = "Dimensions")]
    dimensions: &'static [&'static [&'static str]],
    #[serde(rename = "Metrics")]
    metrics: &'a [Metric],
}

#[derive(Serialize)]
struct Metadata<'a> {
    #[serde(rename = "Timestamp")]
    timestamp: u64,
    #[serde(rename = "CloudWatchMetrics")]
    directives: &'a [Directive<'a>],
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Object<'a> {
    #[serde(rename = "_aws")]
    aws: Metadata<'a>,
    /// Lambda's log-level filter reads this key, and drops a line without it below `INFO`.
    #[serde(rename = "level")]
    level: &'static str,
    #[serde(rename = "channel")]
    channel: &'a str,
    #[serde(rename = "bot")]
    bot: &'a str,
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    requests: u8,
    enqueued: usize,
    duplicates: usize,
    echoes: usize,
    ledger_errors: usize,
    rejected: u8,
    unavailable: u8,
    cold_start: u8,
    handler_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    enqueue_ms: Option<f64>,
}

/// Formats reports as EMF lines; the first one of a process counts the cold start.
#[derive(Debug)]
pub struct Emf {
    buffer: Vec<u8>,
    cold: bool,
    level: &'static str,
}

impl Default for Emf {
    fn default() -> Self {
        Self::new()
    }
}

impl Emf {
    pub fn new() -> Self {
        Self::at_level("INFO")
    }

    /// Objects whose `level` is `level`: the function's application log level
    /// (`AWS_LAMBDA_LOG_LEVEL`), so that Lambda's log-level filter never drops them.
    pub fn at_level(level: &'static str) -> Self {
        Self {
            buffer: Vec::with_capacity(1024),
            cold: true,
            level,
        }
    }

    /// Writes `report` as one line (the object and a line break) to `out`, in one `write_all`.
    pub fn write(
        &mut self,
        report: &Report,
        timestamp_ms: u64,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let enqueue_ms = report.enqueue.map(millis);
        let metrics = if enqueue_ms.is_some() {
            &METRICS[..]
        } else {
            &METRICS[..METRICS.len() - 1]
        };
        let directives = [
            Directive {
                namespace: NAMESPACE,
                dimensions: BY_BOT,
                metrics,
            },
            Directive {
                namespace: NAMESPACE,
                dimensions: BY_REASON,
                metrics: &REJECTED,
            },
        ];
        let declared = if report.rejected.is_some() { 2 } else { 1 };
        let object = Object {
            aws: Metadata {
                timestamp: timestamp_ms,
                directives: &directives[..declared],
            },
            level: self.level,
            channel: report.channel,
            bot: &report.bot,
            reason: report.rejected.map(super::Reason::as_str),
            requests: 1,
            enqueued: report.enqueued,
            duplicates: report.duplicates,
            echoes: report.echoes,
            ledger_errors: report.ledger_errors,
            rejected: u8::from(report.rejected.is_some()),
            unavailable: u8::from(report.unavailable),
            cold_start: u8::from(self.cold),
            handler_ms: millis(report.handler),
            enqueue_ms,
        };
        self.buffer.clear();
        serde_json::to_writer(&mut self.buffer, &object).map_err(io::Error::other)?;
        self.buffer.push(b'\n');
        self.cold = false;
        out.write_all(&self.buffer)?;
        out.flush()
    }
}

/// One of the levels Lambda's filter knows, as it spells them; `INFO` for anything else.
pub(super) fn lambda_level(level: &str) -> &'static str {
    ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(level.trim()))
        .unwrap_or("INFO")
}

/// Where each invocation's object goes: stdout in Lambda, any writer in tests, nowhere when
/// metrics are off.
pub struct EmfSink {
    state: Option<Mutex<(Emf, Box<dyn Write + Send>)>>,
}

impl std::fmt::Debug for EmfSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmfSink")
            .field("on", &self.state.is_some())
            .finish()
    }
}

impl EmfSink {
    /// Objects to `out`.
    pub fn to(out: impl Write + Send + 'static) -> Self {
        Self::with(Emf::new(), out)
    }

    fn with(emf: Emf, out: impl Write + Send + 'static) -> Self {
        Self {
            state: Some(Mutex::new((emf, Box::new(out)))),
        }
    }

    /// Objects to stdout, where Lambda hands them to CloudWatch Logs, at the function's log
    /// level (`AWS_LAMBDA_LOG_LEVEL`, set by Lambda's advanced logging controls; else `INFO`).
    pub fn stdout() -> Self {
        let level = std::env::var("AWS_LAMBDA_LOG_LEVEL").unwrap_or_default();
        Self::with(Emf::at_level(lambda_level(&level)), io::stdout())
    }

    /// No objects.
    pub fn off() -> Self {
        Self { state: None }
    }

    /// To stdout unless `METRICS=off`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(if super::enabled_from_env()? {
            Self::stdout()
        } else {
            Self::off()
        })
    }

    pub fn is_on(&self) -> bool {
        self.state.is_some()
    }

    /// Writes the report's object, stamped now. A failed write loses that object only.
    pub fn emit(&self, report: &Report) {
        let Some(state) = &self.state else { return };
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            });
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        let (emf, out) = &mut *state;
        if let Err(err) = emf.write(report, timestamp, out.as_mut()) {
            tracing::warn!(error = %err, "could not write the invocation's metrics");
        }
    }
}
