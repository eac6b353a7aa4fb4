//! Slash commands: `/weather 94070` typed in a conversation, sent as form fields.

use serde_json::{Map, Value};
use shared_core::Rejection;
use shared_core::channel::{Event, Outcome, raw_json};
use shared_core::envelope::{EventKind, Message, User};

use super::{Delivery, first_id};

/// Normalizes the form fields of a slash command: `text` keeps the whole line, `payload` the command.
pub(super) fn receive(
    fields: Vec<(String, String)>,
    delivery: &Delivery<'_>,
) -> Result<Outcome, Rejection> {
    let form: Map<String, Value> = fields
        .into_iter()
        .map(|(name, value)| (name, Value::String(value)))
        .collect();
    let field = |name: &str| {
        form.get(name)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
    };
    let command =
        field("command").ok_or_else(|| Rejection::malformed("slash command without a command"))?;
    let line = match field("text") {
        Some(arguments) => format!("{command} {arguments}"),
        None => command.to_owned(),
    };
    let chat_id = first_id([field("channel_id"), field("user_id"), field("team_id")])
        .ok_or_else(|| Rejection::malformed("slash command without a channel, user or team"))?;
    let user = field("user_id").map(|id| User {
        id: id.to_owned(),
        username: field("user_name").map(str::to_owned),
        ..User::default()
    });
    let id = first_id([field("trigger_id")]).unwrap_or_else(|| delivery.body_hash());
    let context = delivery.context(field("team_id"), field("api_app_id"));
    let message = Message::text(line).with_payload(command);
    let mut event = Event::new(
        EventKind::Command,
        chat_id,
        id,
        raw_json(&Value::Object(form.clone())),
    );
    event.message = message;
    event.user = user;
    event.context = context;
    Ok(Outcome::events(vec![event]))
}
