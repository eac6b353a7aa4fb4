//! The Telegram `Update`: its id and its kind. Unknown kinds (and known ones whose object does
//! not parse) are kept as `Other`, so nothing Telegram sends is refused or dropped.
//!
//! An update as Telegram sends it (`update_id` and one kind's object) is read in one pass, the
//! object straight into its type. Any other body (a kind's object without its documented shape,
//! several kinds, an unknown one) is read again as a tree, which tells the kind as described at
//! [`Update::parse`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use shared_core::channel::tagged::Key;
use shared_core::ids::IdNumber;

use super::objects::{
    BusinessConnection, CallbackQuery, ChatBoost, ChatJoinRequest, ChatMemberUpdated,
    ChosenInlineResult, DeletedMessages, InlineQuery, Message, PaidMediaPurchased, PaymentQuery,
    Poll, PollAnswer, ReactionCountUpdated, ReactionUpdated,
};

/// An incoming update: its id and exactly one of the optional kinds.
#[derive(Debug)]
pub struct Update {
    pub update_id: i64,
    pub kind: UpdateKind,
}

/// The update kinds the receiver normalizes: `allowed_updates` when the webhook is set
/// (Telegram then sends only those). One per variant of [`UpdateKind`] but `Other`.
pub const KINDS: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
];

/// The kinds of update the Bot API documents; anything newer is `Other` with its field name.
#[derive(Debug)]
pub enum UpdateKind {
    Message(Message),
    EditedMessage(Message),
    ChannelPost(Message),
    EditedChannelPost(Message),
    BusinessMessage(Message),
    EditedBusinessMessage(Message),
    DeletedBusinessMessages(DeletedMessages),
    BusinessConnection(BusinessConnection),
    MessageReaction(ReactionUpdated),
    MessageReactionCount(ReactionCountUpdated),
    InlineQuery(InlineQuery),
    ChosenInlineResult(ChosenInlineResult),
    CallbackQuery(CallbackQuery),
    ShippingQuery(PaymentQuery),
    PreCheckoutQuery(PaymentQuery),
    PurchasedPaidMedia(PaidMediaPurchased),
    Poll(Poll),
    PollAnswer(PollAnswer),
    MyChatMember(ChatMemberUpdated),
    ChatMember(ChatMemberUpdated),
    ChatJoinRequest(ChatJoinRequest),
    ChatBoost(ChatBoost),
    RemovedChatBoost(ChatBoost),
    /// A kind this receiver does not know (or one whose object did not parse): its field name.
    Other(String),
}

impl Update {
    /// Parses an update; `Err` when the body is not a JSON object with one integer `update_id`
    /// (a number, or its decimal digits as text).
    ///
    /// The kind is the first field, in the order of the field names, that is a known kind or
    /// holds an object (of a field given twice, the last); a known kind whose object does not
    /// parse, or an unknown one, is `Other` with its name.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        read_typed(text).or_else(|_| read_tree(text))
    }
}

/// The update when it has `update_id` and exactly one known kind, whose object parses, beside
/// fields that hold no object; an error for any other body.
fn read_typed(text: &str) -> Result<Update, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let update = deserializer.deserialize_map(TypedUpdate)?;
    deserializer.end()?;
    Ok(update)
}

struct TypedUpdate;

impl<'de> Visitor<'de> for TypedUpdate {
    type Value = Update;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Telegram update with one known kind")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Update, M::Error> {
        let mut update_id = None;
        let mut kind = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let name = key.as_str();
            if name == "update_id" {
                if update_id.is_some() {
                    return Err(de::Error::duplicate_field("update_id"));
                }
                update_id = Some(map.next_value::<IdNumber<i64>>()?.0);
            } else if KINDS.contains(&name) {
                if kind.is_some() {
                    return Err(de::Error::custom("more than one kind"));
                }
                kind = Some(map.next_value_seed(KindSeed(name))?);
            } else if map.next_value::<&'de RawValue>()?.get().starts_with('{') {
                return Err(de::Error::custom("an object besides the kind's"));
            }
        }
        Ok(Update {
            update_id: update_id.ok_or_else(|| de::Error::missing_field("update_id"))?,
            kind: kind.ok_or_else(|| de::Error::custom("no known kind"))?,
        })
    }
}

/// The update read as a tree: every field a `Value`, the kind's object read from its tree.
fn read_tree(text: &str) -> Result<Update, serde_json::Error> {
    #[derive(Deserialize)]
    struct Fields {
        #[serde(deserialize_with = "shared_core::ids::number")]
        update_id: i64,
        #[serde(flatten)]
        rest: Map<String, Value>,
    }
    let Fields { update_id, rest } = serde_json::from_str(text)?;
    let kind = rest
        .iter()
        .find_map(|(name, value)| kind_from_tree(name, value))
        .unwrap_or_else(|| {
            let name = rest.keys().next().cloned().unwrap_or_default();
            UpdateKind::Other(name)
        });
    Ok(Update { update_id, kind })
}

/// The kind for one field of the update, `None` for a field that is not an update kind.
fn kind_from_tree(name: &str, value: &Value) -> Option<UpdateKind> {
    if KINDS.contains(&name) {
        let kind = KindSeed(name).deserialize(value);
        return Some(kind.unwrap_or_else(|_| UpdateKind::Other(name.to_owned())));
    }
    value
        .is_object()
        .then(|| UpdateKind::Other(name.to_owned()))
}

/// Reads the object of the known kind (one of [`KINDS`]) named by the field.
struct KindSeed<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for KindSeed<'_> {
    type Value = UpdateKind;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<UpdateKind, D::Error> {
        fn typed<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
            deserializer: D,
            wrap: fn(T) -> UpdateKind,
        ) -> Result<UpdateKind, D::Error> {
            T::deserialize(deserializer).map(wrap)
        }
        let d = deserializer;
        match self.0 {
            "message" => typed(d, UpdateKind::Message),
            "edited_message" => typed(d, UpdateKind::EditedMessage),
            "channel_post" => typed(d, UpdateKind::ChannelPost),
            "edited_channel_post" => typed(d, UpdateKind::EditedChannelPost),
            "business_message" => typed(d, UpdateKind::BusinessMessage),
            "edited_business_message" => typed(d, UpdateKind::EditedBusinessMessage),
            "deleted_business_messages" => typed(d, UpdateKind::DeletedBusinessMessages),
            "business_connection" => typed(d, UpdateKind::BusinessConnection),
            "message_reaction" => typed(d, UpdateKind::MessageReaction),
            "message_reaction_count" => typed(d, UpdateKind::MessageReactionCount),
            "inline_query" => typed(d, UpdateKind::InlineQuery),
            "chosen_inline_result" => typed(d, UpdateKind::ChosenInlineResult),
            "callback_query" => typed(d, UpdateKind::CallbackQuery),
            "shipping_query" => typed(d, UpdateKind::ShippingQuery),
            "pre_checkout_query" => typed(d, UpdateKind::PreCheckoutQuery),
            "purchased_paid_media" => typed(d, UpdateKind::PurchasedPaidMedia),
            "poll" => typed(d, UpdateKind::Poll),
            "poll_answer" => typed(d, UpdateKind::PollAnswer),
            "my_chat_member" => typed(d, UpdateKind::MyChatMember),
            "chat_member" => typed(d, UpdateKind::ChatMember),
            "chat_join_request" => typed(d, UpdateKind::ChatJoinRequest),
            "chat_boost" => typed(d, UpdateKind::ChatBoost),
            "removed_chat_boost" => typed(d, UpdateKind::RemovedChatBoost),
            other => Err(de::Error::unknown_field(other, KINDS)),
        }
    }
}
