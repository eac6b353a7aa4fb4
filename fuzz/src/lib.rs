//! What the fuzz targets share: a channel's `receive` on the input, signed by the channel itself
//! (no signature to forge), and an arbitrary request for the verifiers, optionally signed so the
//! later checks run.

use std::time::SystemTime;

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use receivers_benches::{Outgoing, now};
use shared_core::channel::{envelope_from, verify};
use shared_core::{Channel, Outcome};

#[path = "../../tests/support/forged.rs"]
pub mod forged;

/// Authenticates `case`, which the channel signed, then normalizes it and serializes every
/// envelope, as the pipeline would.
pub fn normalize<C: Channel>(channel: &C, secret: &C::Secret, case: &Outgoing) {
    let verified = verify(channel, case.as_request(), secret, now())
        .unwrap_or_else(|rejection| panic!("a signed request is refused: {rejection}"));
    if let Ok(Outcome::Events { events, .. }) = channel.receive(&verified, secret, now()) {
        for event in events {
            let envelope = envelope_from(C::NAME, "demo", "2026-11-24T13:00:01.120Z", event);
            let _ = serde_json::to_vec(&envelope);
        }
    }
}

/// A request a verifier may see: any method, header values, query and body.
#[derive(Debug, Arbitrary)]
pub struct Input {
    pub get: bool,
    /// Sign the request as the platform does (for Apple, a token of `jwt_header` and
    /// `jwt_claims` instead, correctly signed).
    pub sign: bool,
    /// Seconds from the fixed "now" the verifier is called at.
    pub skew: i16,
    pub headers: Vec<(u8, Vec<u8>)>,
    pub query: Option<String>,
    pub jwt_header: Vec<u8>,
    pub jwt_claims: Vec<u8>,
    pub body: Vec<u8>,
}

impl Input {
    /// The request, its headers' names drawn from `names`; values that no header may hold are
    /// left out.
    pub fn case(&self, names: &[&'static str]) -> Outgoing {
        let mut headers = HeaderMap::new();
        for (index, value) in &self.headers {
            let name = names[usize::from(*index) % names.len()];
            if let Ok(value) = HeaderValue::from_bytes(value) {
                headers.append(HeaderName::from_static(name), value);
            }
        }
        Outgoing {
            method: if self.get { Method::GET } else { Method::POST },
            path_suffix: String::new(),
            query: self.query.clone(),
            headers,
            body: self.body.clone(),
        }
    }

    pub fn now(&self) -> SystemTime {
        let skew = std::time::Duration::from_secs(u64::from(self.skew.unsigned_abs()));
        if self.skew < 0 {
            now() - skew
        } else {
            now() + skew
        }
    }
}
