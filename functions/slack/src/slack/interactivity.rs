//! Interactivity payloads: Block Kit actions, legacy message buttons, modal and legacy dialog
//! submissions and closes, shortcuts and external-menu option requests; one event per payload.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use shared_core::Rejection;
use shared_core::channel::{Event, Outcome};
use shared_core::envelope::{EventKind, Message, MessageType, User};

use super::payload::{Action, Interaction, InteractionKind, InteractionUser};
use super::{Delivery, first_id, ts_time};

/// Normalizes the JSON of a `payload` form field.
pub(super) fn receive(payload: &str, delivery: &Delivery<'_>) -> Result<Outcome, Rejection> {
    let raw = RawValue::from_string(payload.to_owned())
        .map_err(|err| Rejection::malformed(format_args!("`payload` is not JSON: {err}")))?;
    let interaction: Interaction = serde_json::from_str(raw.get()).map_err(|err| {
        Rejection::malformed(format_args!("`payload` is not what Slack sends: {err}"))
    })?;
    let user = interaction.user.as_ref().and_then(user_of);
    let team_id = first_id([
        interaction
            .team
            .as_ref()
            .and_then(|team| team.id.as_deref()),
        interaction
            .user
            .as_ref()
            .and_then(|user| user.team_id.as_deref()),
    ]);
    // Views, the App Home and global shortcuts have no conversation: answer the user.
    let chat_id = first_id([
        interaction
            .channel
            .as_ref()
            .and_then(|channel| channel.id.as_deref()),
        interaction
            .container
            .as_ref()
            .and_then(|container| container.channel_id.as_deref()),
        user.as_ref().map(|user| user.id.as_str()),
        team_id.as_deref(),
    ])
    .ok_or_else(|| Rejection::malformed("interaction without a channel, user or team"))?;
    let (kind, message) = normalize(&interaction);
    let id = first_id([interaction.trigger_id.as_deref()]).unwrap_or_else(|| delivery.body_hash());
    let action_ts = first_action(&interaction)
        .and_then(|action| action.get("action_ts"))
        .and_then(Value::as_str);
    let mut event = Event::new(kind, chat_id, id, raw);
    event.message = message;
    event.user = user;
    event.timestamp = first_id([interaction.action_ts.as_deref(), action_ts])
        .as_deref()
        .and_then(ts_time);
    event.context = delivery.context(team_id.as_deref(), interaction.api_app_id.as_deref());
    Ok(Outcome::events(vec![event]))
}

fn normalize(interaction: &Interaction) -> (EventKind, Message) {
    let view = interaction.view.as_ref();
    let view_callback = view.and_then(|view| view.callback_id.clone());
    match interaction.kind {
        InteractionKind::BlockActions | InteractionKind::InteractiveMessage => {
            (EventKind::Callback, action_message(interaction))
        }
        InteractionKind::ViewSubmission => {
            let values = view
                .and_then(|view| view.state.as_ref())
                .and_then(|state| state.values.clone());
            (
                EventKind::Callback,
                Message {
                    payload: view_callback,
                    data: values,
                    ..Message::of(MessageType::Button)
                },
            )
        }
        // A legacy dialog's form: its values by element name, as a modal's.
        InteractionKind::DialogSubmission => (
            EventKind::Callback,
            Message {
                payload: interaction.callback_id.clone(),
                data: interaction.submission.clone(),
                ..Message::of(MessageType::Button)
            },
        ),
        // A cancelled modal is no choice: kept apart from submissions that carry the same callback id.
        InteractionKind::ViewClosed => (
            EventKind::Closed,
            Message {
                payload: view_callback,
                ..Message::default()
            },
        ),
        InteractionKind::DialogCancellation => (
            EventKind::Closed,
            Message {
                payload: interaction.callback_id.clone(),
                ..Message::default()
            },
        ),
        // Shortcuts start something, as slash commands do; they answer nothing the bot showed.
        InteractionKind::Shortcut | InteractionKind::MessageAction => {
            (EventKind::Command, shortcut_message(interaction))
        }
        // Slack wants the options in the answer itself, which a queue cannot give: kept as `other`.
        InteractionKind::BlockSuggestion => (
            EventKind::Other,
            Message {
                text: interaction.value.clone(),
                payload: interaction.action_id.clone(),
                ..Message::default()
            },
        ),
        InteractionKind::Unknown => (EventKind::Other, Message::default()),
    }
}

fn first_action(interaction: &Interaction) -> Option<&Value> {
    interaction.actions.iter().flatten().next()
}

/// The button pressed or the option chosen: its value as `payload`, its label as `text`, the
/// message it sits on as `id`.
fn action_message(interaction: &Interaction) -> Message {
    let whole = first_action(interaction);
    let action = whole
        .and_then(|value| Action::deserialize(value).ok())
        .unwrap_or_default();
    let chosen = action
        .selected_option
        .as_ref()
        .or_else(|| action.selected_options.iter().flatten().next());
    let payload = first_id([
        action.value.as_deref(),
        chosen.and_then(|choice| choice.value.as_deref()),
        action.selected_date.as_deref(),
        action.selected_time.as_deref(),
        action.selected_user.as_deref(),
        action.selected_channel.as_deref(),
        action.selected_conversation.as_deref(),
        action.action_id.as_deref(),
        action.name.as_deref(),
    ]);
    let label = chosen
        .and_then(|choice| choice.text.as_ref())
        .or(action.text.as_ref());
    Message {
        text: first_id([label.and_then(|text| text.text.as_deref())]),
        payload,
        id: first_id([
            interaction
                .container
                .as_ref()
                .and_then(|container| container.message_ts.as_deref()),
            interaction.message_ts.as_deref(),
        ]),
        data: whole.cloned(),
        ..Message::of(MessageType::Button)
    }
}

/// A shortcut's callback id as `payload`; a message shortcut's message as `text` and `id`.
fn shortcut_message(interaction: &Interaction) -> Message {
    let shown = interaction.message.as_ref();
    let text = first_id([shown.and_then(|message| message.text.as_deref())]);
    Message {
        kind: if text.is_some() {
            MessageType::Text
        } else {
            MessageType::None
        },
        text,
        payload: first_id([interaction.callback_id.as_deref()]),
        id: first_id([
            interaction.message_ts.as_deref(),
            shown.and_then(|message| message.ts.as_deref()),
        ]),
        ..Message::default()
    }
}

fn user_of(user: &InteractionUser) -> Option<User> {
    Some(User {
        id: first_id([user.id.as_deref()])?,
        username: user.username.clone(),
        name: user.name.clone(),
        ..User::default()
    })
}
