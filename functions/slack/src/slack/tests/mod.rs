//! Tests of the Slack channel, and the helpers they share: signed requests built from the
//! fixtures in `tests/fixtures`, normalized through `shared_core::testing` (schema-checked).

mod auth;
mod commands;
mod events;
mod interactivity;
mod messages;
mod samples;

use std::path::PathBuf;

use http::{HeaderMap, HeaderValue, Method};
use serde_json::Value;
use shared_core::channel::{Channel, Outcome, Request, verify};
use shared_core::envelope::Envelope;
use shared_core::testing::{fixed_now, receive_envelopes};
use shared_core::verify::{hmac_sha256, to_hex, unix_seconds};
use shared_core::{Rejection, SecretString};

use super::{Secret, Slack};

pub const SIGNING_SECRET: &str = "test-slack-signing-secret-0123456789";
/// The bot's own id in the tests' secret.
pub const OUR_BOT: &str = "B0DEMOBOT";

pub fn secret() -> Secret {
    Secret {
        signing_secret: SecretString::new(SIGNING_SECRET),
        bot_token: Some(SecretString::new("xoxb-test-bot-token-0123456789")),
        bot_id: Some(OUR_BOT.to_owned()),
    }
}

/// A request as Slack sends it.
pub struct Delivered {
    method: Method,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Delivered {
    /// A POST with the body and no headers.
    pub fn unsigned(body: impl Into<Vec<u8>>) -> Self {
        Self {
            method: Method::POST,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// Signed with the tests' signing secret at `fixed_now()`.
    pub fn signed(body: impl Into<Vec<u8>>) -> Self {
        Self::signed_at(body, now_seconds(), SIGNING_SECRET)
    }

    /// Signed with `key`, stamped `timestamp`.
    pub fn signed_at(body: impl Into<Vec<u8>>, timestamp: i64, key: &str) -> Self {
        let unsigned = Self::unsigned(body);
        let timestamp = timestamp.to_string();
        let signature = signature(key, &timestamp, &unsigned.body);
        unsigned
            .with_header("x-slack-request-timestamp", &timestamp)
            .with_header("x-slack-signature", &signature)
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers
            .insert(name, HeaderValue::from_str(value).unwrap());
        self
    }

    pub fn without_header(mut self, name: &'static str) -> Self {
        self.headers.remove(name);
        self
    }

    pub fn request(&self) -> Request<'_> {
        Request {
            method: &self.method,
            headers: &self.headers,
            query: None,
            path_suffix: "",
            body: &self.body,
        }
    }

    /// Authenticates at `fixed_now()`, then receives: what the pipeline would get.
    pub fn outcome(&self) -> Result<Outcome, Rejection> {
        let verified = verify(&Slack, self.request(), &secret(), fixed_now())?;
        Slack.receive(&verified, &secret(), fixed_now())
    }

    /// The schema-checked envelopes (bot `demo`).
    pub fn envelopes(&self) -> Result<Vec<Envelope>, Rejection> {
        receive_envelopes(&Slack, &self.request(), &secret())
    }
}

/// `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`.
pub fn signature(key: &str, timestamp: &str, body: &[u8]) -> String {
    format!(
        "v0={}",
        to_hex(&hmac_sha256(
            key.as_bytes(),
            &[b"v0:", timestamp.as_bytes(), b":", body]
        ))
    )
}

pub fn now_seconds() -> i64 {
    unix_seconds(fixed_now())
}

/// A file of `tests/fixtures`, as text.
pub fn fixture(path: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display()))
}

/// An Events API body, byte for byte as in `fixtures/events/{name}.json`.
pub fn event_body(name: &str) -> Vec<u8> {
    fixture(&format!("events/{name}.json")).into_bytes()
}

/// `payload=` + the percent-encoded JSON of `fixtures/interactivity/{name}.json`.
pub fn interaction_body(name: &str) -> Vec<u8> {
    serde_urlencoded::to_string([("payload", fixture(&format!("interactivity/{name}.json")))])
        .unwrap()
        .into_bytes()
}

/// The form-encoded fields of `fixtures/commands/{name}.json`.
pub fn command_body(name: &str) -> Vec<u8> {
    let fields: serde_json::Map<String, Value> =
        serde_json::from_str(&fixture(&format!("commands/{name}.json"))).unwrap();
    let pairs: Vec<(String, String)> = fields
        .into_iter()
        .map(|(name, value)| (name, value.as_str().unwrap().to_owned()))
        .collect();
    serde_urlencoded::to_string(pairs).unwrap().into_bytes()
}

/// The one envelope a signed body turns into.
pub fn only(body: Vec<u8>) -> Envelope {
    let mut envelopes = Delivered::signed(body).envelopes().unwrap();
    assert_eq!(envelopes.len(), 1, "{envelopes:#?}");
    envelopes.remove(0)
}

/// `raw` as a JSON value.
pub fn raw(envelope: &Envelope) -> Value {
    serde_json::from_str(envelope.raw.get()).unwrap()
}

/// The envelope's context as JSON, for comparing whole.
pub fn context(envelope: &Envelope) -> Value {
    Value::Object(envelope.context.clone())
}
