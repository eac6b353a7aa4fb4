//! Viber REST Bot API callbacks, as Viber posts them to the webhook.
//!
//! Fields that identify the event (`event`, `message_token`, `timestamp`, the user's id) are read
//! strictly: a callback without them is not what Viber sends. Ids and times are read in either
//! JSON form (`shared_core::ids`): a number sent as its decimal digits, a text id sent as a number.
//! Descriptive fields are read leniently: a value of an unexpected shape is left out (it stays in
//! `raw`) rather than refusing the event.

use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use shared_core::channel::tagged::{self, Fields, TagVisitor};
use shared_core::ids::{self, IdText};

/// A callback's id: a 64-bit integer above 2^53, read as `u64` so that no digit is lost to f64
/// (or from its decimal digits, when it comes as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(transparent)]
pub struct MessageToken(#[serde(deserialize_with = "ids::number")] pub u64);

impl fmt::Display for MessageToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What every callback carries, whatever its kind.
#[derive(Debug, Clone, Deserialize)]
pub struct Common {
    /// The callback's kind: `message`, `subscribed`, `seen`, …
    pub event: String,
    /// Epoch milliseconds.
    #[serde(default, deserialize_with = "ids::optional_number")]
    pub timestamp: Option<i64>,
    #[serde(default)]
    pub message_token: Option<MessageToken>,
}

/// One callback: what all carry, and what its kind adds.
#[derive(Debug, Clone)]
pub struct Callback {
    pub common: Common,
    pub kind: CallbackKind,
}

/// The callback kinds, with a catch-all for the ones Viber adds later.
#[derive(Debug, Clone)]
pub enum CallbackKind {
    /// Sent when the webhook is set: answered, not enqueued.
    Webhook,
    Message(Box<MessageCallback>),
    Subscribed(SubscribedCallback),
    Unsubscribed(UnsubscribedCallback),
    ConversationStarted(ConversationStartedCallback),
    Delivered(ReceiptCallback),
    Seen(ReceiptCallback),
    Failed(ReceiptCallback),
    /// `client_status` and any kind not known here, by whatever user id it carries.
    Other(OtherCallback),
}

impl Callback {
    /// Reads a callback from its JSON text.
    ///
    /// A JSON object is read in one pass: `event` names the kind, wherever it is in the object;
    /// `timestamp` and `message_token`, which every kind has, are read beside the kind's own
    /// fields. What that pass refuses is read again as [`Common`] and then as the kind's type,
    /// each from the whole text: that takes a JSON array too (its items are the fields in order),
    /// and words the error of a malformed callback.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        Self::parse_object(json).or_else(|_| Self::parse_twice(json))
    }

    fn parse_object(json: &str) -> Result<Self, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let callback = tagged::deserialize(&mut deserializer, "event", CallbackVisitor)?;
        deserializer.end()?;
        Ok(callback)
    }

    fn parse_twice(json: &str) -> Result<Self, serde_json::Error> {
        let common: Common = serde_json::from_str(json)?;
        let kind = match common.event.as_str() {
            "webhook" => CallbackKind::Webhook,
            "message" => CallbackKind::Message(serde_json::from_str(json)?),
            "subscribed" => CallbackKind::Subscribed(serde_json::from_str(json)?),
            "unsubscribed" => CallbackKind::Unsubscribed(serde_json::from_str(json)?),
            "conversation_started" => {
                CallbackKind::ConversationStarted(serde_json::from_str(json)?)
            }
            "delivered" => CallbackKind::Delivered(serde_json::from_str(json)?),
            "seen" => CallbackKind::Seen(serde_json::from_str(json)?),
            "failed" => CallbackKind::Failed(serde_json::from_str(json)?),
            _ => CallbackKind::Other(serde_json::from_str(json)?),
        };
        Ok(Self { common, kind })
    }
}

struct CallbackVisitor;

