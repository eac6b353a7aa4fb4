//! The `message` object of a user's `message` callback, as the envelope's message.

use serde_json::{Map, Value};
use shared_core::envelope::{Attachment, Location, Message, MessageType};
use shared_core::ids::IdText;

use super::payload::{InboundMessage, MessageToken};

/// The user's message: its type, text or caption, media, location, contact card or rich media,
/// and the bot's `tracking_data` in `data`.
pub fn message_from(inbound: InboundMessage, token: Option<MessageToken>) -> Message {
    let InboundMessage {
        kind,
        text,
        media,
        thumbnail,
        location,
        contact,
        tracking_data,
        file_name,
        file_size,
        duration,
        sticker_id,
        rich_media,
    } = inbound;
    let text = non_empty(text);
    let media = non_empty(media);
    let mut data = Map::new();
    let mut message = match kind.as_deref() {
        // A keyboard button's reply arrives as text whose text is the button's ActionBody.
        Some("text") => Message {
            payload: text.clone(),
            text,
            ..Message::of(MessageType::Text)
        },
        Some("url") => Message {
            text: media.or(text),
            ..Message::of(MessageType::Text)
        },
        Some("picture") => {
            let attachment = Attachment {
                url: media,
                name: non_empty(file_name),
                size: file_size,
                ..Attachment::of(MessageType::Image)
            };
            with_attachment(MessageType::Image, text, attachment)
        }
        Some("video") => {
            if let Some(seconds) = duration {
                data.insert("duration".to_owned(), Value::from(seconds));
            }
            insert_text(&mut data, "thumbnail", thumbnail);
            let attachment = Attachment {
                url: media,
                name: non_empty(file_name),
                size: file_size,
                ..Attachment::of(MessageType::Video)
            };
            with_attachment(MessageType::Video, text, attachment)
        }
        Some("file") => {
            let attachment = Attachment {
                url: media,
                name: non_empty(file_name),
                size: file_size,
                ..Attachment::of(MessageType::File)
            };
            with_attachment(MessageType::File, text, attachment)
        }
        Some("sticker") => {
            let file_id = non_empty(sticker_id.map(IdText::into_string));
            with_attachment(
                MessageType::Sticker,
                text,
                Attachment {
                    url: media,
                    file_id,
                    ..Attachment::of(MessageType::Sticker)
                },
            )
        }
        Some("contact") => {
            let contact = contact.unwrap_or_default();
            insert_text(&mut data, "name", contact.name);
            insert_text(&mut data, "phone_number", contact.phone_number);
            insert_text(&mut data, "avatar", contact.avatar);
            Message {
                text,
                ..Message::of(MessageType::Contact)
            }
        }
        Some("location") => {
            let location = location
                .map(|at| Location {
                    lat: at.lat,
                    lon: at.lon,
                })
                .filter(is_on_earth);
            Message {
                text,
                location,
                ..Message::of(MessageType::Location)
            }
        }
        Some("rich_media") => {
            if let Some(rich_media) = rich_media {
                data.insert("rich_media".to_owned(), rich_media);
            }
            Message {
                text,
                ..Message::of(MessageType::Rich)
            }
        }
        // A type added later: whatever text and media it has; `raw` keeps the rest.
        _ => match media {
            Some(url) => with_attachment(
                MessageType::None,
                text,
                Attachment {
                    url: Some(url),
                    ..Attachment::of(MessageType::None)
                },
            ),
            None => Message {
                text,
                ..Message::of(MessageType::None)
            },
        },
    };
    insert_text(&mut data, "tracking_data", tracking_data);
    message.id = token.map(|token| token.to_string());
    message.data = object(data);
    message
}

fn with_attachment(kind: MessageType, text: Option<String>, attachment: Attachment) -> Message {
    Message {
        text,
        attachments: vec![attachment],
        ..Message::of(kind)
    }
}

/// Coordinates the envelope can carry (latitude ±90, longitude ±180).
fn is_on_earth(location: &Location) -> bool {
    (-90.0..=90.0).contains(&location.lat) && (-180.0..=180.0).contains(&location.lon)
}

pub fn insert_text(data: &mut Map<String, Value>, key: &str, value: Option<String>) {
    if let Some(value) = non_empty(value) {
        data.insert(key.to_owned(), Value::String(value));
    }
}

pub fn object(data: Map<String, Value>) -> Option<Value> {
    (!data.is_empty()).then_some(Value::Object(data))
}

pub fn non_empty(text: Option<String>) -> Option<String> {
    text.filter(|text| !text.is_empty())
}
