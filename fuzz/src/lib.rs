//! What the fuzz targets share: a channel's `receive` straight on the input (no signature to
//! forge), and an arbitrary request for the verifiers, optionally signed so the later checks run.

use std::time::SystemTime;

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use receivers_benches::{Case, now};
use shared_core::channel::envelope_from;
use shared_core::{Channel, Outcome};

/// Normalizes `case` and serializes every envelope, as the pipeline would after authenticating.
pub fn normalize<C: Channel>(channel: &C, secret: &C::Secret, case: &Case) {
    let request = case.request();
    if let Ok(Outcome::Events { events, .. }) = channel.receive(&request, secret, now()) {
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
    /// Sign the body correctly (and, for Apple, the token from `jwt_header` and `jwt_claims`).
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
    pub fn case(&self, names: &[&'static str]) -> Case {
        let mut headers = HeaderMap::new();
        for (index, value) in &self.headers {
            let name = names[usize::from(*index) % names.len()];
            if let Ok(value) = HeaderValue::from_bytes(value) {
                headers.append(HeaderName::from_static(name), value);
            }
        }
        Case {
            method: if self.get { Method::GET } else { Method::POST },
            headers,
            query: self.query.clone(),
            path_suffix: "",
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

/// `signed` with the header values of `unsigned` added where `signed` has none.
pub fn merge(mut signed: Case, unsigned: Case) -> Case {
    for (name, value) in &unsigned.headers {
        if !signed.headers.contains_key(name) {
            signed.headers.insert(name.clone(), value.clone());
        }
    }
    Case {
        method: unsigned.method,
        query: unsigned.query,
        ..signed
    }
}
