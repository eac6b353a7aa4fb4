//! Tests of the Facebook channel on documented payloads (`tests/fixtures`) and the sample events.

mod auth;
mod batch;
mod events;
mod ids;
mod messages;
mod samples;

use http::{HeaderMap, HeaderValue, Method};
use serde_json::json;
use shared_core::channel::{Channel, Outcome, Rejection, Request, verify};
use shared_core::envelope::Envelope;
use shared_core::testing::{fixed_now, receive_envelopes};
use shared_core::verify::{hmac_sha256, to_hex};

use super::{Facebook, Secret};

pub const APP_SECRET: &str = "test-app-secret-5f1c";
pub const VERIFY_TOKEN: &str = "test-verify-token-93ab";
pub const PAGE_ID: &str = "104729178325631";
pub const PSID: &str = "7381234567890123";
/// The fixtures' `timestamp`: 2026-11-24T13:00:00Z in epoch milliseconds.
pub const T: i64 = 1_795_525_200_000;

pub fn secret() -> Secret {
    serde_json::from_value(json!({
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "page_access_token": "EAAB-test-page-access-token",
    }))
    .expect("the test secret deserializes")
}

/// A fixture body from `tests/fixtures/{name}.json`, as text.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// `X-Hub-Signature-256` as Meta computes it.
pub fn signature(key: &str, body: &[u8]) -> String {
    format!("sha256={}", to_hex(&hmac_sha256(key.as_bytes(), &[body])))
}

pub fn headers_with(signature: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    if let Some(signature) = signature {
        headers.insert(
            "x-hub-signature-256",
            HeaderValue::from_str(signature).expect("a header value"),
        );
    }
    headers
}

pub fn post_request<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> Request<'a> {
    Request {
        method: &Method::POST,
        headers,
        query: None,
        path_suffix: "",
        body,
    }
}

/// A correctly signed POST of `body`, through authenticate + receive, each envelope schema-checked.
pub fn envelopes(body: &str) -> Result<Vec<Envelope>, Rejection> {
    let headers = headers_with(Some(&signature(APP_SECRET, body.as_bytes())));
    receive_envelopes(
        &Facebook,
        &post_request(&headers, body.as_bytes()),
        &secret(),
    )
}

/// The envelopes of a fixture, which must be accepted.
pub fn fixture_envelopes(name: &str) -> Vec<Envelope> {
    envelopes(&fixture(name)).unwrap_or_else(|rejection| panic!("{name}: {rejection}"))
}

/// The one envelope of a fixture.
pub fn only_envelope(name: &str) -> Envelope {
    let mut all = fixture_envelopes(name);
    assert_eq!(all.len(), 1, "{name}: {all:#?}");
    all.remove(0)
}

/// A signed POST through authenticate + receive, for what the envelopes do not show (echo counts).
pub fn outcome(body: &str) -> Outcome {
    let headers = headers_with(Some(&signature(APP_SECRET, body.as_bytes())));
    let request = post_request(&headers, body.as_bytes());
    let verified = verify(&Facebook, request, &secret(), fixed_now()).expect("authenticated");
    Facebook
        .receive(&verified, &secret(), fixed_now())
        .expect("received")
}

/// The envelope's `context`, as JSON.
pub fn context(envelope: &Envelope) -> serde_json::Value {
    serde_json::Value::Object(envelope.context.clone())
}

/// The messaging context of a page entry.
pub fn page_context(source: &str) -> serde_json::Value {
    json!({ "page_id": PAGE_ID, "source": source })
}

pub fn rfc3339(millis: i64) -> Option<String> {
    shared_core::time::from_unix_millis(millis)
}
