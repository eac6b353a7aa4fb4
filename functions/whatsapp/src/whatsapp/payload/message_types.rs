//! The content of a `messages[]` item, by its `type`: one serde type per documented type.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use shared_core::ids::optional_text;

use super::Message;

/// What a message carries, by its `type`.
#[derive(Debug)]
pub enum Content {
    Text(Text),
    Media(MediaKind, Media),
    Location(Location),
    /// Contact cards, kept as given (names, phones, emails, addresses, ...).
    Contacts(Value),
    Interactive(Interactive),
    Button(Button),
    Reaction(Reaction),
    Edit(Box<Edit>),
    Revoke(Revoke),
    RequestWelcome,
    /// `system`, `order`, `unsupported`, a type this module does not know, or a known type whose
    /// field did not have the documented shape: by its type name.
    Other(String),
}

/// The media message types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Video,
    Sticker,
    Audio,
    Document,
}

#[derive(Debug, Default, Deserialize)]
pub struct Text {
    #[serde(default)]
    pub body: Option<String>,
}

/// `image`, `video`, `sticker`, `audio`, `document`: the media id to download it by, and more.
#[derive(Debug, Default, Deserialize)]
pub struct Media {
    #[serde(default, deserialize_with = "optional_text")]
    pub id: Option<String>,
    #[serde(default)]
    pub mime_type: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub caption: Option<String>,
    /// Documents only.
    #[serde(default)]
    pub filename: Option<String>,
    /// Audio only: a voice recording rather than an audio file.
    #[serde(default)]
    pub voice: Option<bool>,
    /// Stickers only.
    #[serde(default)]
    pub animated: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Location {
    #[serde(default, deserialize_with = "coordinate")]
    pub latitude: Option<f64>,
    #[serde(default, deserialize_with = "coordinate")]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// A reply to an interactive message: a reply button, a list row, or a flow's answers.
#[derive(Debug, Default, Deserialize)]
pub struct Interactive {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub button_reply: Option<Choice>,
    #[serde(default)]
    pub list_reply: Option<Choice>,
    #[serde(default)]
    pub nfm_reply: Option<FlowReply>,
}

/// `button_reply` / `list_reply`: the id the business gave the choice, and what the user saw.
#[derive(Debug, Default, Deserialize)]
pub struct Choice {
    #[serde(default, deserialize_with = "optional_text")]
    pub id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `nfm_reply`: a completed WhatsApp Flow.
#[derive(Debug, Default, Deserialize)]
pub struct FlowReply {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    /// The flow's answers, as JSON text.
    #[serde(default)]
    pub response_json: Option<String>,
}

/// `button`: a template's quick-reply button.
#[derive(Debug, Default, Deserialize)]
pub struct Button {
    #[serde(default)]
    pub payload: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

/// `reaction`: an emoji on a message; none (or empty) when the user removed theirs.
#[derive(Debug, Default, Deserialize)]
pub struct Reaction {
    #[serde(default, deserialize_with = "optional_text")]
    pub message_id: Option<String>,
    #[serde(default)]
    pub emoji: Option<String>,
}

/// `edit`: the new content of a message already sent.
#[derive(Debug, Default, Deserialize)]
pub struct Edit {
    #[serde(default, deserialize_with = "optional_text")]
    pub original_message_id: Option<String>,
    #[serde(default)]
    pub message: Option<Message>,
}

/// `revoke`: the user deleted a message.
#[derive(Debug, Default, Deserialize)]
pub struct Revoke {
    #[serde(default, deserialize_with = "optional_text")]
    pub original_message_id: Option<String>,
}

/// A number, or numeric text; anything else as none.
fn coordinate<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
    .filter(|number: &f64| number.is_finite()))
}
