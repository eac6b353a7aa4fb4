//! Tests of the Viber channel, on the fixtures in `tests/fixtures` and the samples in `events/viber`.

mod authentication;
mod callbacks;
mod ids;
mod malformed;
mod messages;
mod samples;

use std::path::PathBuf;

use http::{HeaderMap, HeaderValue, Method};
use serde_json::Value;
use shared_core::channel::{Rejection, Request};
use shared_core::envelope::Envelope;
use shared_core::testing::receive_envelopes;
use shared_core::verify::{hmac_sha256, to_hex};

use super::{SIGNATURE_HEADER, Secret, Viber};

/// A path from the workspace root.
fn workspace_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// The demo bot's secret, from `bots.example.json`.
fn demo_secret() -> Secret {
    let text = std::fs::read_to_string(workspace_path("bots.example.json")).unwrap();
    let bots: Value = serde_json::from_str(&text).unwrap();
    serde_json::from_value(bots["receivers/viber/demo"].clone()).unwrap()
}

fn demo_token() -> String {
    demo_secret().token.expose().to_owned()
}

/// The text of `tests/fixtures/{name}.json`.
fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A request as a server hands it over: owns what `Request` borrows.
struct Posted {
    method: Method,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Posted {
    fn new(body: impl Into<Vec<u8>>, signature: Option<&str>) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        if let Some(signature) = signature {
            headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(signature).unwrap());
        }
        Self {
            method: Method::POST,
            headers,
            body: body.into(),
        }
    }

    fn request(&self) -> Request<'_> {
        Request {
            method: &self.method,
            headers: &self.headers,
            query: None,
            path_suffix: "",
            body: &self.body,
        }
    }
}

/// The hex signature Viber puts on `body` for a bot with `token`.
fn signature(token: &str, body: &[u8]) -> String {
    to_hex(&hmac_sha256(token.as_bytes(), &[body]))
}

/// `body`, signed with the demo bot's token.
fn signed(body: impl Into<Vec<u8>>) -> Posted {
    let body = body.into();
    let signature = signature(&demo_token(), &body);
    Posted::new(body, Some(&signature))
}

/// Authenticates and normalizes a signed body, as the pipeline would (schema-checked).
fn receive(body: &str) -> Result<Vec<Envelope>, Rejection> {
    receive_envelopes(&Viber, &signed(body).request(), &demo_secret())
}

/// The one envelope of a signed body.
fn receive_one(body: &str) -> Envelope {
    let mut envelopes = receive(body).unwrap();
    assert_eq!(envelopes.len(), 1, "one callback, one envelope");
    envelopes.remove(0)
}

/// The one envelope of a fixture; its `raw` must be the body, its line breaks as spaces.
fn receive_fixture(name: &str) -> Envelope {
    let body = fixture(name);
    let envelope = receive_one(&body);
    assert_eq!(
        envelope.raw.get(),
        shared_core::testing::one_line(body.trim()),
        "raw is the callback as received"
    );
    envelope
}

/// Viber's documented timestamp `1457764197627`, as the envelope shows it.
const DOC_TIME: &str = "2016-03-12T06:29:57.627Z";
