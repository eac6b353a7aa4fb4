//! The Bot API objects an update carries, as far as the receiver reads them; unknown fields
//! are ignored. Ids are read as Telegram documents them, and also in the other JSON form
//! (`shared_core::ids`): an integer id sent as text, a text id sent as a number.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use shared_core::ids;

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    #[serde(deserialize_with = "ids::number")]
    pub id: i64,
    #[serde(default)]
    pub is_bot: bool,
    #[serde(default)]
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Chat {
    #[serde(deserialize_with = "ids::number")]
    pub id: i64,
    #[serde(rename = "type", default)]
    pub kind: String,
    pub title: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// A message, channel post or business message: the fields the normalizer reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    #[serde(deserialize_with = "ids::number")]
    pub message_id: i64,
    #[serde(default, deserialize_with = "ids::optional_number")]
    pub message_thread_id: Option<i64>,
    pub from: Option<User>,
    pub sender_chat: Option<Chat>,
    pub chat: Chat,
    #[serde(default)]
    pub date: i64,
    pub edit_date: Option<i64>,
    #[serde(default, deserialize_with = "ids::optional_text")]
    pub business_connection_id: Option<String>,
    pub reply_to_message: Option<Box<ReplyTo>>,
    pub text: Option<String>,
    pub caption: Option<String>,
    /// Passed on unread (but for a command's entity): kept as their JSON text.
    pub entities: Option<Box<RawValue>>,
    pub caption_entities: Option<Box<RawValue>>,
    pub photo: Option<Vec<PhotoSize>>,
    pub video: Option<File>,
    pub animation: Option<File>,
    pub video_note: Option<File>,
    pub audio: Option<File>,
    pub voice: Option<File>,
    pub document: Option<File>,
    pub sticker: Option<File>,
    pub location: Option<GeoPoint>,
    pub venue: Option<Venue>,
    pub contact: Option<Value>,
    pub dice: Option<Value>,
    pub poll: Option<Value>,
    pub game: Option<Value>,
    pub invoice: Option<Value>,
    pub story: Option<Value>,
    pub successful_payment: Option<Value>,
    pub web_app_data: Option<WebAppData>,
    pub new_chat_members: Option<Vec<User>>,
    pub left_chat_member: Option<User>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReplyTo {
    #[serde(deserialize_with = "ids::number")]
    pub message_id: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PhotoSize {
    #[serde(deserialize_with = "ids::text")]
    pub file_id: String,
    #[serde(default)]
    pub width: u64,
    #[serde(default)]
    pub height: u64,
    pub file_size: Option<u64>,
}

/// Video, animation, video note, audio, voice, document or sticker: what they share.
#[derive(Debug, Clone, Deserialize)]
pub struct File {
    #[serde(deserialize_with = "ids::text")]
    pub file_id: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub file_size: Option<u64>,
    /// Stickers: the emoji the sticker stands for.
    pub emoji: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Venue {
    pub location: GeoPoint,
    pub title: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WebAppData {
    pub data: String,
    pub button_text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeletedMessages {
    #[serde(deserialize_with = "ids::text")]
    pub business_connection_id: String,
    pub chat: Chat,
    #[serde(deserialize_with = "ids::numbers")]
    pub message_ids: Vec<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BusinessConnection {
    #[serde(deserialize_with = "ids::text")]
    pub id: String,
    pub user: User,
    #[serde(deserialize_with = "ids::number")]
    pub user_chat_id: i64,
    #[serde(default)]
    pub date: i64,
    #[serde(default)]
    pub is_enabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReactionUpdated {
    pub chat: Chat,
    #[serde(deserialize_with = "ids::number")]
    pub message_id: i64,
    pub user: Option<User>,
    pub actor_chat: Option<Chat>,
    #[serde(default)]
    pub date: i64,
    #[serde(default)]
    pub old_reaction: Value,
    #[serde(default)]
    pub new_reaction: Value,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReactionCountUpdated {
    pub chat: Chat,
    #[serde(deserialize_with = "ids::number")]
    pub message_id: i64,
    #[serde(default)]
    pub date: i64,
    #[serde(default)]
    pub reactions: Value,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InlineQuery {
    #[serde(deserialize_with = "ids::text")]
    pub id: String,
    pub from: User,
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub offset: String,
    pub chat_type: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChosenInlineResult {
    #[serde(deserialize_with = "ids::text")]
    pub result_id: String,
    pub from: User,
    #[serde(default)]
    pub query: String,
    #[serde(default, deserialize_with = "ids::optional_text")]
    pub inline_message_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CallbackQuery {
    #[serde(deserialize_with = "ids::text")]
    pub id: String,
    pub from: User,
    /// The message with the button; absent for buttons in inline-mode messages.
    pub message: Option<MaybeInaccessible>,
    #[serde(default, deserialize_with = "ids::optional_text")]
    pub inline_message_id: Option<String>,
    pub data: Option<String>,
    pub game_short_name: Option<String>,
}

/// A message that may no longer be accessible (then `date` is 0 and only the ids are given).
#[derive(Debug, Clone, Deserialize)]
pub struct MaybeInaccessible {
    #[serde(deserialize_with = "ids::number")]
    pub message_id: i64,
    pub chat: Chat,
    #[serde(default, deserialize_with = "ids::optional_number")]
    pub message_thread_id: Option<i64>,
    #[serde(default, deserialize_with = "ids::optional_text")]
    pub business_connection_id: Option<String>,
}

/// A shipping or pre-checkout query.
#[derive(Debug, Clone, Deserialize)]
pub struct PaymentQuery {
    #[serde(deserialize_with = "ids::text")]
    pub id: String,
    pub from: User,
    #[serde(default)]
    pub invoice_payload: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PaidMediaPurchased {
    pub from: User,
    #[serde(default)]
    pub paid_media_payload: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Poll {
    #[serde(deserialize_with = "ids::text")]
    pub id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PollAnswer {
    #[serde(deserialize_with = "ids::text")]
    pub poll_id: String,
    pub user: Option<User>,
    pub voter_chat: Option<Chat>,
    #[serde(default, deserialize_with = "ids::numbers")]
    pub option_ids: Vec<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChatMemberUpdated {
    pub chat: Chat,
    pub from: User,
    #[serde(default)]
    pub date: i64,
    pub old_chat_member: ChatMember,
    pub new_chat_member: ChatMember,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChatMember {
    pub status: String,
    pub user: User,
    /// Restricted members: whether they are still in the chat.
    pub is_member: Option<bool>,
}

impl ChatMember {
    /// Whether this status means "in the chat".
    pub fn is_present(&self) -> bool {
        match self.status.as_str() {
            "creator" | "administrator" | "member" => true,
            "restricted" => self.is_member.unwrap_or(false),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChatJoinRequest {
    pub chat: Chat,
    pub from: User,
    #[serde(deserialize_with = "ids::number")]
    pub user_chat_id: i64,
    #[serde(default)]
    pub date: i64,
    pub invite_link: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChatBoost {
    pub chat: Chat,
    /// `removed_chat_boost` names the boost here; `chat_boost` inside `boost`.
    #[serde(default, deserialize_with = "ids::optional_text")]
    pub boost_id: Option<String>,
    pub boost: Option<BoostId>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BoostId {
    #[serde(deserialize_with = "ids::text")]
    pub boost_id: String,
}
