//! Viber callbacks as envelope events: chat, user, message, event id, time and deep-link `ref`.

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use shared_core::channel::{Event, UNKNOWN_CHAT};
use shared_core::envelope::{EventKind, Message, User};
use shared_core::ids::IdText;
use shared_core::time::from_unix_millis;
use shared_core::verify::sha256_hex;

use super::message::{insert_text, message_from, non_empty, object};
use super::payload::{CallbackKind, Common, MessageCallback, MessageToken, Subscriber};

/// What a callback kind contributes before the event's id is settled.
struct Draft {
    kind: EventKind,
    user_id: Option<String>,
    user: Option<User>,
    message: Message,
    referral: Option<String>,
}

impl Draft {
    fn new(kind: EventKind, user_id: Option<String>) -> Self {
        let user = user_id.as_deref().filter(|id| !id.is_empty()).map(User::id);
        Self {
            kind,
            user_id,
            user,
            message: Message::default(),
            referral: None,
        }
    }

    fn from_subscriber(kind: EventKind, subscriber: Subscriber) -> Self {
        let user = user_from(&subscriber);
        Self {
            user,
            ..Self::new(kind, Some(subscriber.id))
        }
    }
}

/// The event of one callback (any kind but `webhook`, which is answered instead).
pub fn event(common: &Common, kind: CallbackKind, raw: Box<RawValue>) -> Event {
    let token = common.message_token;
    let draft = match kind {
        CallbackKind::Message(callback) => {
            let MessageCallback { sender, message } = *callback;
            let mut draft = Draft::from_subscriber(EventKind::Message, sender);
            draft.message = message_from(message, token);
            draft
        }
        CallbackKind::Subscribed(callback) => {
            Draft::from_subscriber(EventKind::Subscribed, callback.user)
        }
        CallbackKind::Unsubscribed(callback) => {
            Draft::new(EventKind::Unsubscribed, Some(callback.user_id))
        }
        CallbackKind::ConversationStarted(callback) => {
            let mut draft = Draft::from_subscriber(EventKind::ConversationStarted, callback.user);
            let mut data = Map::new();
            insert_text(&mut data, "type", callback.conversation_type);
            if let Some(subscribed) = callback.subscribed {
                data.insert("subscribed".to_owned(), Value::Bool(subscribed));
            }
            draft.message.data = object(data);
            draft.referral = non_empty(callback.context);
            draft
        }
        CallbackKind::Delivered(callback) => {
            receipt(EventKind::Delivered, callback.user_id, None, token)
        }
        CallbackKind::Seen(callback) => receipt(EventKind::Seen, callback.user_id, None, token),
        CallbackKind::Failed(callback) => {
            receipt(EventKind::Failed, callback.user_id, callback.desc, token)
        }
        CallbackKind::Other(callback) => {
            let subscriber = callback
                .sender
                .or(callback.user)
                .filter(|subscriber| !subscriber.id.is_empty());
            match subscriber {
                Some(subscriber) => Draft::from_subscriber(EventKind::Other, subscriber),
                None => Draft::new(EventKind::Other, callback.user_id.map(IdText::into_string)),
            }
        }
        // Answered by the channel; should one get here, it is still not dropped.
        CallbackKind::Webhook => Draft::new(EventKind::Other, None),
    };

    let chat_id = non_empty(draft.user_id).unwrap_or_else(|| UNKNOWN_CHAT.to_owned());
    let id = event_key(common, draft.kind, &chat_id, &raw);
    let mut event = Event::new(draft.kind, chat_id, id, raw);
    event.message = draft.message;
    event.user = draft.user;
    event.timestamp = common.timestamp.and_then(from_unix_millis);
    event.referral = draft.referral;
    event
}

/// The platform part of `event_id`: the message token; for receipts, which carry the token of
/// the bot's own message, `{kind}:{token}`; without a token, `{event}:{user id}:{timestamp}`.
fn event_key(common: &Common, kind: EventKind, chat_id: &str, raw: &RawValue) -> String {
    let is_receipt = matches!(
        kind,
        EventKind::Delivered | EventKind::Seen | EventKind::Failed
    );
    match common.message_token {
        Some(token) if is_receipt => format!("{}:{token}", kind.as_str()),
        Some(token) => token.to_string(),
        None => {
            let when = common
                .timestamp
                .map_or_else(|| body_digest(raw), |millis| millis.to_string());
            format!("{}:{chat_id}:{when}", common.event)
        }
    }
}

/// Stands in for a missing timestamp: the same callback, retried, has the same digest.
fn body_digest(raw: &RawValue) -> String {
    let mut hex = sha256_hex(raw.get().as_bytes());
    hex.truncate(32);
    format!("sha256-{hex}")
}

/// A receipt for the bot's own message: that message's token is the message id.
fn receipt(
    kind: EventKind,
    user_id: String,
    desc: Option<String>,
    token: Option<MessageToken>,
) -> Draft {
    let mut draft = Draft::new(kind, Some(user_id));
    draft.message.id = token.map(|token| token.to_string());
    let mut data = Map::new();
    insert_text(&mut data, "desc", desc);
    draft.message.data = object(data);
    draft
}

fn user_from(subscriber: &Subscriber) -> Option<User> {
    if subscriber.id.is_empty() {
        return None;
    }
    Some(User {
        name: non_empty(subscriber.name.clone()),
        language: non_empty(subscriber.language.clone()),
        ..User::id(&subscriber.id)
    })
}
