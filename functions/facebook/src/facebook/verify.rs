//! Who may talk to the receiver: Meta's GET handshake and POST signature (`shared_core::meta`),
//! checked against a Facebook bot's secret.

use serde::Deserialize;
use shared_core::channel::{Rejection, Request};
use shared_core::meta;
use shared_core::secret::SecretString;

pub use shared_core::meta::SIGNATURE_HEADER;

/// A Facebook bot's secret (`receivers/facebook/{bot}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Secret {
    /// The Meta app's secret: the HMAC key of `X-Hub-Signature-256`.
    pub app_secret: SecretString,
    /// The token chosen when the webhook was registered, echoed by the GET handshake.
    pub verify_token: SecretString,
    /// For the Main process, which answers through the Send API; the receiver does not use it.
    #[serde(default)]
    pub page_access_token: Option<SecretString>,
}

/// The GET handshake's verify token (403 when wrong), or the POST body's signature (401).
pub fn authenticate(request: &Request<'_>, secret: &Secret) -> Result<(), Rejection> {
    meta::authenticate(request, &secret.app_secret, &secret.verify_token)
}
