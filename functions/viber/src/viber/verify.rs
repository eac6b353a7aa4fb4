//! The callback signature: `X-Viber-Content-Signature`, hex HMAC-SHA256 of the body keyed with the bot's token.

use shared_core::channel::{Rejection, Request};
use shared_core::secret::SecretString;
use shared_core::verify::{hex_signature_matches, hmac_sha256, to_hex};

/// The header Viber signs every callback in.
pub const SIGNATURE_HEADER: &str = "x-viber-content-signature";

/// The `X-Viber-Content-Signature` Viber sends with `body` for a bot with this token.
pub fn signature(body: &[u8], token: &SecretString) -> String {
    to_hex(&hmac_sha256(token.expose().as_bytes(), &[body]))
}

/// Whether the body was signed with the bot's token; compared in constant time.
pub fn check_signature(request: &Request<'_>, token: &SecretString) -> Result<(), Rejection> {
    let Some(given) = request.header(SIGNATURE_HEADER) else {
        return Err(Rejection::Unauthenticated(
            "missing X-Viber-Content-Signature",
        ));
    };
    if token.expose().is_empty() {
        // An empty key would let anyone sign: refuse rather than accept.
        return Err(Rejection::Unauthenticated("the bot's token is empty"));
    }
    let expected = hmac_sha256(token.expose().as_bytes(), &[request.body]);
    if hex_signature_matches(&expected, given) {
        Ok(())
    } else {
        Err(Rejection::Unauthenticated(
            "X-Viber-Content-Signature does not match the body",
        ))
    }
}
