//! The schema check of the properties: every violation fails the case.

use std::sync::OnceLock;

use serde_json::Value;
use shared_core::Envelope;

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(shared_core::testing::SCHEMA).expect("JSON");
        jsonschema::validator_for(&schema).expect("a valid JSON Schema")
    })
}

/// Panics with every violation of `envelope`.
pub fn check(envelope: &Envelope) {
    let value = serde_json::to_value(envelope).expect("an envelope serializes");
    let errors: Vec<String> = validator()
        .iter_errors(&value)
        .map(|err| (err.to_string(), err.instance_path().to_string()))
        .map(|(err, path)| format!("{err} at {path}"))
        .collect();
    assert!(
        errors.is_empty(),
        "envelope does not match the schema: {errors:#?}\n{value:#}"
    );
}
