//! A `messages[]` item's content → the envelope's event kind and message: type, text, payload,
//! attachments, location, reply, and the type-specific rest in `data`.

use serde_json::{Map, Value};
use shared_core::envelope::{Attachment, EventKind, Location, Message, MessageType};

use super::payload::{self, Content, ErrorDetail, MediaKind};

/// What a message item turns into, before chat, user, time and id are added.
#[derive(Debug)]
pub struct Normalized {
    pub kind: EventKind,
    pub message: Message,
    /// The click-to-WhatsApp ad's `source_id`.
    pub referral: Option<String>,
}

/// Normalizes a message item's content, its context (reply or forward), referral and errors.
pub fn message(item: payload::Message) -> Normalized {
    let (kind, mut message, mut data) = content(item.content);
    message.id = message.id.or(item.id);
    if let Some(context) = &item.context {
        let forwarded =
            context.forwarded == Some(true) || context.frequently_forwarded == Some(true);
        if !forwarded {
            message.reply_to = message.reply_to.or_else(|| context.id.clone());
        }
        if let Ok(context) = serde_json::to_value(context) {
            data.insert("context".to_owned(), context);
        }
    }
    if !item.errors.is_empty() {
        data.insert("errors".to_owned(), errors(&item.errors));
    }
    message.data = (!data.is_empty()).then_some(Value::Object(data));
    Normalized {
        kind,
        message,
        referral: item.referral.and_then(|referral| referral.source_id),
    }
}

/// Meta's error objects, as the envelope carries them in `data.errors`.
pub fn errors(errors: &[ErrorDetail]) -> Value {
    serde_json::to_value(errors).unwrap_or(Value::Null)
}

/// The kind, the message and its `data` fields, by the item's type.
fn content(content: Content) -> (EventKind, Message, Map<String, Value>) {
    let mut data = Map::new();
    let (kind, message) = match content {
        Content::Text(text) => (
            EventKind::Message,
            Message {
                text: text.body,
                ..Message::of(MessageType::Text)
            },
        ),
        Content::Media(media_kind, media) => {
            (EventKind::Message, attached(media_kind, media, &mut data))
        }
        Content::Location(place) => (EventKind::Message, located(place, &mut data)),
        Content::Contacts(cards) => {
            data.insert("contacts".to_owned(), cards);
            (EventKind::Message, Message::of(MessageType::Contact))
        }
        Content::Interactive(interactive) => interactive_reply(interactive, &mut data),
        Content::Button(button) => (
            EventKind::Callback,
            Message {
                text: button.text,
                payload: button.payload,
                ..Message::of(MessageType::Button)
            },
        ),
        Content::Reaction(reaction) => {
            let emoji = reaction.emoji.filter(|emoji| !emoji.is_empty());
            let action = if emoji.is_some() { "react" } else { "unreact" };
            data.insert("action".to_owned(), Value::from(action));
            insert_text(&mut data, "emoji", emoji);
            insert_text(&mut data, "message_id", reaction.message_id);
            (EventKind::Reaction, Message::of(MessageType::None))
        }
        Content::Edit(edit) => {
            let payload::Edit {
                original_message_id,
                message: edited,
            } = *edit;
            let mut message = edited
                .map(|edited| message(edited).message)
                .unwrap_or_default();
            if let Some(Value::Object(fields)) = message.data.take() {
                data = fields;
            }
            message.id.clone_from(&original_message_id);
            insert_text(&mut data, "original_message_id", original_message_id);
            (EventKind::Edited, message)
        }
        Content::Revoke(revoke) => {
            insert_text(
                &mut data,
                "original_message_id",
                revoke.original_message_id.clone(),
            );
            let message = Message {
                id: revoke.original_message_id,
                ..Message::of(MessageType::None)
            };
            (EventKind::Deleted, message)
        }
        Content::RequestWelcome => (
            EventKind::ConversationStarted,
            Message::of(MessageType::None),
        ),
        Content::Other(name) => {
            data.insert("type".to_owned(), Value::from(name));
            (EventKind::Other, Message::of(MessageType::None))
        }
    };
    (kind, message, data)
}

/// A media message: one attachment fetched by its media id; the caption as text.
fn attached(
    media_kind: MediaKind,
    media: payload::Media,
    data: &mut Map<String, Value>,
) -> Message {
    let kind = match media_kind {
        MediaKind::Image => MessageType::Image,
        MediaKind::Video => MessageType::Video,
        MediaKind::Sticker => MessageType::Sticker,
        MediaKind::Audio if media.voice == Some(true) => MessageType::Voice,
        MediaKind::Audio => MessageType::Audio,
        MediaKind::Document => MessageType::File,
    };
    insert_text(data, "sha256", media.sha256);
    if let Some(animated) = media.animated {
        data.insert("animated".to_owned(), Value::Bool(animated));
    }
    let attachment = Attachment {
        url: media.url,
        file_id: media.id,
        name: media.filename,
        mime_type: media.mime_type,
        ..Attachment::of(kind)
    };
    Message {
        text: media.caption,
        attachments: vec![attachment],
        ..Message::of(kind)
    }
}

/// A shared location: the point, and its name, address and link in `data`.
fn located(place: payload::Location, data: &mut Map<String, Value>) -> Message {
    insert_text(data, "name", place.name);
    insert_text(data, "address", place.address);
    insert_text(data, "url", place.url);
    let location = match (place.latitude, place.longitude) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Some(Location { lat, lon })
        }
        _ => None,
    };
    Message {
        location,
        ..Message::of(MessageType::Location)
    }
}

/// A reply button, a list row or a completed flow: a `callback` whose payload is the reply's id
/// (the flow's `response_json`); any other interactive reply is `other`.
fn interactive_reply(
    interactive: payload::Interactive,
    data: &mut Map<String, Value>,
) -> (EventKind, Message) {
    let choice = match interactive.kind.as_deref() {
        Some("button_reply") => interactive.button_reply,
        Some("list_reply") => interactive.list_reply,
        Some("nfm_reply") => {
            if let Some(flow) = interactive.nfm_reply {
                insert_text(data, "flow_name", flow.name);
                let message = Message {
                    text: flow.body,
                    payload: flow.response_json,
                    ..Message::of(MessageType::Button)
                };
                return (EventKind::Callback, message);
            }
            None
        }
        _ => None,
    };
    let Some(choice) = choice else {
        data.insert("type".to_owned(), Value::from("interactive"));
        insert_text(data, "interactive_type", interactive.kind);
        return (EventKind::Other, Message::of(MessageType::None));
    };
    insert_text(data, "description", choice.description);
    let message = Message {
        text: choice.title,
        payload: choice.id,
        ..Message::of(MessageType::Button)
    };
    (EventKind::Callback, message)
}

fn insert_text(data: &mut Map<String, Value>, key: &str, text: Option<String>) {
    if let Some(text) = text {
        data.insert(key.to_owned(), Value::String(text));
    }
}
