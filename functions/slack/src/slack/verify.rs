//! Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` keyed with the
//! app's signing secret, with the timestamp no more than five minutes from now.

use std::time::{Duration, SystemTime};

use shared_core::verify::{hex_signature_matches, hmac_sha256, to_hex, within};
use shared_core::{Rejection, Request};

/// How far `X-Slack-Request-Timestamp` may lie from now, either way.
pub const TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The header with the Unix time the request was signed at.
pub const TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";
/// The header with the `v0=` signature.
pub const SIGNATURE_HEADER: &str = "x-slack-signature";

/// The `X-Slack-Signature` Slack sends with `body` signed at `timestamp` (Unix seconds).
pub fn signature(signing_secret: &str, timestamp: &str, body: &[u8]) -> String {
    let mac = hmac_sha256(
        signing_secret.as_bytes(),
        &[b"v0:", timestamp.as_bytes(), b":", body],
    );
    format!("v0={}", to_hex(&mac))
}

/// Checks the request's signature headers against its body at `now`.
pub fn check(
    request: &Request<'_>,
    signing_secret: &str,
    now: SystemTime,
) -> Result<(), Rejection> {
    if signing_secret.is_empty() {
        // An empty key is a key everybody knows.
        return Err(Rejection::Unauthenticated(
            "the bot's signing secret is empty",
        ));
    }
    let timestamp = request
        .header(TIMESTAMP_HEADER)
        .ok_or(Rejection::Unauthenticated(
            "no X-Slack-Request-Timestamp header",
        ))?;
    let seconds: i64 = timestamp
        .parse()
        .map_err(|_| Rejection::Unauthenticated("X-Slack-Request-Timestamp is not a number"))?;
    if !within(seconds, now, TOLERANCE) {
        return Err(Rejection::Unauthenticated(
            "X-Slack-Request-Timestamp is more than 5 minutes from now",
        ));
    }
    let signature = request
        .header(SIGNATURE_HEADER)
        .ok_or(Rejection::Unauthenticated("no X-Slack-Signature header"))?;
    let given = signature
        .strip_prefix("v0=")
        .ok_or(Rejection::Unauthenticated(
            "X-Slack-Signature is not a v0 signature",
        ))?;
    let expected = hmac_sha256(
        signing_secret.as_bytes(),
        &[b"v0:", timestamp.as_bytes(), b":", request.body],
    );
    if hex_signature_matches(&expected, given) {
        Ok(())
    } else {
        Err(Rejection::Unauthenticated(
            "X-Slack-Signature does not match the body",
        ))
    }
}
