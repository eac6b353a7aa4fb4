//! Tests of the WhatsApp channel on documented payloads (`tests/fixtures`) and the sample events.

mod auth;
mod changes;
mod messages;
mod replies;
mod samples;
mod statuses;

use http::{HeaderMap, HeaderValue, Method};
use serde_json::{Value, json};
use shared_core::channel::{Rejection, Request};
use shared_core::envelope::Envelope;
use shared_core::meta;
use shared_core::secret::SecretString;
use shared_core::testing::receive_envelopes;

use super::{Secret, WhatsApp};

pub const APP_SECRET: &str = "test-wa-app-secret-41c9";
pub const VERIFY_TOKEN: &str = "test-wa-verify-token-0be2";
/// The fixtures' WhatsApp Business Account, phone number and customer (Meta's documented examples).
pub const WABA_ID: &str = "102290129340398";
pub const PHONE_NUMBER_ID: &str = "106540352242922";
pub const DISPLAY_PHONE_NUMBER: &str = "15550783881";
pub const CUSTOMER: &str = "16505551234";
pub const CUSTOMER_NAME: &str = "Sheena Nelson";
/// The fixtures' base `timestamp`: 2026-11-24T13:00:00Z in Unix seconds (item `n` is `T + n`).
pub const T: i64 = 1_795_525_200;

pub fn secret() -> Secret {
    serde_json::from_value(json!({
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "access_token": "EAAG-test-cloud-api-token",
    }))
    .expect("the test secret deserializes")
}

/// A fixture body from `tests/fixtures/{name}.json`, as text.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The fixture's JSON, to compare `raw` with the item it came from.
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).expect("a fixture is JSON")
}

pub fn headers_with(signature: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    if let Some(signature) = signature {
        headers.insert(
            meta::SIGNATURE_HEADER,
            HeaderValue::from_str(signature).expect("a header value"),
        );
    }
    headers
}

/// `X-Hub-Signature-256` as Meta computes it for `body` under the test app secret.
pub fn signed_headers(body: &str) -> HeaderMap {
    let signature = meta::sign(body.as_bytes(), &SecretString::new(APP_SECRET));
    headers_with(Some(&signature))
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
    let headers = signed_headers(body);
    receive_envelopes(
        &WhatsApp,
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

/// The fixture's first `messages[]` (or `statuses[]`) item of its first change.
pub fn first_item(name: &str, list: &str) -> Value {
    fixture_json(name)["entry"][0]["changes"][0]["value"][list][0].clone()
}

/// The envelope's `raw`, as JSON.
pub fn raw(envelope: &Envelope) -> Value {
    serde_json::from_str(envelope.raw.get()).expect("raw is JSON")
}

/// The envelope's `context`, as JSON.
pub fn context(envelope: &Envelope) -> Value {
    Value::Object(envelope.context.clone())
}

/// The context of an event for the fixtures' phone number.
pub fn phone_context() -> Value {
    json!({
        "waba_id": WABA_ID,
        "phone_number_id": PHONE_NUMBER_ID,
        "display_phone_number": DISPLAY_PHONE_NUMBER,
    })
}

/// `T + offset` as the envelope's RFC 3339 `timestamp`.
pub fn at(offset: i64) -> Option<String> {
    shared_core::time::from_unix_seconds(T + offset)
}

/// The customer of the fixtures, named from `contacts[]`.
pub fn customer() -> shared_core::envelope::User {
    shared_core::envelope::User {
        name: Some(CUSTOMER_NAME.to_owned()),
        ..shared_core::envelope::User::id(CUSTOMER)
    }
}
