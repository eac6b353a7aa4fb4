//! Meta's webhook payloads for Messenger and Instagram messaging, as serde types.
//!
//! Every field is optional or defaulted: Meta adds fields and kinds over time, and an item that
//! does not fit a known kind is kept whole (`Kind::Other`) rather than refused. Ids are read as
//! text whether Meta sends them as strings or as numbers (`shared_core::ids`).

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
pub use shared_core::ids::IdText;
use shared_core::ids::optional_text;

/// One webhook request: `{"object": "page", "entry": [...]}`.
#[derive(Debug, Deserialize)]
pub struct Notification {
    /// `page` for Messenger, `instagram` for Instagram messaging.
    #[serde(default)]
    pub object: Option<String>,
    pub entry: Vec<Entry>,
}

/// One page's share of a request.
#[derive(Debug, Deserialize)]
pub struct Entry {
    /// The page (or Instagram account) id.
    pub id: IdText,
    #[serde(default)]
    pub time: Option<Value>,
    /// Events for the app that owns the conversation.
    #[serde(default)]
    pub messaging: Vec<Box<RawValue>>,
    /// Events seen while another app owns the conversation (handover protocol).
    #[serde(default)]
    pub standby: Vec<Box<RawValue>>,
    /// Changes of other subscribed page fields (not messaging).
    #[serde(default)]
    pub changes: Vec<Box<RawValue>>,
}

/// One `messaging[]` or `standby[]` item: who, when, and one kind-named field.
#[derive(Debug, Deserialize)]
pub struct Item {
    #[serde(default)]
    pub sender: Option<Party>,
    #[serde(default)]
    pub recipient: Option<Party>,
    #[serde(default)]
    pub timestamp: Option<Value>,
    /// The rest: `message`, `postback`, `delivery`, ... (see [`Kind`]).
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

/// `sender` / `recipient`: a page-scoped id, or a `user_ref` for plugin users without one.
#[derive(Debug, Default, Deserialize)]
pub struct Party {
    #[serde(default)]
    pub id: Option<IdText>,
    #[serde(default)]
    pub user_ref: Option<IdText>,
}

/// What one item is about, by the field that carries it.
#[derive(Debug)]
pub enum Kind {
    Message(Box<Message>),
    Postback(Postback),
    Referral(Referral),
    Delivery(Receipt),
    Read(Receipt),
    Reaction(Reaction),
    MessageEdit(MessageEdit),
    Optin(Optin),
    /// Any other field (`account_linking`, handover, `app_roles`, ...), by its name; also a known
    /// field whose content did not have the documented shape.
    Other(String),
}

impl Item {
    /// The item's kind: the first known field present, else the first other field.
    pub fn kind(&self) -> Kind {
        let present = KNOWN_FIELDS.iter().find_map(|&name| {
            self.fields
                .get(name)
                .filter(|value| !value.is_null())
                .map(|value| (name, value))
        });
        let Some((name, value)) = present else {
            return other(self.fields.keys().next().map_or("unknown", String::as_str));
        };
        let kind = match name {
            "message" => parse(value).map(|message| Kind::Message(Box::new(message))),
            "postback" => parse(value).map(Kind::Postback),
            "referral" => parse(value).map(Kind::Referral),
            "delivery" => parse(value).map(Kind::Delivery),
            "read" => parse(value).map(Kind::Read),
            "reaction" => parse(value).map(Kind::Reaction),
            "message_edit" => parse(value).map(Kind::MessageEdit),
            "optin" => parse(value).map(Kind::Optin),
            _ => None,
        };
        kind.unwrap_or_else(|| other(name))
    }

