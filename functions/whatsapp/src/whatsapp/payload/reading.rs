//! How a `messages[]` item is read.
//!
//! An item of a known type is read in one pass, its content field straight into its type. Any
//! other item (an `edit`, an unknown type, a content field without its documented shape, a field
//! given twice) is read as a tree: the item's other fields as `Value`s, the content read from the
//! tree of the field its type names.

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use shared_core::ids::optional_text;

use super::message_types::{Content, MediaKind};
use super::{Context, ErrorDetail, Message, Referral, null_as_default};

impl Message {
    /// Reads an item from its JSON text; `None` when it is not an object of the documented shape.
    pub fn read(text: &str) -> Option<Self> {
        let typed = || serde_json::from_str::<Typed<'_>>(text).ok()?.into_message();
        // A derived struct also reads an array (its fields in order); the tree reads none.
        let object = text.trim_start().starts_with('{');
        object
            .then(typed)
            .flatten()
            .or_else(|| serde_json::from_str(text).ok())
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Tree::deserialize(deserializer).map(Tree::into_message)
    }
}

/// Builds the item from its fields but the content, which `$content` gives.
macro_rules! message {
    ($item:ident, $content:expr) => {
        Message {
            from: $item.from,
            from_user_id: $item.from_user_id,
            user_id: $item.user_id,
            id: $item.id,
            timestamp: $item.timestamp,
            kind: $item.kind,
            context: $item.context,
            referral: $item.referral,
            errors: $item.errors,
            content: $content,
        }
    };
}

/// An item as a tree: every field but those all items have as a `Value`.
#[derive(Debug, Deserialize)]
struct Tree {
    #[serde(default, deserialize_with = "optional_text")]
    from: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    from_user_id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    user_id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    timestamp: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    referral: Option<Referral>,
    #[serde(default, deserialize_with = "null_as_default")]
    errors: Vec<ErrorDetail>,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

impl Tree {
    fn into_message(mut self) -> Message {
        let kind = self.kind.clone().unwrap_or_else(|| "unknown".to_owned());
        let field = self.fields.remove(&kind).filter(|value| !value.is_null());
        let media =
            |media_kind| parse(field.as_ref()).map(|media| Content::Media(media_kind, media));
        let content = match kind.as_str() {
            "text" => parse(field.as_ref()).map(Content::Text),
            "image" => media(MediaKind::Image),
            "video" => media(MediaKind::Video),
            "sticker" => media(MediaKind::Sticker),
            "audio" => media(MediaKind::Audio),
            "document" => media(MediaKind::Document),
            "location" => parse(field.as_ref()).map(Content::Location),
            "contacts" => field.clone().map(Content::Contacts),
            "interactive" => parse(field.as_ref()).map(Content::Interactive),
            "button" => parse(field.as_ref()).map(Content::Button),
            "reaction" => parse(field.as_ref()).map(Content::Reaction),
            "edit" => parse(field.as_ref()).map(|edit| Content::Edit(Box::new(edit))),
            "revoke" => parse(field.as_ref()).map(Content::Revoke),
            "request_welcome" => Some(Content::RequestWelcome),
            _ => None,
        };
        message!(self, content.unwrap_or(Content::Other(kind)))
    }
}

fn parse<T: for<'de> Deserialize<'de>>(value: Option<&Value>) -> Option<T> {
    T::deserialize(value?).ok()
}

/// An item with each known content field straight into its type: any one without its documented
/// shape, or a field given twice, fails the whole read.
#[derive(Debug, Deserialize)]
struct Typed<'a> {
    #[serde(default, deserialize_with = "optional_text")]
    from: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    from_user_id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    user_id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    timestamp: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    referral: Option<Referral>,
    #[serde(default, deserialize_with = "null_as_default")]
    errors: Vec<ErrorDetail>,
    #[serde(default, borrow)]
    text: Option<&'a RawValue>,
    #[serde(default, borrow)]
    image: Option<&'a RawValue>,
    #[serde(default, borrow)]
    video: Option<&'a RawValue>,
    #[serde(default, borrow)]
    sticker: Option<&'a RawValue>,
    #[serde(default, borrow)]
    audio: Option<&'a RawValue>,
    #[serde(default, borrow)]
    document: Option<&'a RawValue>,
    #[serde(default, borrow)]
    location: Option<&'a RawValue>,
    #[serde(default, borrow)]
    contacts: Option<&'a RawValue>,
    #[serde(default, borrow)]
    interactive: Option<&'a RawValue>,
    #[serde(default, borrow)]
    button: Option<&'a RawValue>,
    #[serde(default, borrow)]
    reaction: Option<&'a RawValue>,
    #[serde(default, borrow)]
    revoke: Option<&'a RawValue>,
}

impl Typed<'_> {
    /// The item, or `None` for one the tree is to read: an `edit` (its message is read as a
    /// tree), or a content field without its documented shape.
    fn into_message(self) -> Option<Message> {
        let kind = self.kind.as_deref().unwrap_or("unknown");
        let media =
            |raw, media_kind| Some(typed(raw)?.map(|media| Content::Media(media_kind, media)));
        let content = match kind {
            "text" => typed(self.text)?.map(Content::Text),
            "image" => media(self.image, MediaKind::Image)?,
            "video" => media(self.video, MediaKind::Video)?,
            "sticker" => media(self.sticker, MediaKind::Sticker)?,
            "audio" => media(self.audio, MediaKind::Audio)?,
            "document" => media(self.document, MediaKind::Document)?,
            "location" => typed(self.location)?.map(Content::Location),
            "contacts" => typed(self.contacts)?.map(Content::Contacts),
            "interactive" => typed(self.interactive)?.map(Content::Interactive),
            "button" => typed(self.button)?.map(Content::Button),
            "reaction" => typed(self.reaction)?.map(Content::Reaction),
            "revoke" => typed(self.revoke)?.map(Content::Revoke),
            "request_welcome" => Some(Content::RequestWelcome),
            "edit" => return None,
            _ => None,
        };
        let content = content.unwrap_or_else(|| Content::Other(kind.to_owned()));
        Some(message!(self, content))
    }
}

/// The content read from its raw text: `Some(None)` when the item has no such field, `None`
/// when the field does not parse (the tree decides then, as a key given twice reads there).
fn typed<T: for<'de> Deserialize<'de>>(raw: Option<&RawValue>) -> Option<Option<T>> {
    match raw {
        Some(raw) => serde_json::from_str(raw.get()).ok().map(Some),
        None => Some(None),
    }
}
