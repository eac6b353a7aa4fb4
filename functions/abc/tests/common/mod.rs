//! Test helpers: the demo bot's secret, JWTs signed the way Apple signs them, requests built from
//! the fixtures, and the envelopes the receiver makes of them.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::time::SystemTime;

use abc_receiver::{Abc, AbcSecret};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use flate2::Compression;
use flate2::write::GzEncoder;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::{Value, json};
use shared_core::testing::{fixed_now, receive_envelopes};
use shared_core::verify::{hmac_sha256, unix_seconds};
use shared_core::{Channel, Envelope, Rejection, Request};

/// `receivers/abc/demo` in bots.example.json.
pub const API_SECRET: &str = "ZGVtby1hcHBsZS1tZXNzYWdlcy1hcGktc2VjcmV0LTMy";
pub const CSP_ID: &str = "7a1b2c3d-demo-4e5f-8a9b-0c1d2e3f4a5b";

/// The business every fixture is addressed to.
pub const BUSINESS_ID: &str = "6c3e1a7b-2f4d-4e8a-9b1c-0d2e3f4a5b6c";

/// The demo bot's secret, without a business.
pub fn secret() -> AbcSecret {
    serde_json::from_value(json!({"api_secret": API_SECRET, "csp_id": CSP_ID})).unwrap()
}

/// The demo bot's secret, bound to `business_id`.
pub fn secret_for_business(business_id: &str) -> AbcSecret {
    serde_json::from_value(
        json!({"api_secret": API_SECRET, "csp_id": CSP_ID, "business_id": business_id}),
    )
    .unwrap()
}

pub fn b64url(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// A compact JWT with this header and these claims, signed HS256 with the base64 `api_secret`.
pub fn jwt_with_header(api_secret: &str, header: &Value, claims: &Value) -> String {
    let signing_input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let key = STANDARD.decode(api_secret).unwrap();
    let signature = hmac_sha256(&key, &[signing_input.as_bytes()]);
    format!("{signing_input}.{}", b64url(&signature))
}

/// An HS256 JWT with these claims, signed with the demo secret.
pub fn jwt(claims: &Value) -> String {
    jwt_with_header(API_SECRET, &json!({"alg": "HS256", "typ": "JWT"}), claims)
}

/// Apple's claims for the demo CSP, issued at `now`.
pub fn claims_at(now: SystemTime) -> Value {
    json!({"aud": CSP_ID, "iat": unix_seconds(now)})
}

/// The request headers Apple sends with `body`, with a valid token issued at the fixed "now".
pub fn headers_for(body: &Value) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let text = |field: &str| {
        body.get(field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    set(&mut headers, "content-type", "application/json");
    set(&mut headers, "id", &text("id"));
    set(&mut headers, "source-id", &text("sourceId"));
    set(&mut headers, "destination-id", &text("destinationId"));
    set(&mut headers, "device-agent", "iPhone OS");
    set(
        &mut headers,
        "capability-list",
        "AUTH,LIST,TIME,FORM,QUICK,AUTH2",
    );
    set(
        &mut headers,
        "authorization",
        &format!("Bearer {}", jwt(&claims_at(fixed_now()))),
    );
    headers
}

pub fn set(headers: &mut HeaderMap, name: &str, value: &str) {
    headers.insert(
        HeaderName::from_bytes(name.as_bytes()).unwrap(),
        HeaderValue::from_str(value).unwrap(),
    );
}

/// A fixture body as bytes.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// A fixture body as JSON.
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

/// Runs decode, authenticate and receive over `headers` and `body` as the pipeline does, with
/// the demo secret; every envelope is checked against the schema.
pub fn run(
    abc: &Abc,
    secret: &AbcSecret,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Vec<Envelope>, Rejection> {
    let method = Method::POST;
    let request = Request {
        method: &method,
        headers,
        query: None,
        path_suffix: "",
        body,
    };
    let decoded = abc.decode_body(&request, 1 << 20)?;
    let request = Request {
        body: decoded.as_deref().unwrap_or(body),
        ..request
    };
    receive_envelopes(abc, &request, secret)
}

/// The single envelope a fixture becomes, sent as Apple sends it.
pub fn envelope_of(name: &str) -> Envelope {
    let body = fixture(name);
    let mut envelopes = run(
        &Abc::default(),
        &secret(),
        &headers_for(&fixture_json(name)),
        &body,
    )
    .unwrap();
    assert_eq!(envelopes.len(), 1, "{name}: one message, one envelope");
    envelopes.remove(0)
}

/// The envelope as JSON, to compare whole parts of it.
pub fn as_json(envelope: &Envelope) -> Value {
    serde_json::to_value(envelope).unwrap()
}

/// `data`, gzip-compressed as Apple sends bodies.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Authenticates the text fixture's headers with `authorization` in place of the valid token.
pub fn check_with(
    abc: &Abc,
    secret: &AbcSecret,
    authorization: Option<&str>,
) -> Result<(), Rejection> {
    let mut headers = headers_for(&fixture_json("text"));
    headers.remove("authorization");
    if let Some(value) = authorization {
        set(&mut headers, "authorization", value);
    }
    check_headers(abc, secret, &headers, fixed_now())
}

pub fn check_headers(
    abc: &Abc,
    secret: &AbcSecret,
    headers: &HeaderMap,
    now: SystemTime,
) -> Result<(), Rejection> {
    let method = Method::POST;
    let body = fixture("text");
    let request = Request {
        method: &method,
        headers,
        query: None,
        path_suffix: "",
        body: &body,
    };
    abc.authenticate(&request, secret, now)
}

/// Whether the request was refused as unauthenticated (401).
pub fn refused(result: Result<(), Rejection>) -> bool {
    matches!(result, Err(Rejection::Unauthenticated(_)))
}
