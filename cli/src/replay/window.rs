//! Which envelopes a replay takes: the spool's lines whose `received_at` lies in `[from, to)`,
//! of the channel and bot asked for; times are RFC 3339 or a time ago (`2h`).

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::time::SystemTime;

use shared::Envelope;

/// A time: RFC 3339 (`2026-11-24T13:00:00Z`), `now`, or a time ago (`90s`, `30m`, `2h`, `1d`).
pub fn parse_time(text: &str) -> Result<SystemTime, String> {
    parse_time_at(text, SystemTime::now())
}

fn parse_time_at(text: &str, now: SystemTime) -> Result<SystemTime, String> {
    let text = text.trim();
    if text == "now" {
        return Ok(now);
    }
    if let Ok(time) = humantime::parse_rfc3339_weak(text) {
        return Ok(time);
    }
    humantime::parse_duration(text)
        .ok()
        .and_then(|ago| now.checked_sub(ago))
        .ok_or_else(|| {
            "expected an RFC 3339 time (2026-11-24T13:00:00Z), `now`, or a time ago (30m, 2h, 1d)"
                .to_owned()
        })
}

/// A value of `--to`: the window's end, or the receivers' URL (anything with `://`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToValue {
    Time(SystemTime),
    Url(String),
}

pub fn parse_to(text: &str) -> Result<ToValue, String> {
    if !text.contains("://") {
        return parse_time(text).map(ToValue::Time);
    }
    let url = reqwest::Url::parse(text).map_err(|err| format!("not a URL: {err}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("expected an http(s) URL such as https://api.example.com".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err("expected a base URL without credentials, ?query or #fragment".to_owned());
    }
    Ok(ToValue::Url(text.trim_end_matches('/').to_owned()))
}

/// What to take.
#[derive(Debug, Clone)]
pub struct Selection {
    pub from: SystemTime,
    pub to: SystemTime,
    pub channel: Option<String>,
    pub bot: Option<String>,
}

impl Selection {
    fn takes(&self, envelope: &Envelope, received: SystemTime) -> bool {
        (self.from..self.to).contains(&received)
            && self.channel.as_ref().is_none_or(|c| *c == envelope.channel)
            && self.bot.as_ref().is_none_or(|b| *b == envelope.bot)
    }
}

/// What the spool held.
#[derive(Debug, Default)]
pub struct Taken {
    /// The envelopes selected, in spool order.
    pub envelopes: Vec<Envelope>,
    /// Complete lines read.
    pub lines: u64,
    /// Lines that are not an envelope with a readable `received_at`.
    pub unreadable: u64,
    /// A last line still being written (no line break yet): left out.
    pub incomplete: bool,
}

/// Reads the spool at `path` and keeps what `selection` takes.
pub fn read(path: &Path, selection: &Selection) -> std::io::Result<Taken> {
    let mut reader = BufReader::new(std::fs::File::open(path)?);
    let mut taken = Taken::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(taken);
        }
        if !line.ends_with(b"\n") {
            taken.incomplete = true;
            return Ok(taken);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        taken.lines += 1;
        let envelope = serde_json::from_slice::<Envelope>(&line).ok();
        let received = envelope
            .as_ref()
            .and_then(|envelope| humantime::parse_rfc3339_weak(&envelope.received_at).ok());
        match (envelope, received) {
            (Some(envelope), Some(received)) => {
                if selection.takes(&envelope, received) {
                    taken.envelopes.push(envelope);
                }
            }
            _ => taken.unreadable += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn times_are_rfc3339_now_or_ago() {
        let now =
            humantime::parse_rfc3339("2026-11-24T13:00:00Z").unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            parse_time_at("2026-11-24T12:00:00.500Z", now),
            Ok(now - Duration::from_millis(3_599_500))
        );
        assert_eq!(
            parse_time_at("2h", now),
            Ok(now - Duration::from_secs(7200))
        );
        assert_eq!(parse_time_at(" now ", now), Ok(now));
        assert!(parse_time_at("yesterday", now).is_err());
        assert!(parse_time_at("", now).is_err());
    }

    #[test]
    fn to_is_a_time_or_a_base_url() {
        assert!(matches!(parse_to("1h"), Ok(ToValue::Time(_))));
        assert_eq!(
            parse_to("http://127.0.0.1:3000/"),
            Ok(ToValue::Url("http://127.0.0.1:3000".to_owned()))
        );
        assert!(parse_to("ftp://host").is_err());
        assert!(parse_to("https://user:pw@host").is_err());
        assert!(parse_to("https://host/?token=x").is_err());
    }
}
