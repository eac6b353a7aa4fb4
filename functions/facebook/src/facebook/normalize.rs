//! One `messaging[]` / `standby[]` item (or page change) → one envelope event.

use serde_json::value::RawValue;
use serde_json::{Map, Value, json};
use shared_core::channel::Event;
use shared_core::envelope::{EventKind, Message, MessageType, User};

use super::content;
use super::item::{Kind, ReadItem};
use super::payload::{self, IdText, Referral, millis};

/// Where an item came from: the entry around it.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub page_id: &'a str,
    /// The request's `object`: `page` or `instagram`.
    pub object: Option<&'a str>,
    /// `messaging`, `standby` or `changes`.
    pub source: &'static str,
    /// The entry's `time` (epoch ms).
    pub entry_time: Option<i64>,
}

impl Origin<'_> {
    fn context(&self) -> Map<String, Value> {
        let mut context = Map::new();
        context.insert("page_id".to_owned(), Value::from(self.page_id));
        context.insert("source".to_owned(), Value::from(self.source));
        // Messenger is the default; other objects (`instagram`) say so, as their ids differ.
        if let Some(object) = self.object.filter(|object| *object != "page") {
            context.insert("object".to_owned(), Value::from(object));
        }
        context
    }
}

/// What an item turns into.
#[derive(Debug)]
pub enum Normalized {
    Event(Box<Event>),
    /// A message the page itself sent (`is_echo`): counted, not enqueued.
    Echo,
}

/// The normalized parts of one item before chat, user, time and id are added.
struct Draft {
    kind: EventKind,
    message: Message,
    referral: Option<String>,
    /// The platform's own id for this event (a message's `mid`), when it has one.
    own_id: Option<String>,
    /// The last part of the fallback id `{sender}:{time}:{name}`.
    name: String,
    /// The time to use where the item's `timestamp` is missing or 0 (a receipt's watermark).
    watermark: Option<i64>,
    /// The chat to fall back on when the item has no sender (the checkbox plugin's `user_ref`).
    user_ref: Option<String>,
}

impl Draft {
    fn new(kind: EventKind, message: Message) -> Self {
        Self {
            kind,
            message,
            referral: None,
            own_id: None,
            name: kind.as_str().to_owned(),
            watermark: None,
            user_ref: None,
        }
    }
}

/// Normalizes one `messaging[]` or `standby[]` item.
pub fn item(raw: Box<RawValue>, origin: &Origin<'_>) -> Normalized {
    let Some(item) = ReadItem::read(raw.get()) else {
        return Normalized::Event(Box::new(unparsed(raw, origin, "unknown")));
    };
    let sender = item
        .sender
        .as_ref()
        .and_then(|party| party.id.as_ref().or(party.user_ref.as_ref()))
        .map(|id| id.as_str().to_owned());
    let item_time = millis(item.timestamp.as_ref());
    let Some(draft) = draft(item) else {
        return Normalized::Echo;
    };
    let person = sender
        .or(draft.user_ref.clone())
        .filter(|id| !id.is_empty());
    let chat_id = person.clone().unwrap_or_else(|| origin.page_id.to_owned());
    let when = item_time.or(draft.watermark);
    let id = match draft.own_id.filter(|id| !id.is_empty()) {
        Some(own) => own,
        None => fallback_id(&chat_id, when.or(origin.entry_time), &draft.name, &raw),
    };
    let mut event = Event::new(draft.kind, chat_id, id, raw);
    event.message = draft.message;
    event.user = person.map(User::id);
    event.timestamp = when.and_then(shared_core::time::from_unix_millis);
    event.referral = draft.referral;
    event.context = origin.context();
    Normalized::Event(Box::new(event))
}

