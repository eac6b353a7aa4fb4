//! Reading each platform's view of a webhook against what the receivers expect: the facts to
//! show, and the problems that make the webhook unhealthy. Pure: no I/O, so every rule is tested.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

/// What `status` holds a webhook to.
#[derive(Debug, Clone)]
pub struct Rules {
    /// `--url`: the receivers' base URL; when given, a webhook must be exactly `{base}/{channel}/{bot}`.
    pub base_url: Option<String>,
    /// `--max-pending`: more updates than this waiting at Telegram is unhealthy.
    pub max_pending: u64,
    /// `--error-window`: a delivery error more recent than this is unhealthy.
    pub error_window: Duration,
    /// The moment of the check.
    pub now: SystemTime,
}

/// What one platform says, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Judgement {
    /// The webhook URL the platform delivers to, when it tells.
    pub webhook: Option<String>,
    /// Facts for people, short.
    pub details: Vec<String>,
    /// Why the webhook is unhealthy; empty when it is not.
    pub problems: Vec<String>,
    /// The platform's facts, for `--json`.
    pub facts: Map<String, Value>,
}

/// Telegram's default when `allowed_updates` is not set: every kind but these.
const TELEGRAM_OPT_IN: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

/// The webhook URL problem, if any: none registered, or not the route of this bot.
pub fn url_problem(url: Option<&str>, channel: &str, bot: &str, rules: &Rules) -> Option<String> {
    let Some(url) = url.map(str::trim).filter(|url| !url.is_empty()) else {
        return Some("no webhook is registered".to_owned());
    };
    let route = format!("/{channel}/{bot}");
    if let Some(base) = &rules.base_url {
        let expected = format!("{}{route}", base.trim_end_matches('/'));
        return (url != expected).then(|| format!("wrong webhook URL: {url}, expected {expected}"));
    }
    let path = reqwest::Url::parse(url)
        .map(|parsed| parsed.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    (!path.ends_with(&route)).then(|| format!("wrong webhook URL: {url} does not end with {route}"))
}

/// The kinds of `wanted` that `given` lacks.
fn missing(wanted: &[&str], given: &[String]) -> Vec<String> {
    wanted
        .iter()
        .filter(|kind| !given.iter().any(|have| have == *kind))
        .map(|kind| (*kind).to_owned())
        .collect()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A Unix time as RFC 3339 and how long ago it was.
pub fn when(seconds: u64, now: SystemTime) -> (String, Duration) {
    let time = UNIX_EPOCH + Duration::from_secs(seconds);
    let ago = now.duration_since(time).unwrap_or_default();
    (humantime::format_rfc3339_seconds(time).to_string(), ago)
}

/// A duration rounded for people: `3m`, `2h 5m`.
pub fn rounded(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let rounded = if seconds >= 3600 {
        seconds - seconds % 60
    } else {
        seconds
    };
    humantime::format_duration(Duration::from_secs(rounded)).to_string()
}

/// Telegram's `getWebhookInfo` result.
pub fn telegram(info: &Value, bot: &str, subscribed: &[&str], rules: &Rules) -> Judgement {
    let mut judgement = Judgement::default();
    let url = info.get("url").and_then(Value::as_str);
    judgement.webhook = url.filter(|url| !url.is_empty()).map(str::to_owned);
    judgement
        .problems
        .extend(url_problem(url, "telegram", bot, rules));
    let pending = info
        .get("pending_update_count")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    judgement.details.push(format!("pending {pending}"));
    if pending > rules.max_pending {
        judgement.problems.push(format!(
            "{pending} updates pending (more than {})",
            rules.max_pending
        ));
    }
    let error_date = info.get("last_error_date").and_then(Value::as_u64);
    let error_message = info.get("last_error_message").and_then(Value::as_str);
    if let Some(seconds) = error_date.filter(|seconds| *seconds > 0) {
        let (time, ago) = when(seconds, rules.now);
        let message = error_message.unwrap_or("no message");
        judgement.details.push(format!(
            "last error {time} ({} ago): {message}",
            rounded(ago)
        ));
        judgement
            .facts
            .insert("last_error_time".to_owned(), json!(time));
        if ago <= rules.error_window {
            judgement.problems.push(format!(
                "delivery error {} ago (within {}): {message}",
                rounded(ago),
                rounded(rules.error_window)
            ));
        }
    }
    let allowed = strings(info.get("allowed_updates"));
    let lacking = if allowed.is_empty() {
        // Not set: Telegram sends every kind but the opt-in ones.
        subscribed
            .iter()
            .filter(|kind| TELEGRAM_OPT_IN.contains(kind))
            .map(|kind| (*kind).to_owned())
            .collect()
    } else {
        missing(subscribed, &allowed)
    };
    if !lacking.is_empty() {
        judgement.problems.push(format!(
            "allowed_updates lacks kinds the receiver normalizes: {}",
            lacking.join(", ")
        ));
    }
    for (name, value) in [
        ("url", json!(url.unwrap_or_default())),
        ("pending_update_count", json!(pending)),
        ("last_error_date", json!(error_date)),
        ("last_error_message", json!(error_message)),
        ("allowed_updates", json!(allowed)),
        ("missing_updates", json!(lacking)),
    ] {
        judgement.facts.insert(name.to_owned(), value);
    }
    judgement
}

/// Viber's `get_account_info` answer (status 0).
pub fn viber(info: &Value, bot: &str, subscribed: &[&str], rules: &Rules) -> Judgement {
    let mut judgement = Judgement::default();
    let url = info.get("webhook").and_then(Value::as_str);
    judgement.webhook = url.filter(|url| !url.is_empty()).map(str::to_owned);
    judgement
        .problems
        .extend(url_problem(url, "viber", bot, rules));
    let event_types = strings(info.get("event_types"));
    let lacking = missing(subscribed, &event_types);
    if let Some(name) = info.get("name").and_then(Value::as_str) {
        judgement.details.push(format!("account {name}"));
    }
    if url.is_some_and(|url| !url.is_empty()) && !lacking.is_empty() {
        judgement.problems.push(format!(
            "event_types lacks kinds the receiver normalizes: {}",
            lacking.join(", ")
        ));
    }
    for (name, value) in [
        ("webhook", json!(url.unwrap_or_default())),
        ("event_types", json!(event_types)),
        ("missing_event_types", json!(lacking)),
    ] {
        judgement.facts.insert(name.to_owned(), value);
    }
    judgement
}

/// A Graph `subscribed_apps` answer: the apps subscribed to the page or the WhatsApp Business
/// Account. `fields`: the page fields to expect (none for WhatsApp, whose answer lists none).
pub fn subscribed_apps(answer: &Value, fields: &[&str]) -> Judgement {
    let mut judgement = Judgement::default();
    let apps: Vec<&Value> = answer
        .get("data")
        .and_then(Value::as_array)
        .map(|apps| apps.iter().collect())
        .unwrap_or_default();
    let app = |app: &&Value| -> Value {
        // WhatsApp nests the app under `whatsapp_business_api_data`.
        let inner = app.get("whatsapp_business_api_data").unwrap_or(app);
        json!({
            "id": inner.get("id"),
            "name": inner.get("name"),
            "subscribed_fields": app.get("subscribed_fields"),
        })
    };
    let listed: Vec<Value> = apps.iter().map(app).collect();
    let names: Vec<String> = listed
        .iter()
        .map(|app| {
            app["name"]
                .as_str()
                .or(app["id"].as_str())
                .unwrap_or("an app")
                .to_owned()
        })
        .collect();
    if apps.is_empty() {
        judgement
            .problems
            .push("no app is subscribed: nothing is delivered".to_owned());
    } else {
        judgement
            .details
            .push(format!("subscribed: {}", names.join(", ")));
    }
    let given: Vec<String> = apps
        .iter()
        .flat_map(|app| strings(app.get("subscribed_fields")))
        .collect();
    let lacking = if apps.is_empty() {
        Vec::new()
    } else {
        missing(fields, &given)
    };
    if !lacking.is_empty() {
        judgement.problems.push(format!(
            "subscribed fields lack kinds the receiver normalizes: {}",
            lacking.join(", ")
        ));
    }
    judgement
        .facts
        .insert("subscribed_apps".to_owned(), Value::Array(listed));
    judgement
        .facts
        .insert("missing_fields".to_owned(), json!(lacking));
    judgement
}

/// Slack's `auth.test` answer (`ok: true`).
pub fn slack(answer: &Value) -> Judgement {
    let mut judgement = Judgement::default();
    let text = |name: &str| answer.get(name).and_then(Value::as_str).unwrap_or("?");
    judgement.details.push(format!(
        "token ok: {} in {}; Request URLs are in the app's settings",
        text("user"),
        text("team")
    ));
    for name in ["team", "team_id", "user", "bot_id"] {
        if let Some(value) = answer.get(name) {
            judgement.facts.insert(name.to_owned(), value.clone());
        }
    }
    judgement
}

#[cfg(test)]
mod tests;
