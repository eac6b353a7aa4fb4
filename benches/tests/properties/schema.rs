//! The schema check of the properties: every violation fails the case, except the known issues
//! below, each pinned by an ignored test in `normalize.rs` (run them with `--ignored`).

use std::sync::OnceLock;

use serde_json::Value;
use shared::Envelope;

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(shared::testing::SCHEMA).expect("JSON");
        jsonschema::validator_for(&schema).expect("a valid JSON Schema")
    })
}

/// A violation the channels are known to make on hostile input (see `normalize.rs`).
fn known_issue(envelope: &Envelope, path: &str) -> bool {
    let line_break = |text: &str| text.contains(['\n', '\r', '\u{2028}', '\u{2029}']);
    match path {
        // An id from the body with a line break (Facebook mid, Slack event_id, Apple id).
        "/event_id" => line_break(&envelope.event_id),
        // Telegram passes a location's coordinates on unchecked.
        "/message/location/lat" | "/message/location/lon" => envelope.channel == "telegram",
        // Facebook falls back to the entry's id, which may be empty, for an unparsable item.
        "/chat_id" => envelope.channel == "facebook" && envelope.chat_id.is_empty(),
        _ => false,
    }
}

/// Panics with the violations of `envelope` that are not known issues.
pub fn check(envelope: &Envelope) {
    let value = serde_json::to_value(envelope).expect("an envelope serializes");
    let errors: Vec<String> = validator()
        .iter_errors(&value)
        .map(|err| (err.to_string(), err.instance_path().to_string()))
        .filter(|(_, path)| !known_issue(envelope, path))
        .map(|(err, path)| format!("{err} at {path}"))
        .collect();
    assert!(
        errors.is_empty(),
        "envelope does not match the schema: {errors:#?}\n{value:#}"
    );
}
