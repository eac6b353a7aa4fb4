//! The Telegram `Update`: its id and its kind. Unknown kinds (and known ones whose object does
//! not parse) are kept as `Other`, so nothing Telegram sends is refused or dropped.

use serde::Deserialize;
use serde_json::{Map, Value};

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
    /// Parses an update; `Err` when the body is not a JSON object with an integer `update_id`
    /// (a number, or its decimal digits as text).
    pub fn parse(body: &[u8]) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct Fields {
            #[serde(deserialize_with = "shared_core::ids::number")]
            update_id: i64,
            #[serde(flatten)]
            rest: Map<String, Value>,
        }
        let Fields { update_id, rest } = serde_json::from_slice(body)?;
        let kind = rest
            .iter()
            .find_map(|(name, value)| UpdateKind::from_field(name, value))
            .unwrap_or_else(|| {
                let name = rest.keys().next().cloned().unwrap_or_default();
                UpdateKind::Other(name)
            });
        Ok(Self { update_id, kind })
    }
}

impl UpdateKind {
    /// The kind for one field of the update, `None` for a field that is not an update kind.
    fn from_field(name: &str, value: &Value) -> Option<Self> {
        fn typed<T: for<'de> Deserialize<'de>>(
            value: &Value,
            wrap: fn(T) -> UpdateKind,
            name: &str,
        ) -> UpdateKind {
            T::deserialize(value).map_or_else(|_| UpdateKind::Other(name.to_owned()), wrap)
        }
        Some(match name {
            "message" => typed(value, Self::Message, name),
            "edited_message" => typed(value, Self::EditedMessage, name),
            "channel_post" => typed(value, Self::ChannelPost, name),
            "edited_channel_post" => typed(value, Self::EditedChannelPost, name),
            "business_message" => typed(value, Self::BusinessMessage, name),
            "edited_business_message" => typed(value, Self::EditedBusinessMessage, name),
            "deleted_business_messages" => typed(value, Self::DeletedBusinessMessages, name),
            "business_connection" => typed(value, Self::BusinessConnection, name),
            "message_reaction" => typed(value, Self::MessageReaction, name),
            "message_reaction_count" => typed(value, Self::MessageReactionCount, name),
            "inline_query" => typed(value, Self::InlineQuery, name),
            "chosen_inline_result" => typed(value, Self::ChosenInlineResult, name),
            "callback_query" => typed(value, Self::CallbackQuery, name),
            "shipping_query" => typed(value, Self::ShippingQuery, name),
            "pre_checkout_query" => typed(value, Self::PreCheckoutQuery, name),
            "purchased_paid_media" => typed(value, Self::PurchasedPaidMedia, name),
            "poll" => typed(value, Self::Poll, name),
            "poll_answer" => typed(value, Self::PollAnswer, name),
            "my_chat_member" => typed(value, Self::MyChatMember, name),
            "chat_member" => typed(value, Self::ChatMember, name),
            "chat_join_request" => typed(value, Self::ChatJoinRequest, name),
            "chat_boost" => typed(value, Self::ChatBoost, name),
            "removed_chat_boost" => typed(value, Self::RemovedChatBoost, name),
            _ if value.is_object() => Self::Other(name.to_owned()),
            _ => return None,
        })
    }
}
