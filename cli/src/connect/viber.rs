//! Viber: `get_account_info` checks the token; `set_webhook` registers `{url}/viber/{bot}` for
//! every event type (Viber calls the URL once, signed, before it answers).

use serde_json::{Map, Value, json};
use shared::{Channel, SecretString};

use super::{Common, Identity, Platform, parse_secret, text, unexpected};
use crate::platform_api::{Answer, Body, Call, api_base};

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  VIBER_AUTH_TOKEN=4453b6ac… receivers connect viber --bot shop --url https://api.example.com
Environment: VIBER_API_URL (default https://chatapi.viber.com/pa).")]
pub struct Args {
    /// The bot's authentication token, from the Viber Admin Panel.
    #[arg(long, env = "VIBER_AUTH_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    token: SecretString,
    #[command(flatten)]
    common: Common,
}

impl Args {
    pub fn into_parts(self) -> (Box<dyn Platform>, Common) {
        let viber = Viber {
            api: api_base("VIBER_API_URL", "https://chatapi.viber.com/pa"),
            token: self.token,
        };
        (Box::new(viber), self.common)
    }
}

struct Viber {
    api: String,
    token: SecretString,
}

impl Viber {
    fn call(&self, name: &str, body: Value) -> Call {
        Call::new(http::Method::POST, format!("{}/{name}", self.api))
            .header("X-Viber-Auth-Token", self.token.expose())
            .body(Body::Json(body))
            .secret(self.token.expose())
    }
}

/// Viber answers 200 with `status` 0 for success, else `status` and `status_message`.
fn accepted(answer: &Answer) -> Result<(), String> {
    match answer.body.get("status").and_then(Value::as_i64) {
        Some(0) => Ok(()),
        Some(status) => Err(format!(
            "{} (status {status})",
            text(&answer.body, "/status_message").unwrap_or_else(|| "refused".into())
        )),
        None => Err(unexpected(answer)),
    }
}

impl Platform for Viber {
    fn channel(&self) -> &'static str {
        "viber"
    }

    fn title(&self) -> &'static str {
        "Viber"
    }

    fn check(&self) -> Option<(&'static str, Call)> {
        Some(("get_account_info", self.call("get_account_info", json!({}))))
    }

    fn identify(&self, answer: &Answer) -> Result<Identity, String> {
        accepted(answer)?;
        let name = text(&answer.body, "/name").unwrap_or_default();
        let uri = text(&answer.body, "/uri").unwrap_or_default();
        Ok(Identity {
            describe: format!("{name} (uri {uri})"),
            fields: Map::new(),
        })
    }

    fn secret(&self, _: &Identity) -> Map<String, Value> {
        let mut document = Map::new();
        document.insert("token".into(), json!(self.token.expose()));
        document
    }

    fn register(&self, webhook: &str) -> Option<(&'static str, Call)> {
        let body = json!({
            "url": webhook,
            "event_types": <viber_receiver::Viber as Channel>::SUBSCRIBED_KINDS,
            "send_name": true,
            "send_photo": true,
        });
        Some(("set_webhook", self.call("set_webhook", body)))
    }

    fn registered(&self, answer: &Answer) -> Result<(), String> {
        accepted(answer)
    }

    fn console(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
}
