//! Slack: `auth.test` checks the bot token (and gives the bot's id, kept so the receiver can
//! leave out the bot's own messages). Request URLs are set in the app's settings: printed here.

use serde_json::{Map, Value, json};
use shared::SecretString;

use super::{Common, Identity, Platform, parse_secret, text, unexpected};
use crate::platform_api::{Answer, Call, api_base};

/// Bot events the receiver normalizes.
const BOT_EVENTS: &[&str] = &[
    "message.channels",
    "message.groups",
    "message.im",
    "message.mpim",
    "app_mention",
    "reaction_added",
    "reaction_removed",
    "member_joined_channel",
    "member_left_channel",
    "app_home_opened",
    "app_uninstalled",
    "tokens_revoked",
];

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… receivers connect slack --bot team \\
      --url https://api.example.com
Environment: SLACK_API_URL (default https://slack.com/api).")]
pub struct Args {
    /// The bot user OAuth token (xoxb-…).
    #[arg(long, env = "SLACK_BOT_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    bot_token: SecretString,
    /// The app's signing secret (Basic Information → App Credentials).
    #[arg(long, env = "SLACK_SIGNING_SECRET", hide_env_values = true, value_parser = parse_secret)]
    signing_secret: SecretString,
    #[command(flatten)]
    common: Common,
}

impl Args {
    pub fn into_parts(self) -> (Box<dyn Platform>, Common) {
        let slack = Slack {
            api: api_base("SLACK_API_URL", "https://slack.com/api"),
            bot_token: self.bot_token,
            signing_secret: self.signing_secret,
        };
        (Box::new(slack), self.common)
    }
}

struct Slack {
    api: String,
    bot_token: SecretString,
    signing_secret: SecretString,
}

impl Platform for Slack {
    fn channel(&self) -> &'static str {
        "slack"
    }

    fn title(&self) -> &'static str {
        "Slack"
    }

    fn check(&self) -> Option<(&'static str, Call)> {
        let call = Call::new(http::Method::POST, format!("{}/auth.test", self.api))
            .header(
                "Authorization",
                format!("Bearer {}", self.bot_token.expose()),
            )
            .secret(self.bot_token.expose())
            .secret(self.signing_secret.expose());
        Some(("auth.test", call))
    }

    fn identify(&self, answer: &Answer) -> Result<Identity, String> {
        if answer.body["ok"] != Value::Bool(true) {
            return Err(text(&answer.body, "/error").unwrap_or_else(|| unexpected(answer)));
        }
        let mut fields = Map::new();
        if let Some(bot_id) = text(&answer.body, "/bot_id") {
            fields.insert("bot_id".into(), json!(bot_id));
        }
        Ok(Identity {
            describe: format!(
                "{} in {} (bot id {})",
                text(&answer.body, "/user").unwrap_or_default(),
                text(&answer.body, "/team").unwrap_or_default(),
                text(&answer.body, "/bot_id").unwrap_or_else(|| "none".into())
            ),
            fields,
        })
    }

    fn secret(&self, identity: &Identity) -> Map<String, Value> {
        let mut document = Map::new();
        document.insert("signing_secret".into(), json!(self.signing_secret.expose()));
        document.insert("bot_token".into(), json!(self.bot_token.expose()));
        document.extend(identity.fields.clone());
        document
    }

    fn console(&self, webhook: &str) -> Vec<String> {
        vec![
            format!("Event Subscriptions → Request URL: {webhook}"),
            format!("subscribe to bot events: {}", BOT_EVENTS.join(", ")),
            format!("Interactivity & Shortcuts → Request URL: {webhook}"),
            format!("Slash Commands → each command's Request URL: {webhook}"),
        ]
    }
}
