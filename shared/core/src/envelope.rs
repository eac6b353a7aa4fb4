//! The versioned envelope every receiver puts on the queue: one per platform event.
//!
//! `schema/envelope.schema.json` describes the same shape for consumers in other languages.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The envelope's format version; a consumer refuses versions it does not know.
pub const VERSION: u32 = 1;

/// One normalized platform event, as it travels on the queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope {
    pub version: u32,
    /// `telegram` | `viber` | `facebook` | `slack` | `abc` | `whatsapp`; text, so a channel newer
    /// than this build reads too.
    pub channel: String,
    /// The bot's token name: it selects the bot's secret.
    pub bot: String,
    /// The id to answer to, always a string.
    pub chat_id: String,
    pub event: EventKind,
    pub message: Message,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// `{channel}:{bot}:{platform id}`: stable across the platform's retries; the idempotency key.
    pub event_id: String,
    /// When the platform says the event happened (RFC 3339), where it says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// When the receiver took the request (RFC 3339, milliseconds).
    pub received_at: String,
    /// The parameter of the link the user followed to get here (deep link, referral, intent).
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<String>,
    /// Facts from the request outside the event itself (headers, team, page).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub context: Map<String, Value>,
    /// The platform's own event as received, on one line: the line breaks between its JSON
    /// tokens are spaces (see [`raw_on_one_line`]).
    pub raw: Box<RawValue>,
}

/// `raw` with every CR and LF byte turned into a space, so one envelope is always one line (of
/// the spool, of `receivers tail`, of a log). In valid JSON those bytes can only be whitespace
/// between tokens (inside strings they are always escaped), so the value is unchanged.
pub fn raw_on_one_line(raw: Box<RawValue>) -> Box<RawValue> {
    let text = raw.get();
    // memchr scans a word or a vector at a time: a byte loop here was 8 % of a 1 KB update.
    if memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_none() {
        return raw;
    }
    let flattened = text.replace(['\r', '\n'], " ");
    RawValue::from_string(flattened).unwrap_or(raw)
}

/// JSON that a receiver passes on as the platform gave it, as its text (on one line, see
/// [`raw_on_one_line`]): written as it is, read back as text. Two are equal when their JSON
/// values are. Reading such a field into a tree only to write it back cost a 1 KB Telegram
/// update a sixth of its time.
#[derive(Debug, Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// The JSON of `raw`, with the line breaks between its tokens made spaces.
    pub fn new(raw: Box<RawValue>) -> Self {
        Self(raw_on_one_line(raw))
    }

    /// The JSON value, read from the text.
    pub fn to_value(&self) -> serde_json::Result<Value> {
        serde_json::from_str(self.0.get())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
            || matches!((self.to_value(), other.to_value()), (Ok(a), Ok(b)) if a == b)
    }
}

impl Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Self)
    }
}

/// The unified event vocabulary (DESIGN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Message,
    Edited,
    Deleted,
    Callback,
    Command,
    ConversationStarted,
    Subscribed,
    Unsubscribed,
    Delivered,
    Seen,
    Failed,
    Reaction,
    TypingStart,
    TypingEnd,
    Closed,
    MemberJoined,
    MemberLeft,
    /// Anything the receiver does not know yet: enqueued with its `raw`, never dropped. An
    /// `event` newer than this build (a later minor version) also reads as `Other`.
    #[serde(other)]
    Other,
}

impl EventKind {
    /// The wire name, as in the envelope and the `event` message attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Edited => "edited",
            Self::Deleted => "deleted",
            Self::Callback => "callback",
            Self::Command => "command",
            Self::ConversationStarted => "conversation_started",
            Self::Subscribed => "subscribed",
            Self::Unsubscribed => "unsubscribed",
            Self::Delivered => "delivered",
            Self::Seen => "seen",
            Self::Failed => "failed",
            Self::Reaction => "reaction",
            Self::TypingStart => "typing_start",
            Self::TypingEnd => "typing_end",
            Self::Closed => "closed",
            Self::MemberJoined => "member_joined",
            Self::MemberLeft => "member_left",
            Self::Other => "other",
        }
    }
}

