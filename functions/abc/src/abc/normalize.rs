//! One Apple message becomes one envelope event: the kind, the customer as `chat_id`, the message
//! content, the intent as `ref`, and the request facts (business, capabilities, device, locale).

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use shared_core::{Attachment, Event, EventKind, Message, MessageType, Rejection, Request, User};

use super::interactive;
use super::payload::{self, Kind};

/// Apple's placeholder for an attachment's place in the text.
const OBJECT_REPLACEMENT: char = '\u{FFFC}';

/// The event for an authenticated request whose body is `raw`.
pub fn event(request: &Request<'_>, raw: Box<RawValue>) -> Result<Event, Rejection> {
    let body: payload::Message = serde_json::from_str(raw.get()).map_err(|err| {
        Rejection::malformed(format_args!("body is not the expected JSON: {err}"))
    })?;
    let id = header(request, "id")
        .or(nonempty(body.id.as_deref()))
        .ok_or_else(|| Rejection::malformed("no message id (header `id` or body `id`)"))?
        .to_owned();
    let source_id = header(request, "source-id")
        .or(nonempty(body.source_id.as_deref()))
        .ok_or_else(|| {
            Rejection::malformed("no source id (header `source-id` or body `sourceId`)")
        })?
        .to_owned();
    let locale = header(request, "locale")
        .or(nonempty(body.locale.as_deref()))
        .map(str::to_owned);
    let mut event = Event::new(kind(&body.kind), source_id.as_str(), id.as_str(), raw);
    event.referral = nonempty(body.intent.as_deref()).map(str::to_owned);
    event.context = context(request, &body, locale.as_deref());
    event.message = message(body);
    event.message.id = Some(id);
    event.user = Some(User {
        language: locale,
        ..User::id(source_id)
    });
    Ok(event)
}

fn kind(kind: &Kind) -> EventKind {
    match kind {
        Kind::Text | Kind::RichLink => EventKind::Message,
        Kind::Interactive => EventKind::Callback,
        Kind::TypingStart => EventKind::TypingStart,
        Kind::TypingEnd => EventKind::TypingEnd,
        Kind::Close => EventKind::Closed,
        Kind::Other(_) => EventKind::Other,
    }
}

/// The message of the body (its text and data moved, not copied).
fn message(body: payload::Message) -> Message {
    match body.kind {
        Kind::Text => text_message(body),
        Kind::Interactive => interactive_message(body),
        Kind::RichLink => rich_link_message(body),
        Kind::TypingStart | Kind::TypingEnd | Kind::Close | Kind::Other(_) => {
            Message::of(MessageType::None)
        }
    }
}

/// Text, attachments or both; the type is the first attachment's, else `text`.
fn text_message(body: payload::Message) -> Message {
    let attachments: Vec<Attachment> = body.attachments.into_iter().map(attachment).collect();
    let text = match body.body {
        Some(text) if !attachments.is_empty() => {
            Some(text.replace(OBJECT_REPLACEMENT, "").trim().to_owned())
                .filter(|text| !text.is_empty())
        }
        other => other,
    };
    let kind = match (attachments.first(), &text) {
        (Some(first), _) => first.kind,
        (None, Some(_)) => MessageType::Text,
        (None, None) => MessageType::None,
    };
    Message {
        kind,
        text,
        attachments,
        ..Message::default()
    }
}

/// A reply to a list picker, time picker, quick reply, Apple Pay, authentication or form. When
/// the reply came as a reference (over 10 KB), the reference is the `data` and there is no payload.
fn interactive_message(body: payload::Message) -> Message {
    let mut message = Message::of(MessageType::Button);
    if let Some(data) = body
        .interactive_data
        .and_then(|interactive| interactive.data)
    {
        message.payload = interactive::selection(&data);
        message.text = interactive::reply_title(&data);
        message.data = Some(data);
    } else if let Some(reference) = body.interactive_data_ref {
        message.data = Some(Value::Object(reference));
    }
    message
}

/// A rich link: its URL (or the body) as text, the link's data as `data`.
fn rich_link_message(body: payload::Message) -> Message {
    let link = body.rich_link_data;
    let url = link
        .as_ref()
        .and_then(|link| link.get("url"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Message {
        kind: MessageType::Rich,
        text: body
            .body
            .filter(|text| !text.trim_matches(OBJECT_REPLACEMENT).trim().is_empty())
            .or(url),
        data: link.map(Value::Object),
        ..Message::default()
    }
}

fn attachment(source: payload::Attachment) -> Attachment {
    let mime = source
        .mime_type
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let kind = match mime.split('/').next().unwrap_or_default() {
        "image" => MessageType::Image,
        "video" => MessageType::Video,
        "audio" => MessageType::Audio,
        _ => MessageType::File,
    };
    Attachment {
        kind,
        url: source.url,
        name: source.name,
        mime_type: source.mime_type,
        size: source.size,
        key: source.key,
        owner: source.owner,
        signature: source.signature.or(source.signature_base64),
        ..Attachment::default()
    }
}

/// The request facts a consumer routes or answers on.
fn context(
    request: &Request<'_>,
    body: &payload::Message,
    locale: Option<&str>,
) -> Map<String, Value> {
    let mut context = Map::new();
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(value) = value {
            context.insert(key.to_owned(), Value::String(value.to_owned()));
        }
    };
    put(
        "destination_id",
        header(request, "destination-id").or(nonempty(body.destination_id.as_deref())),
    );
    put("device_agent", header(request, "device-agent"));
    put("locale", locale);
    put("group", nonempty(body.group.as_deref()));
    if let Some(list) =
        header(request, "capability-list").or_else(|| header(request, "capabilities"))
    {
        let capabilities: Vec<Value> = list
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| Value::String(item.to_owned()))
            .collect();
        context.insert("capabilities".to_owned(), Value::Array(capabilities));
    }
    context
}

/// A header's value, trimmed; `None` when missing, empty or not text.
fn header<'a>(request: &Request<'a>, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

fn nonempty(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.trim().is_empty())
}
