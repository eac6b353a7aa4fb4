//! Slack: the Events API, interactivity payloads and slash commands, all on one signed route.
//!
//! The body says which of the three it is: Events API bodies are JSON; interactivity comes as a
//! form with one `payload` field holding JSON; slash commands come as a form with `command`
//! (and Slack's `ssl_check=1` probe of a command's URL is answered like a handshake).

mod command;
mod events;
mod inner;
mod interactivity;
mod message;
mod payload;
mod verify;

#[cfg(test)]
mod tests;

use std::time::SystemTime;

use serde::Deserialize;
use serde_json::{Map, Value};
use shared_core::channel::{Channel, Outcome, Reply, Request, Verified};
use shared_core::sample::{Fresh, Outgoing, SignError, quoted, rewrite_field};
use shared_core::verify::sha256_hex;
use shared_core::{Rejection, SecretString};

/// The Slack channel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Slack;

/// A Slack bot's secret (`receivers/slack/{bot}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Secret {
    /// The app's signing secret: the key of `X-Slack-Signature`.
    pub signing_secret: SecretString,
    /// The bot token (`xoxb-…`), kept for the Main process.
    #[serde(default)]
    pub bot_token: Option<SecretString>,
    /// The bot's own id (`B…`): messages it posted are echoes, not events.
    #[serde(default)]
    pub bot_id: Option<String>,
}

impl Channel for Slack {
    const NAME: &'static str = "slack";
    const SECRET_FIELDS: &'static [&'static str] = &["signing_secret"];
    const SIGNATURE_HEADERS: &'static [&'static str] =
        &[verify::TIMESTAMP_HEADER, verify::SIGNATURE_HEADER];
    type Secret = Secret;

    fn authenticate(
        &self,
        request: &Request<'_>,
        secret: &Secret,
        now: SystemTime,
    ) -> Result<(), Rejection> {
        verify::check(request, secret.signing_secret.expose(), now)
    }

    fn sign(
        &self,
        request: &mut Outgoing,
        secret: &Secret,
        now: SystemTime,
    ) -> Result<(), SignError> {
        let timestamp = now
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
            .to_string();
        let signature =
            verify::signature(secret.signing_secret.expose(), &timestamp, &request.body);
        request.set_header(verify::TIMESTAMP_HEADER, &timestamp)?;
        request.set_header(verify::SIGNATURE_HEADER, &signature)
    }

    fn freshen(
        &self,
        request: &mut Outgoing,
        _secret: &Secret,
        fresh: &mut Fresh,
    ) -> Result<(), SignError> {
        request.body = fresh_body(request.body_text()?, fresh)?.into_bytes();
        Ok(())
    }

    fn receive(
        &self,
        request: &Verified<'_>,
        secret: &Secret,
        _now: SystemTime,
    ) -> Result<Outcome, Rejection> {
        let delivery = Delivery::of(request);
        let first = request.body.iter().find(|byte| !byte.is_ascii_whitespace());
        match first {
            None => Err(Rejection::malformed("empty body")),
            Some(b'{') => events::receive(request.body, secret, &delivery),
            Some(_) => {
                let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(request.body)
                    .map_err(|err| {
                        Rejection::malformed(format_args!("body is neither JSON nor a form: {err}"))
                    })?;
                if let Some((_, payload)) = fields.iter().find(|(name, _)| name == "payload") {
                    interactivity::receive(payload, &delivery)
                } else if fields.iter().any(|(name, _)| name == "command") {
                    command::receive(fields, &delivery)
                } else if fields
                    .iter()
                    .any(|(name, value)| name == "ssl_check" && value == "1")
                {
                    // Slack checking the certificate of a slash command's URL: nothing to enqueue.
                    Ok(Outcome::Handshake(Reply::text("")))
                } else {
                    Err(Rejection::malformed(
                        "form has neither `payload` nor `command`",
                    ))
                }
            }
        }
    }

    /// An empty 200: Slack posts a slash command's answer body to the user, and shows an error
    /// in a modal whose submission is answered with anything but nothing or JSON.
    fn accepted(&self) -> Reply {
        Reply::text("")
    }
}

/// New event and trigger ids and the current time in an Events API body or a form.
fn fresh_body(text: &str, fresh: &mut Fresh) -> Result<String, SignError> {
    const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    fn trigger_id(fresh: &mut Fresh) -> String {
        format!(
            "{}.{}.{}",
            fresh.number(10_000_000_000, 80_000_000_000),
            fresh.number(100_000_000, 800_000_000),
            fresh.hex(32)
        )
    }
    if text.trim_start().starts_with('{') {
        let body = rewrite_field(text, "event_id", |_| {
            Some(quoted(&format!("Ev{}", fresh.token(10, UPPER))))
        });
        let seconds = fresh.seconds();
        return Ok(rewrite_field(&body, "event_time", |_| {
            Some(seconds.to_string())
        }));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(text)
        .map_err(|err| SignError::Request(format!("the body is not a form: {err}")))?;
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(name, value)| match name.as_str() {
            "trigger_id" => (name, trigger_id(fresh)),
            "payload" => {
                let id = trigger_id(fresh);
                let value = rewrite_field(&value, "trigger_id", |_| Some(quoted(&id)));
                (name, value)
            }
            _ => (name, value),
        })
        .collect();
    serde_urlencoded::to_string(pairs)
        .map_err(|err| SignError::Request(format!("the form cannot be written: {err}")))
}

/// What every event of one request shares: Slack's retry headers and the body's fallback id.
#[derive(Debug)]
struct Delivery<'a> {
    body: &'a [u8],
    retry_num: Option<u64>,
    retry_reason: Option<&'a str>,
}

impl<'a> Delivery<'a> {
    fn of(request: &'a Request<'a>) -> Self {
        Self {
            body: request.body,
            retry_num: request
                .header("x-slack-retry-num")
                .and_then(|num| num.trim().parse().ok()),
            retry_reason: request
                .header("x-slack-retry-reason")
                .filter(|reason| !reason.is_empty()),
        }
    }

    /// `team_id`, `api_app_id`, `retry_num` and `retry_reason`, those that are known.
    fn context(&self, team_id: Option<&str>, api_app_id: Option<&str>) -> Map<String, Value> {
        let mut context = Map::new();
        let texts = [
            ("team_id", team_id),
            ("api_app_id", api_app_id),
            ("retry_reason", self.retry_reason),
        ];
        for (name, value) in texts {
            if let Some(value) = value.filter(|value| !value.is_empty()) {
                context.insert(name.to_owned(), Value::from(value));
            }
        }
        if let Some(num) = self.retry_num {
            context.insert("retry_num".to_owned(), Value::from(num));
        }
        context
    }

    /// The event id of a request that carries none: SHA-256 of the body, in hex.
    fn body_hash(&self) -> String {
        sha256_hex(self.body)
    }
}

/// The first of `candidates` that is set and not empty.
fn first_id<'a>(candidates: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    candidates
        .into_iter()
        .flatten()
        .find(|id| !id.is_empty())
        .map(str::to_owned)
}

/// A Slack `ts` (`"1355517523.000005"`) as RFC 3339, to the second.
fn ts_time(ts: &str) -> Option<String> {
    let seconds = ts.split('.').next()?.parse().ok()?;
    shared_core::time::from_unix_seconds(seconds)
}
