//! Meta's webhook payloads for Messenger and Instagram messaging, as serde types.
//!
//! Every field is optional or defaulted: Meta adds fields and kinds over time, and an item that
//! does not fit a known kind is kept whole (`Kind::Other`) rather than refused. Ids are read as
//! text whether Meta sends them as strings or as numbers (`shared_core::ids`).

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;
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

/// `sender` / `recipient`: a page-scoped id, or a `user_ref` for plugin users without one.
#[derive(Debug, Default, Deserialize)]
pub struct Party {
    #[serde(default)]
    pub id: Option<IdText>,
    #[serde(default)]
    pub user_ref: Option<IdText>,
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
