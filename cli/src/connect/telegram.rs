//! Telegram: `getMe` checks the token; `setWebhook` registers `{url}/telegram/{bot}` with a
//! fresh random `secret_token` and every update kind the receiver normalizes.

use serde_json::{Map, Value, json};
use shared::{Channel, SecretString};

use super::{Common, Identity, Platform, parse_secret, text, unexpected};
use crate::platform_api::{Answer, Body, Call, api_base};

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  TELEGRAM_BOT_TOKEN=123456:ABC… receivers connect telegram --bot mybot \\
      --url https://abc123.execute-api.us-east-1.amazonaws.com
Environment: TELEGRAM_API_URL (default https://api.telegram.org).")]
pub struct Args {
    /// The bot's token, from @BotFather.
    #[arg(long, env = "TELEGRAM_BOT_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    token: SecretString,
    #[command(flatten)]
    common: Common,
}

impl Args {
    pub fn into_parts(self) -> (Box<dyn Platform>, Common) {
        let telegram = Telegram {
            api: api_base("TELEGRAM_API_URL", "https://api.telegram.org"),
            token: self.token,
            secret_token: SecretString::new(crate::random::token(48)),
        };
        (Box::new(telegram), self.common)
    }
}

struct Telegram {
    api: String,
    token: SecretString,
    secret_token: SecretString,
}

impl Telegram {
    fn call(&self, method: http::Method, name: &str) -> Call {
        Call::new(
            method,
            format!("{}/bot{}/{name}", self.api, self.token.expose()),
        )
        .secret(self.token.expose())
        .secret(self.secret_token.expose())
    }
}

/// Telegram's refusal: `description` and `error_code`.
fn refusal(answer: &Answer) -> String {
    match (
        text(&answer.body, "/description"),
        text(&answer.body, "/error_code"),
    ) {
        (Some(description), Some(code)) => format!("{description} (error {code})"),
        (Some(description), None) => description,
        _ => unexpected(answer),
    }
}

impl Platform for Telegram {
    fn channel(&self) -> &'static str {
        "telegram"
    }

    fn title(&self) -> &'static str {
        "Telegram"
    }

    fn check(&self) -> Option<(&'static str, Call)> {
        Some(("getMe", self.call(http::Method::GET, "getMe")))
    }

    fn identify(&self, answer: &Answer) -> Result<Identity, String> {
        if answer.body["ok"] != Value::Bool(true) {
            return Err(refusal(answer));
        }
        let username = text(&answer.body, "/result/username").unwrap_or_default();
        let id = text(&answer.body, "/result/id").unwrap_or_default();
        Ok(Identity {
            describe: format!("@{username} (id {id})"),
            fields: Map::new(),
        })
    }

    fn secret(&self, _: &Identity) -> Map<String, Value> {
        let mut document = Map::new();
        document.insert("token".into(), json!(self.token.expose()));
        document.insert("secret_token".into(), json!(self.secret_token.expose()));
        document
    }

    fn register(&self, webhook: &str) -> Option<(&'static str, Call)> {
        let body = json!({
            "url": webhook,
            "secret_token": self.secret_token.expose(),
            "allowed_updates": <telegram_receiver::Telegram as Channel>::SUBSCRIBED_KINDS,
        });
        Some((
            "setWebhook",
            self.call(http::Method::POST, "setWebhook")
                .body(Body::Json(body)),
        ))
    }

    fn registered(&self, answer: &Answer) -> Result<(), String> {
        if answer.body["ok"] == Value::Bool(true) {
            Ok(())
        } else {
            Err(refusal(answer))
        }
    }

    fn console(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
}
