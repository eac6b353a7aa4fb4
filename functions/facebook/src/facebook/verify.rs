//! Who may talk to the receiver: the GET handshake's verify token and the POST body's signature.

use serde::Deserialize;
use shared::channel::{Rejection, Request};
use shared::secret::SecretString;
use shared::verify::{constant_time_eq, hex_signature_matches, hmac_sha256};

/// The header Meta signs every POST with: `sha256=` + hex HMAC-SHA256(body, app secret).
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

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

/// The GET handshake: `hub.mode=subscribe` and the bot's `hub.verify_token`, else 403.
pub fn check_handshake(request: &Request<'_>, secret: &Secret) -> Result<(), Rejection> {
    if request.query_param("hub.mode").as_deref() != Some("subscribe") {
        return Err(Rejection::Forbidden("hub.mode is not subscribe"));
    }
    let expected = secret.verify_token.expose().as_bytes();
    let given = request
        .query_param("hub.verify_token")
        .ok_or(Rejection::Forbidden("no hub.verify_token"))?;
    // An empty token in the secret is a misconfiguration, never a match.
    if expected.is_empty() || !constant_time_eq(expected, given.as_bytes()) {
        return Err(Rejection::Forbidden("wrong hub.verify_token"));
    }
    Ok(())
}

/// A POST: the body's HMAC-SHA256 under the app secret must match `X-Hub-Signature-256`, else 401.
pub fn check_signature(request: &Request<'_>, secret: &Secret) -> Result<(), Rejection> {
    let header = request
        .header(SIGNATURE_HEADER)
        .ok_or(Rejection::Unauthenticated("no X-Hub-Signature-256"))?;
    let given = header
        .trim()
        .strip_prefix("sha256=")
        .ok_or(Rejection::Unauthenticated(
            "X-Hub-Signature-256 is not sha256=<hex>",
        ))?;
    let key = secret.app_secret.expose().as_bytes();
    if key.is_empty() {
        return Err(Rejection::Unauthenticated("the bot's app_secret is empty"));
    }
    let expected = hmac_sha256(key, &[request.body]);
    if !hex_signature_matches(&expected, given) {
        return Err(Rejection::Unauthenticated(
            "X-Hub-Signature-256 does not match",
        ));
    }
    Ok(())
}
