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

    /// Whether the field `name` can serve as a credential: set, text, and not blank. The error
    /// names the field, never its value.
    pub fn check_field(&self, name: &'static str) -> Result<(), UnusableField> {
        match self.0.get(name) {
            None | Some(Value::Null) => Err(UnusableField::Missing(name)),
            Some(Value::String(text)) if text.trim().is_empty() => Err(UnusableField::Empty(name)),
            Some(Value::String(_)) => Ok(()),
            Some(_) => Err(UnusableField::NotText(name)),
        }
    }

    /// Checks each of `names` (a channel's authenticating fields); the first that cannot serve.
    pub fn check_fields(&self, names: &[&'static str]) -> Result<(), UnusableField> {
        names.iter().try_for_each(|name| self.check_field(name))
    }

    /// The names of the fields that are set.
    pub fn field_names(&self) -> Vec<&str> {
        self.0
            .as_object()
            .map(|map| map.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

/// Why a field of a bot's secret cannot authenticate anything. Names the field, never a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnusableField {
    #[error("missing field `{0}`")]
    Missing(&'static str),
    /// Empty or only whitespace: a key everybody knows.
    #[error("field `{0}` is empty")]
    Empty(&'static str),
    #[error("field `{0}` is not text")]
    NotText(&'static str),
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
    fn an_empty_or_blank_credential_is_unusable_and_named_without_its_value() {
        let doc = SecretDocument::parse(
            r#"{"secret_token": "", "token": " \t\n", "app_secret": "s3cr3t-value", "csp_id": 42, "bot_id": null}"#,
        )
        .unwrap();
        assert_eq!(doc.check_field("app_secret"), Ok(()));
        assert_eq!(
            doc.check_field("secret_token"),
            Err(UnusableField::Empty("secret_token"))
        );
        assert_eq!(doc.check_field("token"), Err(UnusableField::Empty("token")));
        assert_eq!(
            doc.check_field("csp_id"),
            Err(UnusableField::NotText("csp_id"))
        );
        assert_eq!(
            doc.check_field("bot_id"),
            Err(UnusableField::Missing("bot_id"))
        );
        assert_eq!(
            doc.check_field("verify_token"),
            Err(UnusableField::Missing("verify_token"))
        );
        assert_eq!(
            UnusableField::Empty("secret_token").to_string(),
            "field `secret_token` is empty"
        );
        assert_eq!(
            UnusableField::Missing("verify_token").to_string(),
            "missing field `verify_token`"
        );
        assert_eq!(
            UnusableField::NotText("csp_id").to_string(),
            "field `csp_id` is not text"
        );
    }

    #[test]
    fn every_listed_field_is_checked_in_order() {
        let doc = SecretDocument::parse(r#"{"app_secret": "a", "verify_token": "  "}"#).unwrap();
        assert_eq!(doc.check_fields(&[]), Ok(()));
        assert_eq!(doc.check_fields(&["app_secret"]), Ok(()));
        assert_eq!(
            doc.check_fields(&["app_secret", "verify_token", "access_token"]),
            Err(UnusableField::Empty("verify_token"))
        );
        assert_eq!(
            doc.check_fields(&["access_token", "verify_token"]),
            Err(UnusableField::Missing("access_token"))
        );
    }

    #[test]
    fn only_objects_are_documents() {
        assert!(SecretDocument::parse("\"text\"").is_none());
        assert!(SecretDocument::parse("not json").is_none());
    }
}
