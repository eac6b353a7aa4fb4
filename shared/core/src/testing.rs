//! Test helpers: the envelope JSON Schema check every normalizing test runs, and sample values.

use std::sync::OnceLock;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;

use crate::channel::{Channel, Event, Outcome, Rejection, Request, envelope_from, null_raw};

use crate::envelope::{Envelope, EventKind, Message, VERSION};

/// The envelope JSON Schema, as shipped in `schema/envelope.schema.json`.
pub const SCHEMA: &str = include_str!("../../schema/envelope.schema.json");

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
        jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
    })
}

/// Panics with every violation when `envelope` does not match the schema.
pub fn assert_matches_schema(envelope: &Envelope) {
    let value = serde_json::to_value(envelope).expect("an envelope serializes");
    assert_value_matches_schema(&value);
}

/// Panics with every violation when the JSON `value` is not a valid envelope.
pub fn assert_value_matches_schema(value: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(value)
        .map(|err| format!("{} at {}", err, err.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "envelope does not match the schema: {errors:#?}\n{value:#}"
    );
}

/// A plain text-message envelope, for tests of the queue adapters.
pub fn sample_envelope(channel: &str, bot: &str, chat_id: &str, event_id: &str) -> Envelope {
    Envelope {
        version: VERSION,
        channel: channel.to_owned(),
        bot: bot.to_owned(),
        chat_id: chat_id.to_owned(),
        event: EventKind::Message,
        message: Message::text("hi"),
        user: None,
        event_id: event_id.to_owned(),
        timestamp: None,
        received_at: "2026-11-24T13:00:01.120Z".to_owned(),
        referral: None,
        context: serde_json::Map::new(),
        raw: null_raw(),
    }
}

/// A fixed "now" for signature checks in tests: 2026-11-24T13:00:00Z.
pub fn fixed_now() -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_525_200)
}

/// Authenticates a request and turns its events into envelopes (bot `demo`), as the pipeline
/// would, checking each against the schema. Panics on a handshake.
pub fn receive_envelopes<C: Channel>(
    channel: &C,
    request: &Request<'_>,
    secret: &C::Secret,
) -> Result<Vec<Envelope>, Rejection> {
    let verified = crate::channel::verify(channel, *request, secret, fixed_now())?;
    match channel.receive(&verified, secret, fixed_now())? {
        Outcome::Handshake(reply) => panic!("expected events, got the handshake reply {reply:?}"),
        Outcome::Events { events, .. } => Ok(events
            .into_iter()
            .map(|event| checked::<C>(event))
            .collect()),
    }
}

fn checked<C: Channel>(event: Event) -> Envelope {
    let envelope = envelope_from(C::NAME, "demo", "2026-11-24T13:00:01.120Z", event);
    assert_matches_schema(&envelope);
    envelope
}

/// `text` as an envelope's `raw` holds it: every CR and LF a space (see
/// [`crate::envelope::raw_on_one_line`]).
pub fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// Checks that `sign` is the inverse of `authenticate`: `request` signed with `secret` verifies,
/// and fails once any header `sign` set is dropped or the body is changed (for channels whose
/// signature covers it). Returns the signed request.
pub fn assert_sign_round_trips<C: Channel>(
    channel: &C,
    secret: &C::Secret,
    mut request: crate::sample::Outgoing,
) -> crate::sample::Outgoing {
    let now = fixed_now();
    channel
        .sign(&mut request, secret, now)
        .unwrap_or_else(|err| panic!("{}: cannot sign: {err}", C::NAME));
    if let Err(rejection) = crate::channel::verify(channel, request.as_request(), secret, now) {
        panic!("{}: a signed request is refused: {rejection}", C::NAME);
    }
    for name in C::SIGNATURE_HEADERS {
        if request.headers.contains_key(*name) {
            let mut unsigned = request.clone();
            unsigned.headers.remove(*name);
            assert!(
                crate::channel::verify(channel, unsigned.as_request(), secret, now).is_err(),
                "{}: accepted without {name}",
                C::NAME
            );
        }
    }
    request
}
