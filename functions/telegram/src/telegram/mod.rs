//! Telegram Bot API webhooks: the secret-token check and the normalization of every update.

mod content;
mod normalize;
pub mod objects;
pub mod update;

#[cfg(test)]
mod tests;

use std::time::SystemTime;

use serde::Deserialize;
use serde_json::value::RawValue;
use shared_core::SecretString;
use shared_core::channel::{Channel, Outcome, Rejection, Request, Verified};
use shared_core::sample::{Fresh, Outgoing, SignError, rewrite_field};
use shared_core::verify::constant_time_eq;

pub use update::{Update, UpdateKind};

/// The header Telegram sends with the `secret_token` given to `setWebhook`.
pub const SECRET_TOKEN_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The Telegram channel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Telegram;

/// The fields of a Telegram bot's secret that the receiver uses.
#[derive(Debug, Deserialize)]
pub struct Secret {
    /// Compared with the `X-Telegram-Bot-Api-Secret-Token` header.
    pub secret_token: SecretString,
    /// The Bot API token: kept for the Main process, not used here.
    pub token: Option<SecretString>,
}

impl Channel for Telegram {
    const NAME: &'static str = "telegram";
    const SIGNATURE_HEADERS: &'static [&'static str] = &[SECRET_TOKEN_HEADER];
    const SUBSCRIBED_KINDS: &'static [&'static str] = update::KINDS;
    const SECRET_FIELDS: &'static [&'static str] = &["secret_token"];
    type Secret = Secret;

    fn authenticate(
        &self,
        request: &Request<'_>,
        secret: &Secret,
        _now: SystemTime,
    ) -> Result<(), Rejection> {
        let given = request
            .header(SECRET_TOKEN_HEADER)
            .ok_or(Rejection::Unauthenticated("no secret token header"))?;
        let expected = secret.secret_token.expose();
        if expected.trim().is_empty() {
            // The pipeline refuses such a secret first; an empty token must never match anyway.
            return Err(Rejection::Unauthenticated(
                "the bot's secret_token is empty",
            ));
        }
        if constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            Ok(())
        } else {
            Err(Rejection::Unauthenticated("wrong secret token"))
        }
    }

    fn sign(
        &self,
        request: &mut Outgoing,
        secret: &Secret,
        _now: SystemTime,
    ) -> Result<(), SignError> {
        request.set_header(SECRET_TOKEN_HEADER, secret.secret_token.expose())
    }

    fn freshen(
        &self,
        request: &mut Outgoing,
        _secret: &Secret,
        fresh: &mut Fresh,
    ) -> Result<(), SignError> {
        let body = rewrite_field(request.body_text()?, "update_id", |_| {
            Some(fresh.number(100_000_000, 1_800_000_000).to_string())
        });
        request.body = body.into_bytes();
        Ok(())
    }

    fn receive(
        &self,
        request: &Verified<'_>,
        _secret: &Secret,
        _now: SystemTime,
    ) -> Result<Outcome, Rejection> {
        let text = std::str::from_utf8(request.body).map_err(not_an_update)?;
        let update = Update::parse(text).map_err(not_an_update)?;
        let raw = RawValue::from_string(text.trim().to_owned()).map_err(Rejection::malformed)?;
        Ok(Outcome::events(vec![normalize::event(update, raw)]))
    }
}

/// A body that is not a Telegram update: 400, with the reason.
fn not_an_update(reason: impl std::fmt::Display) -> Rejection {
    Rejection::malformed(format_args!("not a Telegram update: {reason}"))
}
