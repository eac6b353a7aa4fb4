//! The limits `receivers serve` holds every client to, from flags or the environment, checked
//! once at start-up.

use std::time::Duration;

use anyhow::bail;

/// The longest timeout taken: past it a "limit" no longer protects anything.
const MAX_TIMEOUT: Duration = Duration::from_secs(3600);
/// The most connections taken (each holds a file descriptor).
const MAX_CONNECTIONS: usize = 1 << 20;

/// The flags as given; [`Limits::from_args`] checks them.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Time a client has to send a complete request header, from its connection or from the
    /// first byte of its next request.
    #[arg(
        long,
        env = "SERVE_HEADER_TIMEOUT",
        value_name = "DURATION",
        default_value = "5s"
    )]
    pub header_timeout: String,
    /// Time a client has to send a complete request body, from the end of its header.
    #[arg(
        long,
        env = "SERVE_BODY_TIMEOUT",
        value_name = "DURATION",
        default_value = "10s"
    )]
    pub body_timeout: String,
    /// Time a keep-alive connection may wait for its next request.
    #[arg(
        long,
        env = "SERVE_IDLE_TIMEOUT",
        value_name = "DURATION",
        default_value = "30s"
    )]
    pub idle_timeout: String,
    /// Connections served at once; further ones wait in the listen backlog.
    #[arg(
        long,
        env = "SERVE_MAX_CONNECTIONS",
        value_name = "COUNT",
        default_value = "1024"
    )]
    pub max_connections: String,
    /// Bytes all request bodies being read may hold together; past it, 503.
    #[arg(
        long,
        env = "SERVE_MAX_BODY_BYTES_IN_FLIGHT",
        value_name = "BYTES",
        default_value = "64MiB"
    )]
    pub max_body_bytes_in_flight: String,
}

/// The checked limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub max_body_bytes_in_flight: usize,
}

impl Limits {
    /// Checks the flags; `body_limit` is the largest body one request may have, which the
    /// in-flight budget must hold at least.
    pub fn from_args(args: &LimitArgs, body_limit: usize) -> anyhow::Result<Self> {
        let limits = Self {
            header_timeout: timeout(
                "--header-timeout",
                "SERVE_HEADER_TIMEOUT",
                &args.header_timeout,
            )?,
            body_timeout: timeout("--body-timeout", "SERVE_BODY_TIMEOUT", &args.body_timeout)?,
            idle_timeout: timeout("--idle-timeout", "SERVE_IDLE_TIMEOUT", &args.idle_timeout)?,
            max_connections: connections(&args.max_connections)?,
            max_body_bytes_in_flight: bytes(&args.max_body_bytes_in_flight)?,
        };
        if limits.max_body_bytes_in_flight < body_limit {
            bail!(
                "--max-body-bytes-in-flight (SERVE_MAX_BODY_BYTES_IN_FLIGHT) {} is below the body limit of {body_limit} bytes (BODY_LIMIT_BYTES): a body at the limit could never be read",
                limits.max_body_bytes_in_flight
            );
        }
        Ok(limits)
    }
}

fn timeout(flag: &str, env: &str, value: &str) -> anyhow::Result<Duration> {
    match humantime::parse_duration(value.trim()) {
        Ok(duration) if !duration.is_zero() && duration <= MAX_TIMEOUT => Ok(duration),
        _ => bail!(
            "{flag} ({env}) {value:?} is not valid: expected a duration from 1ms to 1h, like 5s or 500ms"
        ),
    }
}

fn connections(value: &str) -> anyhow::Result<usize> {
    match value.trim().parse::<usize>() {
        Ok(count) if (1..=MAX_CONNECTIONS).contains(&count) => Ok(count),
        _ => bail!(
            "--max-connections (SERVE_MAX_CONNECTIONS) {value:?} is not valid: expected a whole number from 1 to {MAX_CONNECTIONS}"
        ),
    }
}