    /// The item-level `referral` (Messenger sends one beside a message from an ad or link).
    pub fn referral(&self) -> Option<Referral> {
        self.fields.get("referral").and_then(parse)
    }
}

/// The fields that name a kind this module normalizes, in the order they are looked for (a
/// message from an ad carries a `referral` beside it, and stays a message).
const KNOWN_FIELDS: [&str; 8] = [
    "message",
    "postback",
    "referral",
    "delivery",
    "read",
    "reaction",
    "message_edit",
    "optin",
];

fn other(name: &str) -> Kind {
    Kind::Other(name.to_owned())
}

fn parse<T: for<'de> Deserialize<'de>>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// `message`: text, attachments, quick reply, reply, echo.
#[derive(Debug, Default, Deserialize)]
pub struct Message {
    #[serde(default, deserialize_with = "optional_text")]
    pub mid: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub is_echo: bool,
    /// Instagram: the user unsent this message.
    #[serde(default)]
    pub is_deleted: bool,
    #[serde(default)]
    pub quick_reply: Option<QuickReply>,
    #[serde(default)]
    pub reply_to: Option<ReplyTo>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub sticker_id: Option<IdText>,
    #[serde(default)]
    pub referral: Option<Referral>,
}

#[derive(Debug, Default, Deserialize)]
pub struct QuickReply {
    #[serde(default)]
    pub payload: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReplyTo {
    #[serde(default, deserialize_with = "optional_text")]
    pub mid: Option<String>,
}

/// `message.attachments[]`: `image`, `video`, `audio`, `file`, `location`, `fallback`, `template`,
/// `sticker`, Instagram's `reel`, `ig_reel`, `share`, `story_mention`, ...
#[derive(Debug, Default, Deserialize)]
pub struct Attachment {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub payload: Option<AttachmentPayload>,
    /// Link shares and locations put the title and the link beside the payload.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(rename = "URL", default)]
    pub upper_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AttachmentPayload {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sticker_id: Option<IdText>,
    #[serde(default)]
    pub coordinates: Option<Coordinates>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Coordinates {
    pub lat: f64,
    pub long: f64,
}

/// `postback`: a button, the Get Started button or a persistent-menu item.
#[derive(Debug, Default, Deserialize)]
pub struct Postback {
    #[serde(default, deserialize_with = "optional_text")]
    pub mid: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub payload: Option<String>,
    #[serde(default)]
    pub referral: Option<Referral>,
}

/// `referral`: the m.me link, ad or plugin that brought the user.
#[derive(Debug, Default, Deserialize)]
pub struct Referral {
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
}

/// `delivery` and `read`: everything up to `watermark` was delivered or seen.
#[derive(Debug, Default, Deserialize)]
pub struct Receipt {
    #[serde(default)]
    pub watermark: Option<Value>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub mids: Vec<IdText>,
    /// Instagram's `read` names the message instead.
    #[serde(default, deserialize_with = "optional_text")]
    pub mid: Option<String>,
}

/// `reaction`: a user reacted to (or withdrew a reaction from) a message.
#[derive(Debug, Default, Deserialize)]
pub struct Reaction {
    #[serde(default)]
    pub reaction: Option<String>,
    #[serde(default)]
    pub emoji: Option<String>,
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub mid: Option<String>,
}

/// `message_edit`: a user changed the text of a message already sent.
#[derive(Debug, Default, Deserialize)]
pub struct MessageEdit {
    #[serde(default, deserialize_with = "optional_text")]
    pub mid: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub num_edit: Option<Value>,
}

/// `optin`: the Send to Messenger or checkbox plugin, or a notification-messages opt-in.
#[derive(Debug, Default, Deserialize)]
pub struct Optin {
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub user_ref: Option<IdText>,
    #[serde(default)]
    pub payload: Option<String>,
    /// `STOP_NOTIFICATIONS` or `RESUME_NOTIFICATIONS` (sometimes with a space) for marketing messages.
    #[serde(default)]
    pub notification_messages_status: Option<String>,
}

/// Epoch milliseconds from a number or numeric text; `None` for anything else, 0 or less.
pub fn millis(value: Option<&Value>) -> Option<i64> {
    let millis = match value? {
        Value::Number(number) => number
            .as_i64()
            .or_else(|| number.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        Value::String(text) => text.trim().parse::<i64>().ok(),
        _ => None,
    }?;
    (millis > 0).then_some(millis)
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
