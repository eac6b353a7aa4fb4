//! Requests as a platform sends them, made by the channel crates themselves: [`Outgoing`] (what
//! [`crate::Channel::sign`] signs) and [`Fresh`] values for a sample's ids and times, so
//! `receivers simulate`, the tests, the benches and the fuzz seeds never sign on their own.

mod rewrite;

use std::time::{SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use sha2::{Digest as _, Sha256};

use crate::channel::Request;

pub use rewrite::{quoted, rewrite_field};

/// An HTTP request as the platform sends it, owned: method, the path after `/{channel}/{bot}`,
/// query, headers, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub method: Method,
    pub path_suffix: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Outgoing {
    /// A POST of `body`, with no headers yet.
    pub fn post(body: impl Into<Vec<u8>>) -> Self {
        Self {
            method: Method::POST,
            path_suffix: String::new(),
            query: None,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// A GET with this query string and no body.
    pub fn get(query: impl Into<String>) -> Self {
        Self {
            method: Method::GET,
            query: Some(query.into()),
            ..Self::post(Vec::new())
        }
    }

    /// Sets (replaces) a header; a value that is not a valid header value is an error.
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), SignError> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| SignError::Request(format!("{name:?} is not a header name")))?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            SignError::Request(format!("the value of {name} is not a header value"))
        })?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body as text, for channels whose bodies are JSON or forms.
    pub fn body_text(&self) -> Result<&str, SignError> {
        std::str::from_utf8(&self.body)
            .map_err(|_| SignError::Request("the body is not UTF-8".to_owned()))
    }

    /// The request as a channel reads it.
    pub fn as_request(&self) -> Request<'_> {
        Request {
            method: &self.method,
            headers: &self.headers,
            query: self.query.as_deref(),
            path_suffix: &self.path_suffix,
            body: &self.body,
        }
    }
}

/// Why a request could not be signed or made fresh.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The secret lacks what signing needs (named, never its value).
    #[error("the bot's secret cannot sign: {0}")]
    Secret(String),
    /// The request is not what the platform sends.
    #[error("the request cannot be signed: {0}")]
    Request(String),
}

/// New values for a sample's ids and times: the moment of the simulation, and numbers and
/// tokens derived from a seed (random in `receivers simulate`, fixed in tests).
#[derive(Debug, Clone)]
pub struct Fresh {
    now: SystemTime,
    seed: u64,
    drawn: u64,
}

impl Fresh {
    pub fn new(now: SystemTime, seed: u64) -> Self {
        Self {
            now,
            seed,
            drawn: 0,
        }
    }

    pub fn now(&self) -> SystemTime {
        self.now
    }

    /// Unix seconds of `now`.
    pub fn seconds(&self) -> u64 {
        self.now
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
    }

    /// Unix milliseconds of `now`.
    pub fn millis(&self) -> u64 {
        u64::try_from(
            self.now
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis(),
        )
        .unwrap_or(u64::MAX)
    }

    fn next(&mut self) -> [u8; 32] {
        self.drawn += 1;
        let mut hash = Sha256::new();
        hash.update(self.seed.to_le_bytes());
        hash.update(self.drawn.to_le_bytes());
        hash.finalize().into()
    }

    /// A number in `[low, low + span)`.
    pub fn number(&mut self, low: u64, span: u64) -> u64 {
        let bytes = self.next();
        let mut first = [0u8; 8];
        first.copy_from_slice(&bytes[..8]);
        low + u64::from_le_bytes(first) % span.max(1)
    }

    /// `len` characters drawn from `alphabet`.
    pub fn token(&mut self, len: usize, alphabet: &[u8]) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            for byte in self.next() {
                if out.len() < len && !alphabet.is_empty() {
                    out.push(char::from(alphabet[usize::from(byte) % alphabet.len()]));
                }
            }
        }
        out
    }

    /// `len` lower-case hex digits.
    pub fn hex(&mut self, len: usize) -> String {
        self.token(len, b"0123456789abcdef")
    }

    /// A version 4 UUID, lower case.
    pub fn uuid(&mut self) -> String {
        let hex = self.hex(32);
        format!(
            "{}-{}-4{}-{}{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[13..16],
            ["8", "9", "a", "b"][usize::from(hex.as_bytes()[16] % 4)],
            &hex[17..20],
            &hex[20..32]
        )
    }
}

/// Letters and digits, as most platform ids use.
pub const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_values_differ_by_seed_and_draw_and_repeat_by_seed() {
        let now = UNIX_EPOCH;
        let (mut a, mut b) = (Fresh::new(now, 1), Fresh::new(now, 1));
        assert_eq!(a.hex(40), b.hex(40));
        assert_ne!(a.hex(40), b.hex(40).to_uppercase());
        let mut c = Fresh::new(now, 2);
        assert_ne!(Fresh::new(now, 1).hex(40), c.hex(40));
        let n = a.number(100, 10);
        assert!((100..110).contains(&n));
        let uuid = a.uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
    }

    #[test]
    fn headers_are_checked() {
        let mut request = Outgoing::post(b"{}".to_vec());
        request.set_header("X-Test", "ok").unwrap();
        assert_eq!(request.header("x-test"), Some("ok"));
        assert!(request.set_header("X-Test", "bad\nvalue").is_err());
    }
}
