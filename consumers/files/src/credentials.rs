//! The fields of a bot's secret document a download needs (DESIGN.md §3), read as
//! [`SecretString`]s so that no `Debug` output shows them; a missing or blank field is named,
//! its value never.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};
use shared_core::SecretString;
use shared_core::secret::SecretDocument;

use crate::{Channel, FetchError};

/// A credential field: set, text, not blank.
pub fn credential(
    secret: &SecretDocument,
    channel: Channel,
    field: &'static str,
) -> Result<SecretString, FetchError> {
    secret
        .check_field(field)
        .map_err(|err| FetchError::Secret {
            channel,
            reason: err.to_string(),
        })?;
    text_field(secret, channel, field)?
        .map(SecretString::new)
        .ok_or_else(|| FetchError::Secret {
            channel,
            reason: format!("missing field `{field}`"),
        })
}

/// A plain (non-secret) text field, `None` when absent or blank.
pub fn optional_field(
    secret: &SecretDocument,
    channel: Channel,
    field: &'static str,
) -> Result<Option<String>, FetchError> {
    text_field(secret, channel, field)
}

fn text_field(
    secret: &SecretDocument,
    channel: Channel,
    field: &'static str,
) -> Result<Option<String>, FetchError> {
    let fields: Map<String, Value> = secret
        .fields()
        .map_err(|reason| FetchError::Secret { channel, reason })?;
    Ok(fields
        .get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned))
}

/// Apple's `api_secret`: base64 text whose decoded bytes key the JWT (either alphabet, padded or
/// not, as the Apple receiver reads it).
pub fn apple_signing_key(secret: &SecretDocument) -> Result<Vec<u8>, FetchError> {
    let text = credential(secret, Channel::Apple, "api_secret")?;
    let text = text.expose().trim();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .filter(|key| !key.is_empty())
        .ok_or_else(|| FetchError::Secret {
            channel: Channel::Apple,
            reason: "field `api_secret` is not base64".to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(json: &str) -> SecretDocument {
        SecretDocument::parse(json).expect("a JSON object")
    }

    #[test]
    fn a_credential_is_read_and_its_absence_named_without_a_value() {
        let secret = document(r#"{"token": "123:abc", "blank": "  ", "number": 5}"#);
        let token = credential(&secret, Channel::Telegram, "token").expect("set");
        assert_eq!(token.expose(), "123:abc");
        assert!(!format!("{token:?}").contains("123:abc"));
        for field in ["missing", "blank", "number"] {
            let err = credential(&secret, Channel::Telegram, field)
                .expect_err(field)
                .to_string();
            assert!(err.contains(field), "{err}");
            assert!(!err.contains("123:abc"), "{err}");
        }
    }

    #[test]
    fn apple_keys_are_base64_of_either_alphabet() {
        let key = apple_signing_key(&document(r#"{"api_secret": "AAEC_w"}"#)).expect("base64url");
        assert_eq!(key, vec![0, 1, 2, 255]);
        let err = apple_signing_key(&document(r#"{"api_secret": "not base64!"}"#))
            .expect_err("not base64")
            .to_string();
        assert!(err.contains("api_secret"), "{err}");
        assert!(!err.contains("not base64!"), "{err}");
    }
}
