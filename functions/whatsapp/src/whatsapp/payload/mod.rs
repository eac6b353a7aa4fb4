//! The WhatsApp Cloud API's webhook payloads, as serde types.
//!
//! Every field is optional or defaulted and ids are taken as text whether Meta sends a string or a
//! number: Meta adds fields and message types over time, and an item that does not fit a known
//! type is kept whole (`Content::Other`) rather than refused.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use shared_core::ids::optional_text;

mod message_types;
mod reading;

pub use message_types::{
    Button, Choice, Content, Edit, FlowReply, Interactive, Location, Media, MediaKind, Reaction,
    Revoke, Text,
};

/// One webhook request: `{"object": "whatsapp_business_account", "entry": [...]}`; the
/// changes are borrowed from the body's text.
#[derive(Debug, Deserialize)]
pub struct Notification<'a> {
    #[serde(default)]
    pub object: Option<String>,
    #[serde(borrow)]
    pub entry: Vec<Entry<'a>>,
}

/// One WhatsApp Business Account's share of a request.
#[derive(Debug, Deserialize)]
pub struct Entry<'a> {
    /// The WhatsApp Business Account (WABA) id.
    #[serde(default, deserialize_with = "optional_text")]
    pub id: Option<String>,
    #[serde(default, borrow, deserialize_with = "null_as_default")]
    pub changes: Vec<&'a RawValue>,
}

/// One `changes[]` item: a subscribed `field` and its `value`, borrowed from the item's text.
#[derive(Debug, Deserialize)]
pub struct Change<'a> {
    #[serde(default)]
    pub field: Option<String>,
    /// For `messages`, a [`ChangeValue`]; other fields have shapes of their own.
    #[serde(default, borrow)]
    pub value: Option<&'a RawValue>,
}

/// The `value` of a `messages` change.
#[derive(Debug, Default, Deserialize)]
pub struct ChangeValue {
    #[serde(default)]
    pub metadata: Option<Metadata>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub contacts: Vec<Contact>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub messages: Vec<Box<RawValue>>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub statuses: Vec<Box<RawValue>>,
    /// Errors that concern no single message (Meta could not deliver an inbound one, ...).
    #[serde(default, deserialize_with = "null_as_default")]
    pub errors: Vec<ErrorDetail>,
}

/// The business phone number the change is about.
#[derive(Debug, Default, Deserialize)]
pub struct Metadata {
    #[serde(default, deserialize_with = "optional_text")]
    pub display_phone_number: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub phone_number_id: Option<String>,
}

/// `contacts[]`: the customer's profile, matched to a message by `wa_id` or `user_id`.
#[derive(Debug, Default, Deserialize)]
pub struct Contact {
    #[serde(default, deserialize_with = "optional_text")]
    pub wa_id: Option<String>,
    /// The business-scoped user id of a user Meta identifies without a phone number.
    #[serde(default, deserialize_with = "optional_text")]
    pub user_id: Option<String>,
    #[serde(default)]
    pub profile: Option<Profile>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

/// One `messages[]` item: who, when, which `type`, and the content that type names. Read by
/// [`Message::read`]; as a field of another type (an `edit`'s message), read as a tree.
#[derive(Debug)]
pub struct Message {
    pub from: Option<String>,
    pub from_user_id: Option<String>,
    pub user_id: Option<String>,
    pub id: Option<String>,
    pub timestamp: Option<String>,
    pub kind: Option<String>,
    /// A reply (the message answered) or a forward.
    pub context: Option<Context>,
    /// The click-to-WhatsApp ad the message came from.
    pub referral: Option<Referral>,
    pub errors: Vec<ErrorDetail>,
    /// What the field named by `type` carries.
    pub content: Content,
}

/// `context`: the message replied to (`from`, `id`), or the forward flags.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Context {
    #[serde(
        default,
        deserialize_with = "optional_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<String>,
    #[serde(
        default,
        deserialize_with = "optional_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequently_forwarded: Option<bool>,
    /// A question about a catalog product ("Message business" on a product).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_product: Option<Value>,
}

/// `referral`: the click-to-WhatsApp ad or post the user came from.
#[derive(Debug, Default, Deserialize)]
pub struct Referral {
    #[serde(default, deserialize_with = "optional_text")]
    pub source_id: Option<String>,
}

/// `errors[]`: Meta's error object.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ErrorDetail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_data: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// One `statuses[]` item: what became of a message the business sent.
#[derive(Debug, Default, Deserialize)]
pub struct Status {
    #[serde(default, deserialize_with = "optional_text")]
    pub id: Option<String>,
    /// `sent`, `delivered`, `read`, `failed`, ...
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub timestamp: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub recipient_id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub recipient_user_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub errors: Vec<ErrorDetail>,
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Unix seconds from text such as `"1764590400"`; `None` for anything else.
pub fn seconds(timestamp: Option<&str>) -> Option<i64> {
    timestamp?.trim().parse().ok()
}
