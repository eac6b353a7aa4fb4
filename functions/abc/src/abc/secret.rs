//! The bot's secret for Apple Messages for Business: the API secret that keys the JWT, the CSP id
//! the JWT is addressed to, and optionally the one business the bot answers for.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde::{Deserialize, Deserializer};
use shared_core::SecretString;

/// `receivers/abc/{bot}`: `api_secret` (base64), `csp_id`, and optionally `business_id`.
#[derive(Debug, Clone, Deserialize)]
pub struct AbcSecret {
    /// The base64 text Apple Business Register shows; its decoded bytes key HS256.
    #[serde(deserialize_with = "base64_secret")]
    pub api_secret: SecretString,
    /// The Messaging Service Provider id: the JWT audience.
    pub csp_id: String,
    /// When set, requests for any other `destination-id` are not this bot's.
    #[serde(default)]
    pub business_id: Option<String>,
}

impl AbcSecret {
    /// A secret from its parts (`api_secret` in base64); `None` when it is not base64.
    pub fn new(
        api_secret: &str,
        csp_id: impl Into<String>,
        business_id: Option<String>,
    ) -> Option<Self> {
        decode_key(api_secret)?;
        Some(Self {
            api_secret: SecretString::new(api_secret),
            csp_id: csp_id.into(),
            business_id,
        })
    }

    /// The HMAC key: the decoded `api_secret`.
    pub(crate) fn signing_key(&self) -> Option<Vec<u8>> {
        decode_key(self.api_secret.expose())
    }
}

/// Decodes base64 in either alphabet, with or without padding; empty keys are refused.
fn decode_key(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .filter(|key| !key.is_empty())
}

/// Refuses an `api_secret` that is not base64 when the secret is read, not at the first request.
fn base64_secret<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SecretString, D::Error> {
    let secret = SecretString::deserialize(deserializer)?;
    match decode_key(secret.expose()) {
        Some(_) => Ok(secret),
        None => Err(serde::de::Error::custom("api_secret is not base64")),
    }
}
