//! The same reports as Prometheus counters, for `GET /metrics` of `receivers serve`: totals by
//! channel and bot (rejections also by reason) and duration histograms by channel, in the text
//! exposition format.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use super::{Reason, Report};

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds of the duration buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    requests: u64,
    enqueued: u64,
    duplicates: u64,
    echoes: u64,
    ledger_errors: u64,
    unavailable: u64,
}

#[derive(Debug, Default)]
struct Histogram {
    /// Observations per bucket (not cumulative); those over the last bound are only in `count`.
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, duration: Duration) {
        let seconds = duration.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.buckets[bucket] += 1;
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Debug, Default)]
struct State {
    bots: BTreeMap<(&'static str, String), Counts>,
    rejected: BTreeMap<(&'static str, String, Reason), u64>,
    handler: BTreeMap<&'static str, Histogram>,
    enqueue: BTreeMap<&'static str, Histogram>,
}

/// Counters kept since the server started.
#[derive(Debug, Default)]
pub struct Registry {
    state: Mutex<State>,
}

/// A counter: its name, what it counts, and its value in a bot's counts.
type Counter = (&'static str, &'static str, fn(&Counts) -> u64);

const COUNTERS: [Counter; 6] = [
    ("receivers_requests_total", "Requests answered.", |c| {
        c.requests
    }),
    (
        "receivers_enqueued_total",
        "Envelopes the queue took.",
        |c| c.enqueued,
    ),
    (
        "receivers_duplicates_total",
        "Envelopes the ledger kept off the queue.",
        |c| c.duplicates,
    ),
    (
        "receivers_echoes_total",
        "The bot's own messages left out.",
        |c| c.echoes,
    ),
    (
        "receivers_ledger_errors_total",
        "Ledger calls that failed or timed out; the request went on without it.",
        |c| c.ledger_errors,
    ),
    (
        "receivers_unavailable_total",
        "Requests answered 503 (queue or secret store out of reach).",
        |c| c.unavailable,
    ),
];

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one request.
    pub fn record(&self, report: &Report) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let counts = state
            .bots
            .entry((report.channel, report.bot.clone()))
            .or_default();
        counts.requests += 1;
        counts.enqueued += report.enqueued as u64;
        counts.duplicates += report.duplicates as u64;
        counts.echoes += report.echoes as u64;
        counts.ledger_errors += report.ledger_errors as u64;
        counts.unavailable += u64::from(report.unavailable);
        if let Some(reason) = report.rejected {
            *state
                .rejected
                .entry((report.channel, report.bot.clone(), reason))
                .or_default() += 1;
        }
        state
            .handler
            .entry(report.channel)
            .or_default()
            .observe(report.handler);
        if let Some(enqueue) = report.enqueue {
            state
                .enqueue
                .entry(report.channel)
                .or_default()
                .observe(enqueue);
        }
    }

    /// Every counter and histogram in the text exposition format.
    pub fn render(&self) -> String {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::with_capacity(4096);
        for (name, help, value) in COUNTERS {
            header(&mut out, name, help, "counter");
            for ((channel, bot), counts) in &state.bots {
                let _ = writeln!(
                    out,
                    "{name}{{channel=\"{}\",bot=\"{}\"}} {}",
                    Label(channel),
                    Label(bot),
                    value(counts)
                );
            }
        }
        let name = "receivers_rejected_total";
        header(
            &mut out,
            name,
            "Requests refused (4xx), by reason.",
            "counter",
        );
        for ((channel, bot, reason), count) in &state.rejected {
            let _ = writeln!(
                out,
                "{name}{{channel=\"{}\",bot=\"{}\",reason=\"{}\"}} {count}",
                Label(channel),
                Label(bot),
                reason.as_str()
            );
        }
        histogram(
            &mut out,
            "receivers_handler_seconds",
            "Time from the request to its answer.",
            &state.handler,
        );
        histogram(
            &mut out,
            "receivers_enqueue_seconds",
            "Time the queue took to take a request's envelopes.",
            &state.enqueue,
        );
        out
    }
}

fn header(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn histogram(
    out: &mut String,
    name: &str,
    help: &str,
    by_channel: &BTreeMap<&'static str, Histogram>,
) {
    header(out, name, help, "histogram");
    for (channel, histogram) in by_channel {
        let channel = Label(channel);
        let mut cumulative = 0;
        for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
            cumulative += count;
            let _ = writeln!(
                out,
                "{name}_bucket{{channel=\"{channel}\",le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{channel=\"{channel}\",le=\"+Inf\"}} {}\n\
             {name}_sum{{channel=\"{channel}\"}} {}\n\
             {name}_count{{channel=\"{channel}\"}} {}",
            histogram.count, histogram.sum, histogram.count
        );
    }
}

/// A label value with `\`, `"` and line breaks escaped, as the format requires.
struct Label<'a>(&'a str);

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '"' => f.write_str("\\\"")?,
                '\n' => f.write_str("\\n")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}
