//! The Viber channel: REST Bot API callbacks, signed with the bot's token, one event per request.
//!
//! Viber posts each callback on its own to the webhook, signed in `X-Viber-Content-Signature`
//! (hex HMAC-SHA256 of the body keyed with the bot's auth token). The `webhook` callback that
//! Viber sends when the webhook is set is answered, not enqueued; every other callback becomes
//! one envelope.

mod message;
mod normalize;
pub mod payload;
mod verify;

#[cfg(test)]
mod tests;

use std::time::SystemTime;

use serde::Deserialize;
use serde_json::value::RawValue;
use shared_core::channel::{Channel, Outcome, Rejection, Reply, Request, Verified, parse_json};
use shared_core::sample::{Fresh, Outgoing, SignError, rewrite_field};
use shared_core::secret::SecretString;

pub use payload::{Callback, CallbackKind, MessageToken};
pub use verify::SIGNATURE_HEADER;

/// The Viber receiver.
#[derive(Debug, Clone, Copy, Default)]
pub struct Viber;

/// The bot's secret (`receivers/viber/{bot}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Secret {
    /// The bot's auth token: the key of the callbacks' HMAC signature.
    pub token: SecretString,
}

impl Channel for Viber {
    const NAME: &'static str = "viber";
    const SECRET_FIELDS: &'static [&'static str] = &["token"];
    const SIGNATURE_HEADERS: &'static [&'static str] = &[verify::SIGNATURE_HEADER];
    /// Optional event types (messages always come); the receiver normalizes every one.
    const SUBSCRIBED_KINDS: &'static [&'static str] = &[
        "delivered",
        "seen",
        "failed",
        "subscribed",
        "unsubscribed",
        "conversation_started",
    ];

    type Secret = Secret;

    fn authenticate(
        &self,
        request: &Request<'_>,
        secret: &Secret,
        _now: SystemTime,
    ) -> Result<(), Rejection> {
        verify::check_signature(request, &secret.token)
    }

    fn sign(
        &self,
        request: &mut Outgoing,
        secret: &Secret,
        _now: SystemTime,
    ) -> Result<(), SignError> {
        request.set_header(
            verify::SIGNATURE_HEADER,
            &verify::signature(&request.body, &secret.token),
        )
    }

    fn freshen(
        &self,
        request: &mut Outgoing,
        _secret: &Secret,
        fresh: &mut Fresh,
    ) -> Result<(), SignError> {
        let millis = fresh.millis();
        let body = rewrite_field(request.body_text()?, "message_token", |_| {
            Some(
                fresh
                    .number(4_000_000_000_000_000_000, 1_000_000_000_000_000_000)
                    .to_string(),
            )
        });
        let body = rewrite_field(&body, "timestamp", |_| Some(millis.to_string()));
        request.body = body.into_bytes();
        Ok(())
    }

    fn receive(
        &self,
        request: &Verified<'_>,
        _secret: &Secret,
        _now: SystemTime,
    ) -> Result<Outcome, Rejection> {
        let raw: Box<RawValue> = parse_json(request.body)?;
        let callback = Callback::parse(raw.get())
            .map_err(|err| Rejection::malformed(format_args!("not a Viber callback: {err}")))?;
        match callback.kind {
            CallbackKind::Webhook => Ok(Outcome::Handshake(Reply::text("ok"))),
            kind => Ok(Outcome::events(vec![normalize::event(
                &callback.common,
                kind,
                raw,
            )])),
        }
    }
}
