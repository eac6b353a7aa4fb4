//! Secret values that never show in logs, errors or `Debug` output.

use std::fmt;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A credential string; `Debug` prints only its length.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretString(redacted, {} bytes)", self.0.len())
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// A bot's secret as stored: a JSON object. `Debug` lists its field names, not its values.
#[derive(Clone, PartialEq)]
pub struct SecretDocument(Value);

impl SecretDocument {
    /// Parses the stored text; `None` when it is not a JSON object.
    pub fn parse(text: &str) -> Option<Self> {
        match serde_json::from_str(text) {
            Ok(value @ Value::Object(_)) => Some(Self(value)),
            _ => None,
        }
    }

    /// Wraps a JSON value; `None` when it is not an object.
    pub fn from_value(value: Value) -> Option<Self> {
        value.is_object().then_some(Self(value))
    }

    /// The fields a channel needs, typed. The error names a missing field but never a value.
    pub fn fields<T: for<'de> Deserialize<'de>>(&self) -> Result<T, String> {
        T::deserialize(&self.0).map_err(|err| {
            let text = err.to_string();
            if text.starts_with("missing field") {
                text
            } else {
                "a field has the wrong type (expected text)".to_owned()
            }
        })
    }

    /// The names of the fields that are set.
    pub fn field_names(&self) -> Vec<&str> {
        self.0
            .as_object()
            .map(|map| map.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

impl fmt::Debug for SecretDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretDocument")
            .field("fields", &self.field_names())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Needs {
        #[allow(dead_code)]
        token: SecretString,
    }

    #[test]
    fn debug_shows_no_value() {
        let doc = SecretDocument::parse(r#"{"token":"hunter2-very-secret"}"#).unwrap();
        let needs: Needs = doc.fields().unwrap();
        let printed = format!("{doc:?} {needs:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("token"));
    }

    #[test]
    fn type_errors_do_not_echo_the_value() {
        let doc = SecretDocument::parse(r#"{"token": 987654321}"#).unwrap();
        let err = doc.fields::<Needs>().unwrap_err();
        assert!(!err.contains("987654321"), "{err}");
        let missing = SecretDocument::parse("{}")
            .unwrap()
            .fields::<Needs>()
            .unwrap_err();
        assert_eq!(missing, "missing field `token`");
    }

    #[test]
    fn only_objects_are_documents() {
        assert!(SecretDocument::parse("\"text\"").is_none());
        assert!(SecretDocument::parse("not json").is_none());
    }
}
