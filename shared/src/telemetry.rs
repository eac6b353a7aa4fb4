//! Logging set-up: JSON lines in Lambda (CloudWatch), readable lines on a terminal; and the
//! X-Ray trace header an invocation passes on to the queue.

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt;
use tracing_subscriber::layer::{Layer as _, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Text,
}

/// Installs the global subscriber. The filter comes from `RUST_LOG` (`level` or
/// `target=level`, comma-separated), else `LOG_LEVEL` or `AWS_LAMBDA_LOG_LEVEL` (Lambda's
/// advanced logging: `TRACE` … `FATAL`), else `info`.
pub fn init(format: LogFormat) {
    let filter = filter(
        std::env::var("RUST_LOG").ok().as_deref(),
        ["LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL"]
            .iter()
            .find_map(|name| std::env::var(name).ok())
            .as_deref(),
    );
    let registry = tracing_subscriber::registry();
    let _ = match format {
        // Lambda adds its own timestamp and request id to every line.
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .without_time()
                    .with_writer(std::io::stdout)
                    .with_filter(filter),
            )
            .try_init(),
        LogFormat::Text => registry
            .with(
                fmt::layer()
                    .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                    .with_writer(std::io::stderr)
                    .with_filter(filter),
            )
            .try_init(),
    };
}

/// The log filter for `RUST_LOG` and the log level setting. A per-target filter, not
/// `EnvFilter`: that one's span and field matching takes a regex engine into every binary.
fn filter(rust_log: Option<&str>, level: Option<&str>) -> Targets {
    let parsed = |text: &str| {
        let text = text.trim();
        (!text.is_empty())
            .then(|| text.parse::<Targets>().ok())
            .flatten()
    };
    if let Some(targets) = rust_log.and_then(parsed) {
        return targets;
    }
    let level = level.unwrap_or("info");
    let named = match level.trim().to_ascii_lowercase().as_str() {
        "trace" => Some(LevelFilter::TRACE),
        "debug" => Some(LevelFilter::DEBUG),
        "info" => Some(LevelFilter::INFO),
        "warn" | "warning" => Some(LevelFilter::WARN),
        "error" | "fatal" => Some(LevelFilter::ERROR),
        "off" => Some(LevelFilter::OFF),
        _ => None,
    };
    // A level setting with directives (`info,shared=debug`) is read as `RUST_LOG` is; any other
    // unknown word is no target name but a mistake: the default level then.
    named
        .map(|level| Targets::new().with_default(level))
        .or_else(|| {
            level
                .contains('=')
                .then(|| parsed(&level.to_ascii_lowercase()))
                .flatten()
        })
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO))
}

/// A request-derived text as a log field: control characters (line breaks, ESC, NUL), the
/// Unicode line and paragraph separators and backslashes are escaped, so a value can neither
/// start a forged log line nor drive a terminal. Text without them is written as it is.
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let needs_escape =
            |c: char| c.is_control() || c == '\\' || c == '\u{2028}' || c == '\u{2029}';
        if !self.0.contains(needs_escape) {
            return f.write_str(self.0);
        }
        for c in self.0.chars() {
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\\' => f.write_str("\\\\")?,
                c if needs_escape(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => std::fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

/// The longest trace header passed on: X-Ray's own (`Root=…;Parent=…;Sampled=…`, with a
/// `Lineage=…`) are a fraction of it.
const MAX_TRACE_HEADER: usize = 512;

/// An X-Ray trace header as SQS takes it for `AWSTraceHeader` (`Root=1-…`, printable ASCII, at
/// most 512 bytes), or `None`: a header SQS would refuse must not cost the enqueue.
pub fn trace_header(value: &str) -> Option<String> {
    let value = value.trim();
    let usable = value.starts_with("Root=")
        && value.len() <= MAX_TRACE_HEADER
        && value.bytes().all(|b| b.is_ascii_graphic());
    usable.then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    use super::{Escaped, filter, trace_header};

    #[test]
    fn the_filter_comes_from_rust_log_then_the_level() {
        let enabled =
            |rust_log, level, target, at| filter(rust_log, level).would_enable(target, &at);
        assert!(enabled(None, None, "shared", Level::INFO));
        assert!(!enabled(None, None, "shared", Level::DEBUG));
        assert!(!enabled(None, Some("WARN"), "shared", Level::INFO));
        assert!(enabled(None, Some("WARN"), "shared", Level::WARN));
        assert!(!enabled(None, Some("FATAL"), "shared", Level::WARN));
        assert!(enabled(None, Some("FATAL"), "shared", Level::ERROR));
        assert!(enabled(None, Some("DEBUG"), "shared", Level::DEBUG));
        assert!(enabled(None, Some("nonsense level"), "shared", Level::INFO));
        assert!(!enabled(
            None,
            Some("nonsense level"),
            "shared",
            Level::DEBUG
        ));
        let rust_log = Some("warn,shared=debug");
        assert!(enabled(
            rust_log,
            Some("ERROR"),
            "shared::pipeline",
            Level::DEBUG
        ));
        assert!(!enabled(
            rust_log,
            Some("ERROR"),
            "aws_smithy_runtime",
            Level::INFO
        ));
        assert!(enabled(
            rust_log,
            Some("ERROR"),
            "aws_smithy_runtime",
            Level::WARN
        ));
        assert!(enabled(Some(" "), None, "shared", Level::INFO));
        assert!(enabled(
            Some("info,shared=debug"),
            None,
            "shared",
            Level::DEBUG
        ));
        assert!(enabled(
            None,
            Some("info,shared=debug"),
            "shared",
            Level::DEBUG
        ));
    }

    #[test]
    fn only_a_plausible_trace_header_is_passed_on() {
        let header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        assert_eq!(trace_header(header).as_deref(), Some(header));
        assert_eq!(
            trace_header(&format!(" {header}\n")).as_deref(),
            Some(header)
        );
        assert_eq!(trace_header(""), None);
        assert_eq!(trace_header("Parent=53995c3f42cd8ad8"), None);
        assert_eq!(trace_header("Root=1-5759e988 x"), None);
        assert_eq!(trace_header(&format!("Root={}", "a".repeat(600))), None);
    }

    #[test]
    fn request_text_cannot_forge_a_log_line() {
        let hostile = "demo\nINFO enqueued event_id=forged\r\u{1b}[2J\0\\n\u{2028}";
        let shown = Escaped(hostile).to_string();
        assert_eq!(
            shown,
            "demo\\nINFO enqueued event_id=forged\\r\\u{1b}[2J\\u{0}\\\\n\\u{2028}"
        );
        assert!(!shown.chars().any(char::is_control));
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            Escaped("telegram:demo:42 ünïcode").to_string(),
            "telegram:demo:42 ünïcode"
        );
    }
}