impl<'de> TagVisitor<'de> for CallbackVisitor {
    type Tag = String;
    type Value = Callback;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Viber callback")
    }

    fn visit<M: MapAccess<'de>>(
        self,
        event: String,
        mut fields: Fields<'de, M>,
    ) -> Result<Callback, M::Error> {
        fields.set_aside(&["timestamp", "message_token"]);
        let kind = match event.as_str() {
            "webhook" => fields.skip().map(|()| CallbackKind::Webhook),
            "message" => fields.deserialize().map(CallbackKind::Message),
            "subscribed" => fields.deserialize().map(CallbackKind::Subscribed),
            "unsubscribed" => fields.deserialize().map(CallbackKind::Unsubscribed),
            "conversation_started" => fields.deserialize().map(CallbackKind::ConversationStarted),
            "delivered" => fields.deserialize().map(CallbackKind::Delivered),
            "seen" => fields.deserialize().map(CallbackKind::Seen),
            "failed" => fields.deserialize().map(CallbackKind::Failed),
            _ => fields.deserialize().map(CallbackKind::Other),
        }?;
        let timestamp = match fields.aside("timestamp") {
            Some(raw) => ids::optional_number(&mut serde_json::Deserializer::from_str(raw.get()))
                .map_err(de::Error::custom)?,
            None => None,
        };
        let message_token = match fields.aside("message_token") {
            Some(raw) => Option::<MessageToken>::deserialize(
                &mut serde_json::Deserializer::from_str(raw.get()),
            )
            .map_err(de::Error::custom)?,
            None => None,
        };
        let common = Common {
            event,
            timestamp,
            message_token,
        };
        Ok(Callback { common, kind })
    }
}

/// A Viber user as callbacks describe one (`sender`, `user`); avatar, country and API version
/// stay in `raw`.
#[derive(Debug, Clone, Deserialize)]
pub struct Subscriber {
    #[serde(deserialize_with = "ids::text")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub language: Option<String>,
}

/// `message`: a user wrote to the bot (or pressed a keyboard button that replies).
#[derive(Debug, Clone, Deserialize)]
pub struct MessageCallback {
    pub sender: Subscriber,
    pub message: InboundMessage,
}

/// The `message` object of a `message` callback.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InboundMessage {
    /// `text`, `picture`, `video`, `file`, `sticker`, `contact`, `url`, `location`, `rich_media`.
    #[serde(rename = "type", default, deserialize_with = "lenient")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub text: Option<String>,
    /// The URL of the picture, video, file, sticker or link.
    #[serde(default, deserialize_with = "lenient")]
    pub media: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub thumbnail: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub location: Option<Coordinates>,
    #[serde(default, deserialize_with = "lenient")]
    pub contact: Option<Contact>,
    /// What the bot set on its last message, passed back with the user's reply.
    #[serde(default, deserialize_with = "lenient")]
    pub tracking_data: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub file_name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub file_size: Option<u64>,
    /// Video length, in seconds.
    #[serde(default, deserialize_with = "lenient")]
    pub duration: Option<u64>,
    /// A number in Viber's examples; kept as its decimal text.
    #[serde(default, deserialize_with = "lenient")]
    pub sticker_id: Option<IdText>,
    #[serde(default, deserialize_with = "lenient")]
    pub rich_media: Option<Value>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

/// A shared contact card.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Contact {
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub phone_number: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub avatar: Option<String>,
}

/// `subscribed`: the user subscribed to the bot.
#[derive(Debug, Clone, Deserialize)]
pub struct SubscribedCallback {
    pub user: Subscriber,
}

/// `unsubscribed`: the user left; only the id remains.
#[derive(Debug, Clone, Deserialize)]
pub struct UnsubscribedCallback {
    #[serde(deserialize_with = "ids::text")]
    pub user_id: String,
}

/// `conversation_started`: the user opened the chat, by the bot's info screen or a deep link.
#[derive(Debug, Clone, Deserialize)]
pub struct ConversationStartedCallback {
    pub user: Subscriber,
    /// `open` in Viber's documentation.
    #[serde(rename = "type", default, deserialize_with = "lenient")]
    pub conversation_type: Option<String>,
    /// The deep link's `context` parameter.
    #[serde(default, deserialize_with = "lenient")]
    pub context: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub subscribed: Option<bool>,
}

/// `delivered`, `seen`, `failed`: a receipt for one of the bot's own messages.
#[derive(Debug, Clone, Deserialize)]
pub struct ReceiptCallback {
    #[serde(deserialize_with = "ids::text")]
    pub user_id: String,
    /// Why the message failed (`failed` only).
    #[serde(default, deserialize_with = "lenient")]
    pub desc: Option<String>,
}

/// A kind not known here: whatever user id it carries, in any of the places Viber puts one.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OtherCallback {
    #[serde(default, deserialize_with = "lenient")]
    pub sender: Option<Subscriber>,
    #[serde(default, deserialize_with = "lenient")]
    pub user: Option<Subscriber>,
    #[serde(default, deserialize_with = "lenient")]
    pub user_id: Option<IdText>,
}

/// Reads an optional field, leaving it out when its value has another shape than expected.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Option::<Value>::deserialize(deserializer)?;
    Ok(value.and_then(|value| T::deserialize(value).ok()))
}