/// A byte count: a whole number, optionally followed by KiB, MiB or GiB.
fn bytes(value: &str) -> anyhow::Result<usize> {
    let text = value.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    let multiplier: Option<usize> = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => Some(1),
        "kib" => Some(1 << 10),
        "mib" => Some(1 << 20),
        "gib" => Some(1 << 30),
        _ => None,
    };
    match (digits.parse::<usize>().ok(), multiplier) {
        (Some(count), Some(multiplier)) if count > 0 => {
            if let Some(total) = count.checked_mul(multiplier) {
                return Ok(total);
            }
        }
        _ => {}
    }
    bail!(
        "--max-body-bytes-in-flight (SERVE_MAX_BODY_BYTES_IN_FLIGHT) {value:?} is not valid: expected a number of bytes, optionally with KiB, MiB or GiB, like 64MiB"
    )
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    #[derive(Debug, clap::Parser)]
    struct Flags {
        #[command(flatten)]
        limits: LimitArgs,
    }

    fn parse(flags: &[&str]) -> anyhow::Result<Limits> {
        let args = Flags::try_parse_from(std::iter::once("serve").chain(flags.iter().copied()))?;
        Limits::from_args(&args.limits, 1 << 20)
    }

    #[test]
    fn the_defaults() {
        assert_eq!(
            parse(&[]).unwrap(),
            Limits {
                header_timeout: Duration::from_secs(5),
                body_timeout: Duration::from_secs(10),
                idle_timeout: Duration::from_secs(30),
                max_connections: 1024,
                max_body_bytes_in_flight: 64 << 20,
            }
        );
    }

    #[test]
    fn flags_in_their_units() {
        let limits = parse(&[
            "--header-timeout",
            "750ms",
            "--body-timeout",
            "1m",
            "--idle-timeout",
            "2s",
            "--max-connections",
            "10",
            "--max-body-bytes-in-flight",
            "3MiB",
        ])
        .unwrap();
        assert_eq!(limits.header_timeout, Duration::from_millis(750));
        assert_eq!(limits.body_timeout, Duration::from_secs(60));
        assert_eq!(limits.idle_timeout, Duration::from_secs(2));
        assert_eq!(limits.max_connections, 10);
        assert_eq!(limits.max_body_bytes_in_flight, 3 << 20);
        assert_eq!(bytes("2097152").unwrap(), 2 << 20);
        assert_eq!(bytes("512 KiB").unwrap(), 512 << 10);
        assert_eq!(bytes("1gib").unwrap(), 1 << 30);
    }

    #[test]
    fn a_bad_value_is_one_line_naming_the_flag_and_the_variable() {
        for (flags, names) in [
            (
                ["--header-timeout", "soon"],
                ["--header-timeout", "SERVE_HEADER_TIMEOUT"],
            ),
            (
                ["--body-timeout", "0s"],
                ["--body-timeout", "SERVE_BODY_TIMEOUT"],
            ),
            (
                ["--idle-timeout", "2h"],
                ["--idle-timeout", "SERVE_IDLE_TIMEOUT"],
            ),
            (
                ["--max-connections", "0"],
                ["--max-connections", "SERVE_MAX_CONNECTIONS"],
            ),
            (
                ["--max-connections", "lots"],
                ["--max-connections", "SERVE_MAX_CONNECTIONS"],
            ),
            (
                ["--max-body-bytes-in-flight", "64MB"],
                [
                    "--max-body-bytes-in-flight",
                    "SERVE_MAX_BODY_BYTES_IN_FLIGHT",
                ],
            ),
            (
                ["--max-body-bytes-in-flight", "99999999999999999999GiB"],
                [
                    "--max-body-bytes-in-flight",
                    "SERVE_MAX_BODY_BYTES_IN_FLIGHT",
                ],
            ),
            (
                ["--max-body-bytes-in-flight", "512KiB"],
                ["body limit", "BODY_LIMIT_BYTES"],
            ),
        ] {
            let error = parse(&flags).unwrap_err().to_string();
            assert!(!error.contains('\n'), "{error}");
            for name in names {
                assert!(error.contains(name), "{flags:?}: {error}");
            }
        }
    }
}
