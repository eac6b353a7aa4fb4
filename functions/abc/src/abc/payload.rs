//! Apple Messages for Business payload types: the JSON body Apple posts to `/message`, as far as
//! the receiver reads it. Unknown fields are ignored; unknown message types are kept as `Other`.
//! Ids are text, also when they come as numbers (`shared_core::ids`).

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use shared_core::ids::optional_text;

/// One inbound message: the common fields and, by type, its content.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The message schema version (1).
    #[serde(default)]
    pub v: Option<Value>,
    #[serde(default, deserialize_with = "optional_text")]
    pub id: Option<String>,
    /// The customer's opaque id (the `source-id` header holds the same).
    #[serde(default, deserialize_with = "optional_text")]
    pub source_id: Option<String>,
    /// The business id (the `destination-id` header holds the same).
    #[serde(default, deserialize_with = "optional_text")]
    pub destination_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Kind,
    #[serde(default)]
    pub locale: Option<String>,
    /// The text of a `text` message; U+FFFC marks where an attachment sits.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub interactive_data: Option<InteractiveData>,
    /// Sent instead of `interactiveData` when that is over 10 KB: where to download it.
    #[serde(default)]
    pub interactive_data_ref: Option<Map<String, Value>>,
    /// A rich link the customer sent.
    #[serde(default)]
    pub rich_link_data: Option<Map<String, Value>>,
    /// The business's intent parameter from the entry link.
    #[serde(default)]
    pub intent: Option<String>,
    /// The business's group parameter from the entry link.
    #[serde(default)]
    pub group: Option<String>,
}

/// The message `type`, with a catch-all for types Apple adds later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Text,
    Interactive,
    RichLink,
    TypingStart,
    TypingEnd,
    Close,
    Other(String),
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(match name.as_str() {
            "text" => Self::Text,
            "interactive" => Self::Interactive,
            "richLink" => Self::RichLink,
            "typing_start" => Self::TypingStart,
            "typing_end" => Self::TypingEnd,
            "close" => Self::Close,
            _ => Self::Other(name),
        })
    }
}

/// An encrypted file the customer sent: where it is and what decrypts it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub mime_type: Option<String>,
    /// The encrypted size in bytes; Apple sends it as a number or as decimal text.
    #[serde(default, deserialize_with = "lenient_size")]
    pub size: Option<u64>,
    #[serde(default)]
    pub url: Option<String>,
    /// The single-use AES key, hex.
    #[serde(default)]
    pub key: Option<String>,
    /// The MMCS owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// The file checksum, hex.
    #[serde(default)]
    pub signature: Option<String>,
    /// The file checksum, base64 (the form `/preDownload` takes).
    #[serde(default, rename = "signature-base64")]
    pub signature_base64: Option<String>,
}

/// The customer's reply to an interactive message (list picker, time picker, Apple Pay, ...).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractiveData {
    /// Which iMessage extension produced the reply.
    #[serde(default)]
    pub bid: Option<String>,
    /// The reply itself; its keys depend on the extension, so it stays JSON.
    #[serde(default)]
    pub data: Option<Value>,
    #[serde(default)]
    pub session_identifier: Option<String>,
}

fn lenient_size<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Number(number)) => number.as_u64(),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    })
}
