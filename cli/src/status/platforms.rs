//! Asking each platform about one bot's webhook with the bot's own credentials (from its secret),
//! every credential redacted wherever a call shows: Telegram `getWebhookInfo`, Viber
//! `get_account_info`, Graph `subscribed_apps` for Facebook and WhatsApp, Slack `auth.test`.

use serde::Serialize;
use serde_json::{Map, Value, json};
use shared::SecretString;
use shared::secret::SecretDocument;

use super::judge::{self, Judgement, Rules};
use crate::platform_api::{Answer, Body, Call, PlatformClient, api_base};

/// A bot: its channel and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bot {
    pub channel: String,
    pub name: String,
}

/// How a webhook stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Ok,
    Unhealthy,
    /// Nothing could be asked: the platform has no API for it, or the secret lacks what asking needs.
    Unchecked,
}

/// One bot's row.
#[derive(Debug, Clone, Serialize)]
pub struct BotStatus {
    pub channel: String,
    pub bot: String,
    pub state: State,
    pub webhook: Option<String>,
    pub details: Vec<String>,
    pub problems: Vec<String>,
    pub platform: Map<String, Value>,
}

impl BotStatus {
    fn from_judgement(bot: &Bot, judgement: Judgement) -> Self {
        let state = if judgement.problems.is_empty() {
            State::Ok
        } else {
            State::Unhealthy
        };
        Self {
            channel: bot.channel.clone(),
            bot: bot.name.clone(),
            state,
            webhook: judgement.webhook,
            details: judgement.details,
            problems: judgement.problems,
            platform: judgement.facts,
        }
    }

    fn unchecked(bot: &Bot, why: String) -> Self {
        Self::from_judgement(
            bot,
            Judgement {
                details: vec![why],
                ..Judgement::default()
            },
        )
        .with_state(State::Unchecked)
    }

    /// The platform could not be asked or refused: unhealthy, with the reason.
    pub fn failed(bot: &Bot, reason: String) -> Self {
        Self::from_judgement(
            bot,
            Judgement {
                problems: vec![reason],
                ..Judgement::default()
            },
        )
    }

    fn with_state(mut self, state: State) -> Self {
        self.state = state;
        self
    }
}

/// The platforms' API base URLs (tests point them at a fake platform).
#[derive(Debug, Clone)]
pub struct Apis {
    pub telegram: String,
    pub viber: String,
    pub graph: String,
    pub slack: String,
}

impl Apis {
    pub fn from_env() -> Self {
        Self {
            telegram: api_base("TELEGRAM_API_URL", "https://api.telegram.org"),
            viber: api_base("VIBER_API_URL", "https://chatapi.viber.com/pa"),
            graph: api_base("GRAPH_API_URL", "https://graph.facebook.com/v21.0"),
            slack: api_base("SLACK_API_URL", "https://slack.com/api"),
        }
    }
}

/// What a check needs besides the bot.
#[derive(Debug, Clone)]
pub struct Asking {
    pub client: PlatformClient,
    pub apis: Apis,
    pub rules: Rules,
    /// `--waba-id`: the WhatsApp Business Account of WhatsApp bots whose secret has no `waba_id`.
    pub waba_id: Option<String>,
}

/// A text field of the secret, when set.
fn field(secret: &SecretDocument, name: &str) -> Option<SecretString> {
    let fields: Map<String, Value> = secret.fields().ok()?;
    let value = fields.get(name)?.as_str()?.trim();
    (!value.is_empty()).then(|| SecretString::new(value))
}

/// The kinds the receiver asks the platform for.
fn subscribed(channel: &str) -> &'static [&'static str] {
    messengers::find(channel).map_or(&[], |messenger| messenger.subscribed_kinds)
}

/// The platform's view of one bot's webhook.
pub async fn check(bot: &Bot, secret: &SecretDocument, asking: &Asking) -> BotStatus {
    let needed = |name: &str| {
        field(secret, name)
            .ok_or_else(|| format!("the secret has no {name}: {} cannot be asked", bot.channel))
    };
    let outcome = match bot.channel.as_str() {
        "telegram" => match needed("token") {
            Ok(token) => telegram(bot, &token, asking).await,
            Err(why) => return BotStatus::unchecked(bot, why),
        },
        "viber" => match needed("token") {
            Ok(token) => viber(bot, &token, asking).await,
            Err(why) => return BotStatus::unchecked(bot, why),
        },
        "facebook" => match (needed("page_access_token"), needed("app_secret")) {
            (Ok(token), Ok(app_secret)) => {
                let graph = Graph::new(asking, token, app_secret, field(secret, "verify_token"));
                graph.subscriptions("me", subscribed("facebook")).await
            }
            (Err(why), _) | (_, Err(why)) => return BotStatus::unchecked(bot, why),
        },
        "whatsapp" => {
            let waba_id = field(secret, "waba_id")
                .map(|id| id.expose().to_owned())
                .or_else(|| asking.waba_id.clone())
                .filter(|id| id.bytes().all(|b| b.is_ascii_digit()));
            match (needed("access_token"), needed("app_secret"), waba_id) {
                (Ok(token), Ok(app_secret), Some(waba_id)) => {
                    let graph =
                        Graph::new(asking, token, app_secret, field(secret, "verify_token"));
                    graph.subscriptions(&waba_id, &[]).await
                }
                (Err(why), _, _) | (_, Err(why), _) => return BotStatus::unchecked(bot, why),
                (_, _, None) => {
                    return BotStatus::unchecked(
                        bot,
                        "the WhatsApp Business Account is unknown: give the secret a waba_id \
                         field, or pass --waba-id"
                            .to_owned(),
                    );
                }
            }
        }
        "slack" => match needed("bot_token") {
            Ok(token) => slack(&token, asking).await,
            Err(why) => return BotStatus::unchecked(bot, why),
        },
        _ => {
            return BotStatus::unchecked(
                bot,
                "console only: no API tells where this platform delivers".to_owned(),
            );
        }
    };
    match outcome {
        Ok(judgement) => BotStatus::from_judgement(bot, judgement),
        Err(reason) => BotStatus::failed(bot, reason),
    }
}