/// What the event carries, normalized across platforms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: MessageType,
    /// The text, or the caption of a media message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Button, callback or command data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The id of the message this one answers, where the platform says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Formatting and mention entities, as the platform gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<RawJson>,
    /// Type-specific content: a contact card, venue, poll, dice, reaction, form answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl Message {
    /// A message of the given type with nothing else set.
    pub fn of(kind: MessageType) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }

    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::of(MessageType::Text)
        }
    }

    /// Sets the platform's message id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the button or callback data.
    pub fn with_payload(mut self, payload: impl Into<String>) -> Self {
        self.payload = Some(payload.into());
        self
    }
}

/// What a message or attachment is (DESIGN.md §4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageType {
    Text,
    Image,
    Video,
    Audio,
    Voice,
    File,
    Sticker,
    Location,
    Contact,
    Button,
    Rich,
    #[default]
    None,
    /// Never written by a receiver: what a `type` newer than this build (a later minor
    /// version) reads as; the envelope's `raw` still carries the content.
    #[serde(other)]
    Unknown,
}

/// A file, picture or other media item, with whatever the platform gives to fetch it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    #[serde(rename = "type")]
    pub kind: MessageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Apple's encrypted attachments: the decryption key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Apple's encrypted attachments: the MMCS owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Apple's encrypted attachments: the file checksum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Attachment {
    /// An attachment of the given type with nothing else set.
    pub fn of(kind: MessageType) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

/// The person (or bot) behind the event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_bot: Option<bool>,
}

impl User {
    /// A user known only by id.
    pub fn id(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_loses_its_line_breaks_and_keeps_its_value() {
        let pretty = "{\r\n  \"text\": \"a\\nb\",\n  \"n\": [1,\n2]\n}";
        let raw = RawValue::from_string(pretty.to_owned()).unwrap();
        let flat = raw_on_one_line(raw);
        assert!(!flat.get().contains(['\n', '\r']), "{}", flat.get());
        let before: Value = serde_json::from_str(pretty).unwrap();
        let after: Value = serde_json::from_str(flat.get()).unwrap();
        assert_eq!(before, after);
        assert_eq!(
            after["text"], "a\nb",
            "escaped line breaks inside strings stay"
        );
    }

    /// An envelope as a newer receiver may write it: an `event`, message and attachment `type`
    /// and `channel` this build does not know, and a field added later.
    const NEWER: &str = r#"{"version":1,"channel":"line","bot":"demo","chat_id":"U1","event":"poll_closed","message":{"type":"hologram","attachments":[{"type":"hologram"}]},"event_id":"line:demo:1","received_at":"2026-11-24T13:00:01.120Z","added_later":true,"raw":{"kind":"poll"}}"#;

    #[test]
    fn values_newer_than_this_build_read_as_the_catch_all() {
        let envelope: Envelope = serde_json::from_str(NEWER).unwrap();
        assert_eq!(envelope.event, EventKind::Other);
        assert_eq!(envelope.message.kind, MessageType::Unknown);
        assert_eq!(envelope.message.attachments[0].kind, MessageType::Unknown);
        assert_eq!(
            (envelope.channel.as_str(), envelope.raw.get()),
            ("line", r#"{"kind":"poll"}"#)
        );
    }

    #[test]
    fn every_name_of_the_schema_reads_as_itself_and_writes_back_unchanged() {
        let schema: Value = serde_json::from_str(crate::testing::SCHEMA).unwrap();
        let names = |pointer: &str| -> Vec<String> {
            let list = schema.pointer(pointer).and_then(Value::as_array).unwrap();
            list.iter()
                .map(|name| name.as_str().unwrap().to_owned())
                .collect()
        };
        for name in names("/properties/event/enum") {
            let kind: EventKind = serde_json::from_value(Value::from(name.as_str())).unwrap();
            assert_eq!(
                (kind == EventKind::Other, kind.as_str()),
                (name == "other", &*name)
            );
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
        }
        for name in names("/$defs/message_type/enum") {
            let kind: MessageType = serde_json::from_value(Value::from(name.as_str())).unwrap();
            assert_ne!(kind, MessageType::Unknown, "{name}");
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
        }
    }

    #[test]
    fn raw_on_one_line_already_is_left_alone() {
        let raw = RawValue::from_string(r#"{"a":"x y"}"#.to_owned()).unwrap();
        assert_eq!(raw_on_one_line(raw).get(), r#"{"a":"x y"}"#);
    }
}
