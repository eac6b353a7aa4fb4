//! WhatsApp Business Cloud API: the WhatsApp Business Account's own node checks the access token
//! (with `appsecret_proof`, so the app secret is checked too); `/{waba-id}/subscribed_apps`
//! subscribes the app to the account's webhooks. The callback URL is set in the app's dashboard.

use serde_json::{Map, Value, json};
use shared::SecretString;
use shared::config::Settings;

use super::graph::{self, GraphApp};
use super::{Common, Identity, Platform, parse_secret};
use crate::platform_api::{Answer, Body, Call, api_base};
use crate::stores::DEFAULT_SECRETS_FILE;

/// The webhook field the receiver normalizes (messages and their statuses).
const FIELD: &str = "messages";

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  WHATSAPP_APP_SECRET=… WHATSAPP_ACCESS_TOKEN=EAAG… WHATSAPP_WABA_ID=1029… \\
      receivers connect whatsapp --bot shop --url https://api.example.com
Environment: GRAPH_API_URL (default https://graph.facebook.com/v21.0).")]
pub struct Args {
    /// The Meta app's secret (App settings → Basic).
    #[arg(long, env = "WHATSAPP_APP_SECRET", hide_env_values = true, value_parser = parse_secret)]
    app_secret: SecretString,
    /// The Cloud API access token (a system user's token with whatsapp_business_management and
    /// whatsapp_business_messaging).
    #[arg(long, env = "WHATSAPP_ACCESS_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    access_token: SecretString,
    /// The WhatsApp Business Account id (WhatsApp Manager → Account tools; API Setup).
    #[arg(long, env = "WHATSAPP_WABA_ID", hide_env_values = true, value_parser = parse_waba_id)]
    waba_id: String,
    /// The webhook's verify token; a fresh random one when not given.
    #[arg(long, env = "WHATSAPP_VERIFY_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    verify_token: Option<SecretString>,
    #[command(flatten)]
    common: Common,
}

impl Args {
    pub fn into_parts(self) -> (Box<dyn Platform>, Common) {
        // An invalid SECRETS_PREFIX is reported by `connect` itself before any step.
        let name = Settings::from_env()
            .unwrap_or_default()
            .secret_name("whatsapp", &self.common.bot);
        let verify_token = match self.verify_token {
            Some(token) => VerifyToken::Given(token),
            None => VerifyToken::Generated {
                token: SecretString::new(crate::random::token(48)),
                read: read_field_command(&name, &self.common, "verify_token"),
            },
        };
        let whatsapp = WhatsApp {
            api: api_base("GRAPH_API_URL", "https://graph.facebook.com/v21.0"),
            app_secret: self.app_secret,
            access_token: self.access_token,
            waba_id: self.waba_id,
            verify_token,
        };
        (Box::new(whatsapp), self.common)
    }
}

/// A WhatsApp Business Account id: digits, as Meta shows it.
fn parse_waba_id(value: &str) -> Result<String, String> {
    let value = value.trim();
    if (1..=32).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err("expected the WhatsApp Business Account id: digits only".to_owned())
    }
}

/// The shell command that prints one field of the stored secret (its value is never printed
/// here): `jq` on the secrets file, or the AWS CLI with `SECRETS_SOURCE=aws`.
fn read_field_command(name: &str, common: &Common, field: &str) -> String {
    if std::env::var("SECRETS_SOURCE").as_deref() == Ok("aws") {
        return format!(
            "aws secretsmanager get-secret-value --secret-id {name} --query SecretString \
             --output text | jq -r .{field}"
        );
    }
    let file = common.stores.secrets_file.as_ref().map_or_else(
        || DEFAULT_SECRETS_FILE.to_owned(),
        |path| path.display().to_string(),
    );
    format!("jq -r '.\"{name}\".{field}' {}", shell_word(&file))
}

/// `word` as one shell word.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=@:,".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The webhook's verify token: the operator's, or generated here (then read from the store).
enum VerifyToken {
    Given(SecretString),
    Generated { token: SecretString, read: String },
}

impl VerifyToken {
    fn expose(&self) -> &str {
        match self {
            Self::Given(token) | Self::Generated { token, .. } => token.expose(),
        }
    }