/// Normalizes one `changes[]` item of a page entry (a page field other than messaging): `other`.
pub fn change(raw: Box<RawValue>, origin: &Origin<'_>) -> Event {
    let field = serde_json::from_str::<Value>(raw.get())
        .ok()
        .and_then(|value| {
            value
                .get("field")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "changes".to_owned());
    unparsed(raw, origin, &field)
}

/// An `other` event for the page, for what has no sender or no known shape.
fn unparsed(raw: Box<RawValue>, origin: &Origin<'_>, name: &str) -> Event {
    let id = fallback_id(origin.page_id, origin.entry_time, name, &raw);
    let mut event = Event::new(EventKind::Other, origin.page_id, id, raw);
    event.timestamp = origin
        .entry_time
        .and_then(shared_core::time::from_unix_millis);
    event.context = origin.context();
    event
}

/// `{sender}:{time}:{name}`; with no time at all, a digest of the item stands in for it.
fn fallback_id(chat_id: &str, when: Option<i64>, name: &str, raw: &RawValue) -> String {
    match when {
        Some(when) => format!("{chat_id}:{when}:{name}"),
        None => format!("{chat_id}:{}:{name}", content::digest(raw.get())),
    }
}

/// The kind-specific part; `None` for the page's own echo.
fn draft(item: ReadItem) -> Option<Draft> {
    let ReadItem {
        kind,
        referral,
        field,
        ..
    } = item;
    let draft = match kind {
        Kind::Message(message) if message.is_echo => return None,
        Kind::Message(message) => message_draft(*message, referral),
        Kind::Postback(postback) => {
            let mut text = Message::of(MessageType::Button);
            text.id.clone_from(&postback.mid);
            text.text = postback.title;
            text.payload = postback.payload;
            let mut draft = Draft::new(EventKind::Callback, text);
            draft.own_id = postback.mid;
            draft.referral = postback.referral.and_then(|referral| referral.reference);
            draft
        }
        Kind::Referral(referral) => {
            let mut draft = Draft::new(EventKind::ConversationStarted, with_data(field));
            draft.referral = referral.reference;
            draft
        }
        Kind::Delivery(receipt) => receipt_draft(EventKind::Delivered, &receipt, field),
        Kind::Read(receipt) => receipt_draft(EventKind::Seen, &receipt, field),
        Kind::Reaction(reaction) => {
            let mut data = Map::new();
            for (key, value) in [
                ("reaction", reaction.reaction),
                ("emoji", reaction.emoji),
                ("action", reaction.action),
                ("mid", reaction.mid),
            ] {
                if let Some(value) = value {
                    data.insert(key.to_owned(), Value::String(value));
                }
            }
            let message = Message {
                data: Some(Value::Object(data)),
                ..Message::of(MessageType::None)
            };
            Draft::new(EventKind::Reaction, message)
        }
        Kind::MessageEdit(edit) => {
            let mut message = edit
                .text
                .map_or_else(|| Message::of(MessageType::None), Message::text);
            message.id = edit.mid;
            message.data = edit.num_edit.map(|count| json!({ "num_edit": count }));
            Draft::new(EventKind::Edited, message)
        }
        Kind::Optin(optin) => {
            // Meta documents the status both as `STOP_NOTIFICATIONS` and as `STOP NOTIFICATIONS`.
            let stopped = optin.notification_messages_status.is_some_and(|status| {
                status
                    .replace(' ', "_")
                    .eq_ignore_ascii_case("STOP_NOTIFICATIONS")
            });
            let kind = if stopped {
                EventKind::Unsubscribed
            } else {
                EventKind::Subscribed
            };
            let message = Message {
                payload: optin.payload,
                ..Message::of(MessageType::None)
            };
            let mut draft = Draft::new(kind, message);
            draft.referral = optin.reference;
            draft.user_ref = optin.user_ref.map(IdText::into_string);
            draft
        }
        Kind::Other(name) => {
            let mut draft = Draft::new(EventKind::Other, Message::of(MessageType::None));
            draft.name = name;
            draft
        }
    };
    Some(draft)
}

/// A message; `item_referral` is the item's own `referral`, beside the message.
fn message_draft(message: payload::Message, item_referral: Option<Referral>) -> Draft {
    let referral = message
        .referral
        .as_ref()
        .or(item_referral.as_ref())
        .and_then(|referral| referral.reference.clone());
    if message.is_deleted {
        let mut draft = Draft::new(EventKind::Deleted, Message::of(MessageType::None));
        draft.message.id = message.mid;
        return draft;
    }
    let quick_reply = message
        .quick_reply
        .as_ref()
        .and_then(|quick_reply| quick_reply.payload.clone());
    let mut normalized = content::message(&message);
    let kind = if quick_reply.is_some() {
        normalized.kind = MessageType::Button;
        normalized.payload = quick_reply;
        EventKind::Callback
    } else {
        EventKind::Message
    };
    let mut draft = Draft::new(kind, normalized);
    draft.own_id = message.mid;
    draft.referral = referral;
    draft
}

fn receipt_draft(kind: EventKind, receipt: &payload::Receipt, field: Option<Value>) -> Draft {
    let mut draft = Draft::new(kind, with_data(field));
    draft.message.id.clone_from(&receipt.mid);
    draft.watermark = millis(receipt.watermark.as_ref());
    draft
}

/// A message with no content of its own but the item's kind field, as the platform gave it.
fn with_data(field: Option<Value>) -> Message {
    Message {
        data: field,
        ..Message::of(MessageType::None)
    }
}
