//! A Messenger `message` → the envelope's message: type, text, attachments, location, reply.

use shared_core::envelope::{Attachment, Location, Message, MessageType};

use super::payload;

/// The envelope message of a user's message (no quick-reply handling: see `normalize`).
pub fn message(message: &payload::Message) -> Message {
    let mut location = None;
    let mut attachments: Vec<Attachment> = Vec::with_capacity(message.attachments.len());
    for given in &message.attachments {
        let (attachment, place) = attachment(given);
        location = location.or(place);
        let repeated_sticker = attachment.kind == MessageType::Sticker
            && attachment.file_id.is_some()
            && attachments.iter().any(|seen| {
                seen.kind == MessageType::Sticker && seen.file_id == attachment.file_id
            });
        // During Meta's sticker transition one sticker comes twice, as `image` and as `sticker`.
        if !repeated_sticker {
            attachments.push(attachment);
        }
    }
    let sticker_id = message.sticker_id.as_ref().map(|id| id.as_str().to_owned());
    let kind = if sticker_id.is_some() {
        MessageType::Sticker
    } else if let Some(first) = attachments.first() {
        first.kind
    } else if message.text.is_some() {
        MessageType::Text
    } else {
        MessageType::None
    };
    if let (Some(sticker_id), Some(first)) = (&sticker_id, attachments.first_mut())
        && first.file_id.is_none()
    {
        first.kind = MessageType::Sticker;
        first.file_id = Some(sticker_id.clone());
    }
    Message {
        id: message.mid.clone(),
        kind,
        text: message.text.clone(),
        attachments,
        location,
        reply_to: message
            .reply_to
            .as_ref()
            .and_then(|reply| reply.mid.clone()),
        ..Message::default()
    }
}

/// One attachment, and the place it shows when it is a location.
fn attachment(given: &payload::Attachment) -> (Attachment, Option<Location>) {
    let payload = given.payload.as_ref();
    let sticker_id = payload
        .and_then(|payload| payload.sticker_id.as_ref())
        .map(|id| id.as_str().to_owned());
    let kind = match given.kind.as_deref() {
        Some("sticker") => MessageType::Sticker,
        Some("image") if sticker_id.is_some() => MessageType::Sticker,
        Some("image") => MessageType::Image,
        Some("video" | "reel" | "ig_reel") => MessageType::Video,
        Some("audio") => MessageType::Audio,
        Some("file") => MessageType::File,
        Some("location") => MessageType::Location,
        // fallback (link shares), template, and what Meta adds later (share, story_mention, post, ...)
        _ => MessageType::Rich,
    };
    let url = payload
        .and_then(|payload| payload.url.clone())
        .or_else(|| given.url.clone())
        .or_else(|| given.upper_url.clone());
    let name = given
        .title
        .clone()
        .or_else(|| payload.and_then(|payload| payload.title.clone()));
    let location = payload
        .and_then(|payload| payload.coordinates)
        .and_then(|point| place(point.lat, point.long));
    let attachment = Attachment {
        url,
        file_id: sticker_id,
        name,
        ..Attachment::of(kind)
    };
    (attachment, location)
}

/// A point on Earth, or `None` for coordinates that are not one.
fn place(lat: f64, lon: f64) -> Option<Location> {
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
        .then_some(Location { lat, lon })
}

/// The first 16 hex digits of SHA-256(text): a stable stand-in where an item has no id or time.
pub fn digest(text: &str) -> String {
    let mut hex = shared_core::verify::sha256_hex(text.as_bytes());
    hex.truncate(16);
    hex
}
