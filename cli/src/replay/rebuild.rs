//! An envelope back into the request its platform sent: `raw` is the body itself (Telegram,
//! Viber, Apple) or the one item of it (Facebook, WhatsApp, Slack), wrapped again the platform's
//! way with what the envelope kept of the rest (`context`, ids, times), so the receiver finds the
//! same event with the same `event_id`. Unsigned: the bot's secret signs it afterwards.

use serde_json::{Map, Value, json};
use shared::Envelope;
use shared::sample::{Outgoing, SignError};

/// Slack interactivity payload types (sent as a `payload=` form).
const SLACK_INTERACTIONS: &[&str] = &[
    "block_actions",
    "block_suggestion",
    "view_submission",
    "view_closed",
    "shortcut",
    "message_action",
    "interactive_message",
    "dialog_submission",
    "dialog_cancellation",
    "dialog_suggestion",
    "workflow_step_edit",
];

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// The platform's request for the envelope's event.
pub fn request(envelope: &Envelope) -> Result<Outgoing, SignError> {
    let raw = envelope.raw.get();
    let request = match envelope.channel.as_str() {
        "telegram" | "viber" => post(raw.to_owned(), JSON),
        "abc" => abc(envelope)?,
        "facebook" => post(facebook(envelope, parse(raw)?).to_string(), JSON),
        "whatsapp" => post(whatsapp(envelope, parse(raw)?).to_string(), JSON),
        "slack" => slack(envelope, parse(raw)?)?,
        other => {
            return Err(SignError::Request(format!(
                "no way to rebuild a request of channel {other:?}"
            )));
        }
    };
    Ok(request)
}

fn post(body: String, content_type: &'static str) -> Outgoing {
    let mut request = Outgoing::post(body);
    request.headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(content_type),
    );
    request
}

fn parse(raw: &str) -> Result<Value, SignError> {
    serde_json::from_str(raw).map_err(|err| SignError::Request(format!("raw is not JSON: {err}")))
}

/// The platform's own id: `event_id` without `{channel}:{bot}:`.
fn own_id(envelope: &Envelope) -> &str {
    let prefix = format!("{}:{}:", envelope.channel, envelope.bot);
    envelope
        .event_id
        .strip_prefix(&prefix)
        .unwrap_or(&envelope.event_id)
}

fn context<'a>(envelope: &'a Envelope, name: &str) -> Option<&'a str> {
    envelope.context.get(name).and_then(Value::as_str)
}

/// The event's time (else its receipt), Unix milliseconds.
fn millis(envelope: &Envelope) -> u64 {
    let text = envelope
        .timestamp
        .as_deref()
        .unwrap_or(&envelope.received_at);
    humantime::parse_rfc3339_weak(text)
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

/// Apple: the body as it came, with the headers the envelope kept.
fn abc(envelope: &Envelope) -> Result<Outgoing, SignError> {
    let mut request = post(envelope.raw.get().to_owned(), JSON);
    request.set_header("id", own_id(envelope))?;
    request.set_header("source-id", &envelope.chat_id)?;
    for (header, name) in [
        ("destination-id", "destination_id"),
        ("device-agent", "device_agent"),
        ("locale", "locale"),
    ] {
        if let Some(value) = context(envelope, name) {
            request.set_header(header, value)?;
        }
    }
    if let Some(list) = envelope
        .context
        .get("capabilities")
        .and_then(Value::as_array)
    {
        let list: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
        request.set_header("capability-list", &list.join(","))?;
    }
    Ok(request)
}

/// Facebook: one entry of the page, the item under its source (`messaging`, `standby`,
/// `changes`).
fn facebook(envelope: &Envelope, raw: Value) -> Value {
    let source = context(envelope, "source")
        .filter(|source| matches!(*source, "standby" | "changes"))
        .unwrap_or("messaging");
    let mut entry = Map::new();
    entry.insert(
        "id".to_owned(),
        json!(context(envelope, "page_id").unwrap_or(&envelope.chat_id)),
    );
    entry.insert("time".to_owned(), json!(millis(envelope)));
    entry.insert(source.to_owned(), json!([raw]));
    json!({
        "object": context(envelope, "object").unwrap_or("page"),
        "entry": [entry],
    })
}

/// WhatsApp: one change of the account; a message or status item inside a `messages` change
/// with its phone number and contact, a whole change as it was.
fn whatsapp(envelope: &Envelope, raw: Value) -> Value {
    let change = if raw.get("field").is_some() {
        raw
    } else {
        let list = if raw.get("status").is_some() {
            "statuses"
        } else {
            "messages"
        };
        let mut value = Map::new();
        value.insert("messaging_product".to_owned(), json!("whatsapp"));
        let metadata: Map<String, Value> = ["display_phone_number", "phone_number_id"]
            .into_iter()
            .filter_map(|name| Some((name.to_owned(), json!(context(envelope, name)?))))
            .collect();
        value.insert("metadata".to_owned(), Value::Object(metadata));
        if let Some(name) = envelope.user.as_ref().and_then(|user| user.name.as_deref()) {
            value.insert(
                "contacts".to_owned(),
                json!([{"profile": {"name": name}, "wa_id": envelope.chat_id}]),
            );
        }
        value.insert(list.to_owned(), json!([raw]));
        json!({"field": "messages", "value": value})
    };
    json!({
        "object": context(envelope, "object").unwrap_or("whatsapp_business_account"),
        "entry": [{"id": context(envelope, "waba_id").unwrap_or_default(), "changes": [change]}],
    })
}

/// Slack: a slash command's form, an interaction's `payload=` form, an app-level notice as it
/// came, or an inner event inside its `event_callback`.
fn slack(envelope: &Envelope, raw: Value) -> Result<Outgoing, SignError> {
    let kind = raw.get("type").and_then(Value::as_str).unwrap_or_default();
    if let (Some(fields), true) = (raw.as_object(), raw.get("command").is_some()) {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.as_str()?)))
            .collect();
        return Ok(post(form(&pairs)?, FORM));
    }
    if SLACK_INTERACTIONS.contains(&kind) {
        return Ok(post(form(&[("payload", envelope.raw.get())])?, FORM));
    }
    if raw.get("api_app_id").is_some() {
        return Ok(post(envelope.raw.get().to_owned(), JSON));
    }
    let wrapper = json!({
        "token": "",
        "team_id": context(envelope, "team_id"),
        "api_app_id": context(envelope, "api_app_id"),
        "event": raw,
        "type": "event_callback",
        "event_id": own_id(envelope),
        "event_time": millis(envelope) / 1000,
    });
    Ok(post(wrapper.to_string(), JSON))
}

fn form(pairs: &[(&str, &str)]) -> Result<String, SignError> {
    serde_urlencoded::to_string(pairs).map_err(|err| SignError::Request(err.to_string()))
}
