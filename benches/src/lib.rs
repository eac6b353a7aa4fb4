//! Signed sample requests for the five channels, realistic at any size, and the per-event work
//! the benches measure: decode, authenticate, normalize, stamp and serialize each envelope.

pub mod channels;
pub mod prose;

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use shared_core::channel::envelope_from;
use shared_core::{Channel, Outcome, Rejection, Request};

/// The "now" every sample is signed for: 2026-11-24T13:00:00Z, as `shared_core::testing::fixed_now`.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_525_200)
}

/// The body limit the pipeline applies by default (1 MiB).
pub const BODY_LIMIT: usize = 1 << 20;

/// One HTTP request as a channel sees it, owned.
#[derive(Debug, Clone)]
pub struct Case {
    pub method: Method,
    pub headers: HeaderMap,
    pub query: Option<String>,
    pub path_suffix: &'static str,
    pub body: Vec<u8>,
}

impl Case {
    /// A POST of `body` with no headers yet.
    pub fn post(body: Vec<u8>) -> Self {
        Self {
            method: Method::POST,
            headers: HeaderMap::new(),
            query: None,
            path_suffix: "",
            body,
        }
    }

    /// Sets a header; the value must be a valid header value.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        let value = HeaderValue::from_str(value).expect("a valid header value");
        self.headers.insert(HeaderName::from_static(name), value);
        self
    }

    /// Sets a header when `value` is a valid header value; leaves it out otherwise.
    pub fn try_header(mut self, name: &'static str, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.insert(HeaderName::from_static(name), value);
        }
        self
    }

    pub fn request(&self) -> Request<'_> {
        Request {
            method: &self.method,
            headers: &self.headers,
            query: self.query.as_deref(),
            path_suffix: self.path_suffix,
            body: &self.body,
        }
    }
}

/// What one request costs: decode the body, authenticate, normalize, then stamp each event into
/// an envelope and serialize it as the queue would. Returns the events and the bytes serialized.
pub fn process<C: Channel>(
    channel: &C,
    secret: &C::Secret,
    request: &Request<'_>,
    now: SystemTime,
) -> Result<(usize, usize), Rejection> {
    let decoded = channel.decode_body(request, BODY_LIMIT)?;
    let request = Request {
        body: decoded.as_deref().unwrap_or(request.body),
        ..*request
    };
    channel.authenticate(&request, secret, now)?;
    let Outcome::Events { events, .. } = channel.receive(&request, secret, now)? else {
        return Ok((0, 0));
    };
    let received_at = shared_core::time::rfc3339_millis(now);
    let mut bytes = 0;
    let count = events.len();
    for event in events {
        let envelope = envelope_from(C::NAME, "demo", &received_at, event);
        let line = serde_json::to_vec(&envelope).map_err(Rejection::malformed)?;
        bytes += line.len();
    }
    Ok((count, bytes))
}

/// The fixtures directory of a channel crate.
pub fn fixtures_dir(channel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../functions")
        .join(channel)
        .join("tests/fixtures")
}

/// Every `.json` fixture of a channel (Slack's subfolders included), sorted, as (name, bytes).
pub fn fixtures(channel: &str) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut dirs = vec![fixtures_dir(channel)];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).expect("the fixtures directory is readable");
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                let name = path
                    .strip_prefix(fixtures_dir(channel))
                    .map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
                found.push((name, std::fs::read(&path).expect("a readable fixture")));
            }
        }
    }
    found.sort();
    found
}

/// The body of the knob `n` (0 ≤ `n` ≤ `limit`) whose `build(n)` comes closest to `target`
/// bytes; bodies grow with `n`, so a binary search finds it.
pub fn grow(target: usize, limit: usize, build: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let (mut low, mut high) = (0, limit);
    while low < high {
        let mid = low + (high - low) / 2;
        if build(mid).len() >= target {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let over = build(low);
    match low.checked_sub(1).map(&build) {
        Some(under) if target.saturating_sub(under.len()) < over.len().saturating_sub(target) => {
            under
        }
        _ => over,
    }
}