    /// Where the dashboard's "Verify token" comes from.
    fn source(&self) -> String {
        match self {
            Self::Given(_) => "Verify token: the value you passed as --verify-token".to_owned(),
            Self::Generated { read, .. } => format!(
                "Verify token: the one generated for this bot, stored in the secret's \
                 verify_token field; print it with: {read}"
            ),
        }
    }
}

struct WhatsApp {
    api: String,
    app_secret: SecretString,
    access_token: SecretString,
    waba_id: String,
    verify_token: VerifyToken,
}

impl WhatsApp {
    fn graph(&self) -> GraphApp<'_> {
        GraphApp {
            api: &self.api,
            access_token: &self.access_token,
            app_secret: &self.app_secret,
            verify_token: self.verify_token.expose(),
        }
    }
}

impl Platform for WhatsApp {
    fn channel(&self) -> &'static str {
        "whatsapp"
    }

    fn title(&self) -> &'static str {
        "WhatsApp"
    }

    fn check(&self) -> Option<(&'static str, Call)> {
        Some(("/{waba-id}", self.graph().check(&self.waba_id)))
    }

    fn identify(&self, answer: &Answer) -> Result<Identity, String> {
        graph::identify(answer, "WhatsApp Business Account")
    }

    fn secret(&self, _: &Identity) -> Map<String, Value> {
        let mut document = Map::new();
        document.insert("app_secret".into(), json!(self.app_secret.expose()));
        document.insert("verify_token".into(), json!(self.verify_token.expose()));
        document.insert("access_token".into(), json!(self.access_token.expose()));
        document
    }

    fn register(&self, _: &str) -> Option<(&'static str, Call)> {
        let path = format!("{}/subscribed_apps", self.waba_id);
        Some((
            "/{waba-id}/subscribed_apps",
            self.graph()
                .call(http::Method::POST, &path)
                .body(Body::Form(self.graph().credentials())),
        ))
    }

    fn registered(&self, answer: &Answer) -> Result<(), String> {
        if answer.status.is_success() && answer.body["success"] == Value::Bool(true) {
            Ok(())
        } else {
            Err(graph::refusal(answer))
        }
    }

    fn console(&self, webhook: &str) -> Vec<String> {
        vec![
            format!("App Dashboard → WhatsApp → Configuration → Webhook: Callback URL {webhook}"),
            self.verify_token.source(),
            "Verify and save (Meta calls the URL once: the receiver must be reachable)".to_owned(),
            format!("Webhook fields: subscribe {FIELD}"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_digits_only() {
        assert_eq!(
            parse_waba_id(" 102290129340398 ").as_deref(),
            Ok("102290129340398")
        );
        assert!(parse_waba_id("").is_err());
        assert!(parse_waba_id("../me").is_err());
        assert!(parse_waba_id("123/subscribed_apps").is_err());
        assert!(parse_waba_id(&"1".repeat(33)).is_err());
    }

    #[test]
    fn shown_calls_redact_every_credential_even_one_inside_another() {
        let whatsapp = WhatsApp {
            api: "https://graph.example.com/v21.0".to_owned(),
            app_secret: SecretString::new("a"),
            access_token: SecretString::new("EAAG-token"),
            waba_id: "123".to_owned(),
            verify_token: VerifyToken::Given(SecretString::new("token")),
        };
        let (_, check) = whatsapp.check().unwrap_or_else(|| panic!("no check"));
        let shown = check.shown();
        assert!(
            shown.ends_with("/123?fields=id%2Cn***me&access_token=***&appsecret_proof=***"),
            "{shown}"
        );
        let (_, subscribe) = whatsapp.register("").unwrap_or_else(|| panic!("no call"));
        assert!(
            subscribe
                .shown()
                .ends_with(" access_token=***&appsecret_proof=***"),
            "{}",
            subscribe.shown()
        );
    }

    #[test]
    fn paths_in_printed_commands_stay_one_shell_word() {
        assert_eq!(shell_word("dir/bots.local.json"), "dir/bots.local.json");
        assert_eq!(shell_word("my bots.json"), "'my bots.json'");
        assert_eq!(shell_word("it's.json"), r"'it'\''s.json'");
        assert_eq!(shell_word(""), "''");
    }
}
