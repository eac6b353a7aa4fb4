//! One `messaging[]` or `standby[]` item, read: who, when, and what it is about.
//!
//! An item with a known kind is read in one pass, every known field straight into its type. Any
//! other item (no known field, a known field without its documented shape, a field given twice)
//! is read as a tree, [`Item`], every field a `Value`, and its kind read from the tree.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::payload::{Message, MessageEdit, Optin, Party, Postback, Reaction, Receipt, Referral};

/// An item, read.
#[derive(Debug)]
pub struct ReadItem {
    pub sender: Option<Party>,
    pub timestamp: Option<Value>,
    pub kind: Kind,
    /// The item-level `referral` (Messenger sends one beside a message from an ad or link).
    pub referral: Option<Referral>,
    /// The kind's field as given, for the kinds whose message `data` is that field: `referral`,
    /// `delivery`, `read`.
    pub field: Option<Value>,
}

impl ReadItem {
    /// Reads an item from its JSON text; `None` when it is not an object of the documented shape.
    pub fn read(text: &str) -> Option<Self> {
        Self::typed(text).or_else(|| serde_json::from_str(text).ok().map(Self::from_tree))
    }

    /// The item read in one pass; `None` for an item [`Item`] is to read.
    fn typed(text: &str) -> Option<Self> {
        // A derived struct also reads an array (its fields in order); the tree reads none.
        if !text.trim_start().starts_with('{') {
            return None;
        }
        let item: Typed<'_> = serde_json::from_str(text).ok()?;
        let tree = |raw: Option<&RawValue>| match raw {
            Some(raw) => serde_json::from_str::<Value>(raw.get()).ok().map(Some),
            None => Some(None),
        };
        let (referral, delivery, read) =
            (tree(item.referral)?, tree(item.delivery)?, tree(item.read)?);
        let referral_of_item = referral.as_ref().and_then(parse);
        let (kind, field) = if let Some(message) = item.message {
            (Kind::Message(Box::new(message)), None)
        } else if let Some(postback) = item.postback {
            (Kind::Postback(postback), None)
        } else if let Some(value) = referral {
            (
                parse(&value).map_or_else(|| other("referral"), Kind::Referral),
                Some(value),
            )
        } else if let Some(value) = delivery {
            (
                parse(&value).map_or_else(|| other("delivery"), Kind::Delivery),
                Some(value),
            )
        } else if let Some(value) = read {
            (
                parse(&value).map_or_else(|| other("read"), Kind::Read),
                Some(value),
            )
        } else if let Some(reaction) = item.reaction {
            (Kind::Reaction(reaction), None)
        } else if let Some(edit) = item.message_edit {
            (Kind::MessageEdit(edit), None)
        } else {
            (Kind::Optin(item.optin?), None)
        };
        Some(Self {
            sender: item.sender,
            timestamp: item.timestamp,
            kind,
            referral: referral_of_item,
            field,
        })
    }

    fn from_tree(mut item: Item) -> Self {
        let kind = item.kind();
        let referral = item.referral();
        let field = match &kind {
            Kind::Referral(_) => item.fields.remove("referral"),
            Kind::Delivery(_) => item.fields.remove("delivery"),
            Kind::Read(_) => item.fields.remove("read"),
            _ => None,
        };
        Self {
            sender: item.sender,
            timestamp: item.timestamp,
            kind,
            referral,
            field,
        }
    }
}

/// An item's known fields, each straight into its type; `referral`, `delivery` and `read` as
/// raw text, since their tree is also the message's `data`. A field given twice, or a known one
/// without its documented shape, fails the whole read.
#[derive(Deserialize)]
struct Typed<'a> {
    #[serde(default)]
    sender: Option<Party>,
    /// Read as the tree reads it, though nothing uses it.
    #[serde(default, rename = "recipient")]
    _recipient: Option<Party>,
    #[serde(default)]
    timestamp: Option<Value>,
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    postback: Option<Postback>,
    #[serde(default, borrow)]
    referral: Option<&'a RawValue>,
    #[serde(default, borrow)]
    delivery: Option<&'a RawValue>,
    #[serde(default, borrow)]
    read: Option<&'a RawValue>,
    #[serde(default)]
    reaction: Option<Reaction>,
    #[serde(default)]
    message_edit: Option<MessageEdit>,
    #[serde(default)]
    optin: Option<Optin>,
}

/// One `messaging[]` or `standby[]` item as a tree: who, when, and one kind-named field.
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
