//! What a Telegram message carries, as the envelope's `message`: type, text or caption,
//! attachments, location, reply and entities.

use serde_json::value::RawValue;
use serde_json::{Value, json};
use shared_core::{Attachment, Location, Message, MessageType, RawJson};

use super::objects::{self, File, GeoPoint, PhotoSize};

/// The envelope `message` for a Telegram message (its text and entities moved, not copied).
pub fn message(source: objects::Message) -> Message {
    let mut message = content(&source);
    message.id = Some(source.message_id.to_string());
    message.text = source.text.or(source.caption).or(message.text);
    message.entities = source
        .entities
        .or(source.caption_entities)
        .map(RawJson::new);
    message.reply_to = source
        .reply_to_message
        .map(|reply| reply.message_id.to_string());
    message
}

/// The command a message starts with (`/start`, `/help@mybot`), and what follows it.
pub fn command(source: &objects::Message) -> Option<(&str, Option<&str>)> {
    let text = source.text.as_deref()?;
    let word_end = text.find(char::is_whitespace).unwrap_or(text.len());
    let word = &text[..word_end];
    let name = word.strip_prefix('/')?;
    let (command, _bot) = name.split_once('@').unwrap_or((name, ""));
    if command.is_empty()
        || command.len() > 32
        || !command
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return None;
    }
    if !starts_with_command_entity(source.entities.as_deref()) {
        return None;
    }
    let argument = text[word_end..].trim();
    Some((word, (!argument.is_empty()).then_some(argument)))
}

/// Telegram marks commands with a `bot_command` entity at offset 0; a message without
/// entities (as some clients and tests send) is taken at its word.
fn starts_with_command_entity(entities: Option<&RawValue>) -> bool {
    let entities = entities.and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok());
    let Some(entities) = entities.as_ref().and_then(Value::as_array) else {
        return true;
    };
    entities
        .iter()
        .any(|entity| entity["type"] == "bot_command" && entity["offset"] == 0)
}

fn content(source: &objects::Message) -> Message {
    if let Some(photo) = source.photo.as_deref().and_then(largest) {
        let attachment = Attachment {
            file_id: Some(photo.file_id.clone()),
            size: photo.file_size,
            ..Attachment::of(MessageType::Image)
        };
        return with_attachment(MessageType::Image, attachment);
    }
    let files: [(&Option<File>, MessageType); 7] = [
        (&source.video, MessageType::Video),
        (&source.animation, MessageType::Video),
        (&source.video_note, MessageType::Video),
        (&source.audio, MessageType::Audio),
        (&source.voice, MessageType::Voice),
        (&source.document, MessageType::File),
        (&source.sticker, MessageType::Sticker),
    ];
    if let Some((file, kind)) = files
        .iter()
        .find_map(|(file, kind)| file.as_ref().map(|file| (file, *kind)))
    {
        let mut message = with_attachment(kind, attachment(file, kind));
        if kind == MessageType::Sticker {
            message.text = file.emoji.clone();
        }
        return message;
    }
    if let Some(venue) = &source.venue {
        let data = json!({ "venue": { "title": venue.title, "address": venue.address } });
        return Message {
            location: location(venue.location),
            data: Some(data),
            ..Message::of(MessageType::Location)
        };
    }
    if let Some(point) = source.location {
        return Message {
            location: location(point),
            ..Message::of(MessageType::Location)
        };
    }
    if let Some(contact) = &source.contact {
        return Message {
            data: Some(json!({ "contact": contact })),
            ..Message::of(MessageType::Contact)
        };
    }
    if let Some(web_app) = &source.web_app_data {
        let message = Message {
            text: web_app.button_text.clone(),
            ..Message::of(MessageType::Button)
        };
        return message.with_payload(web_app.data.clone());
    }
    let structured = [
        ("poll", &source.poll),
        ("game", &source.game),
        ("invoice", &source.invoice),
        ("story", &source.story),
    ];
    if let Some((name, Some(value))) = structured.iter().find(|(_, value)| value.is_some()) {
        return Message {
            data: Some(json!({ *name: value })),
            ..Message::of(MessageType::Rich)
        };
    }
    let other = [
        ("dice", &source.dice),
        ("successful_payment", &source.successful_payment),
    ];
    if let Some((name, Some(value))) = other.iter().find(|(_, value)| value.is_some()) {
        return Message {
            data: Some(json!({ *name: value })),
            ..Message::of(MessageType::None)
        };
    }
    if source.text.is_some() {
        return Message::of(MessageType::Text);
    }
    Message::of(MessageType::None)
}

/// The largest photo size: Telegram lists them smallest first, but compare to be sure.
fn largest(sizes: &[PhotoSize]) -> Option<&PhotoSize> {
    sizes.iter().max_by_key(|size| {
        (
            size.width.saturating_mul(size.height),
            size.file_size.unwrap_or(0),
        )
    })
}

fn attachment(file: &File, kind: MessageType) -> Attachment {
    Attachment {
        file_id: Some(file.file_id.clone()),
        name: file.file_name.clone(),
        mime_type: file.mime_type.clone(),
        size: file.file_size,
        ..Attachment::of(kind)
    }
}

fn with_attachment(kind: MessageType, attachment: Attachment) -> Message {
    Message {
        attachments: vec![attachment],
        ..Message::of(kind)
    }
}

/// A point on the globe; coordinates outside it (never sent by Telegram) are left out.
fn location(point: GeoPoint) -> Option<Location> {
    let on_globe =
        (-90.0..=90.0).contains(&point.latitude) && (-180.0..=180.0).contains(&point.longitude);
    on_globe.then_some(Location {
        lat: point.latitude,
        lon: point.longitude,
    })
}