/// Sends the call; an unreachable platform is the error, in plain words and redacted.
async fn ask(asking: &Asking, what: &str, call: &Call) -> Result<Answer, String> {
    asking
        .client
        .send(call)
        .await
        .map_err(|err| format!("{what}: {err:#}"))
}

fn text(value: &Value, pointer: &str) -> String {
    match value.pointer(pointer) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// What a refusal says, or the status when the answer is not the platform's JSON.
fn refusal(what: &str, answer: &Answer, message: &str) -> String {
    let said = text(&answer.body, message);
    if said.is_empty() {
        format!("{what} answered {}", answer.status)
    } else {
        format!("{what} refused: {said}")
    }
}

async fn telegram(bot: &Bot, token: &SecretString, asking: &Asking) -> Result<Judgement, String> {
    let call = Call::new(
        http::Method::GET,
        format!(
            "{}/bot{}/getWebhookInfo",
            asking.apis.telegram,
            token.expose()
        ),
    )
    .secret(token.expose());
    let answer = ask(asking, "Telegram getWebhookInfo", &call).await?;
    if answer.body["ok"] != Value::Bool(true) {
        return Err(call.redact(&refusal("Telegram getWebhookInfo", &answer, "/description")));
    }
    Ok(judge::telegram(
        &answer.body["result"],
        &bot.name,
        subscribed("telegram"),
        &asking.rules,
    ))
}

async fn viber(bot: &Bot, token: &SecretString, asking: &Asking) -> Result<Judgement, String> {
    let call = Call::new(
        http::Method::POST,
        format!("{}/get_account_info", asking.apis.viber),
    )
    .header("X-Viber-Auth-Token", token.expose())
    .body(Body::Json(json!({})))
    .secret(token.expose());
    let answer = ask(asking, "Viber get_account_info", &call).await?;
    if answer.body.get("status").and_then(Value::as_i64) != Some(0) {
        return Err(call.redact(&refusal(
            "Viber get_account_info",
            &answer,
            "/status_message",
        )));
    }
    Ok(judge::viber(
        &answer.body,
        &bot.name,
        subscribed("viber"),
        &asking.rules,
    ))
}

async fn slack(token: &SecretString, asking: &Asking) -> Result<Judgement, String> {
    let call = Call::new(
        http::Method::POST,
        format!("{}/auth.test", asking.apis.slack),
    )
    .header("Authorization", format!("Bearer {}", token.expose()))
    .secret(token.expose());
    let answer = ask(asking, "Slack auth.test", &call).await?;
    if answer.body["ok"] != Value::Bool(true) {
        return Err(call.redact(&refusal("Slack auth.test", &answer, "/error")));
    }
    Ok(judge::slack(&answer.body))
}

/// A Graph API app: every call carries the access token and its `appsecret_proof`.
struct Graph<'a> {
    asking: &'a Asking,
    access_token: SecretString,
    app_secret: SecretString,
    verify_token: Option<SecretString>,
}

impl<'a> Graph<'a> {
    fn new(
        asking: &'a Asking,
        access_token: SecretString,
        app_secret: SecretString,
        verify_token: Option<SecretString>,
    ) -> Self {
        Self {
            asking,
            access_token,
            app_secret,
            verify_token,
        }
    }

    /// `GET /{node}/subscribed_apps`, read against the fields the receiver expects.
    async fn subscriptions(&self, node: &str, fields: &[&str]) -> Result<Judgement, String> {
        let what = format!("Graph /{node}/subscribed_apps");
        let proof = shared::meta::appsecret_proof(&self.access_token, &self.app_secret);
        // The longest first, so that no part of one survives inside another.
        let mut secrets = vec![
            self.access_token.expose().to_owned(),
            self.app_secret.expose().to_owned(),
            proof.clone(),
        ];
        secrets.extend(self.verify_token.iter().map(|t| t.expose().to_owned()));
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        let call = secrets.into_iter().fold(
            Call::new(
                http::Method::GET,
                format!("{}/{node}/subscribed_apps", self.asking.apis.graph),
            )
            .query("access_token", self.access_token.expose())
            .query("appsecret_proof", proof),
            Call::secret,
        );
        let answer = ask(self.asking, &what, &call).await?;
        if !answer.status.is_success() {
            return Err(call.redact(&refusal(&what, &answer, "/error/message")));
        }
        Ok(judge::subscribed_apps(&answer.body, fields))
    }
}
