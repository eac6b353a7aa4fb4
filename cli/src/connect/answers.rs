//! Reading the platforms' JSON answers for messages.

use serde_json::Value;

use crate::platform_api::Answer;

/// A field of a JSON answer as text, for messages.
pub fn text(value: &Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The platform's status when its answer is not the JSON it documents.
pub fn unexpected(answer: &Answer) -> String {
    format!("unexpected answer {}", answer.status)
}
