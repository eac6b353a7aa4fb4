//! Slack's request bodies as serde types: the Events API wrapper and its inner events, and the
//! interactivity payloads. Kinds not known here land in catch-all variants, never in an error.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// An Events API body: the wrapper around one inner event, or an app-level notice.
#[derive(Debug, Deserialize)]
pub struct EventWrapper {
    #[serde(rename = "type")]
    pub kind: WrapperKind,
    pub team_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub api_app_id: Option<String>,
    pub event_id: Option<String>,
    /// Unix seconds.
    pub event_time: Option<i64>,
    /// The inner event, byte for byte as received.
    pub event: Option<Box<RawValue>>,
    /// `url_verification`: the text to answer with.
    pub challenge: Option<String>,
    /// `app_rate_limited`: the minute (Unix seconds) the limit began.
    pub minute_rate_limited: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WrapperKind {
    UrlVerification,
    EventCallback,
    AppRateLimited,
    #[serde(other)]
    Unknown,
}

/// A `message` (any subtype) or `app_mention` event; also the message inside interactions.
#[derive(Debug, Default, Deserialize)]
pub struct MessageEvent {
    pub subtype: Option<MessageSubtype>,
    pub channel: Option<String>,
    pub user: Option<String>,
    pub bot_id: Option<String>,
    pub app_id: Option<String>,
    pub username: Option<String>,
    pub text: Option<String>,
    pub ts: Option<String>,
    pub thread_ts: Option<String>,
    /// `message_deleted`: the ts of the message that is gone.
    pub deleted_ts: Option<String>,
    pub files: Option<Vec<File>>,
    /// Passed on unread, as their JSON text.
    pub blocks: Option<Box<RawValue>>,
    /// `message_changed`: the message as it is now.
    pub message: Option<Box<MessageEvent>>,
    /// `message_changed`, `message_deleted`: the message as it was.
    pub previous_message: Option<Box<MessageEvent>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageSubtype {
    BotMessage,
    FileShare,
    ThreadBroadcast,
    MeMessage,
    MessageChanged,
    MessageDeleted,
    /// Channel notices (`channel_join`, `channel_topic`, ...) and subtypes added later.
    #[serde(other)]
    Other,
}

/// A file shared in a message.
#[derive(Debug, Default, Deserialize)]
pub struct File {
    pub id: Option<String>,
    pub name: Option<String>,
    pub mimetype: Option<String>,
    pub url_private: Option<String>,
    pub size: Option<u64>,
}

/// `reaction_added` / `reaction_removed`.
#[derive(Debug, Deserialize)]
pub struct ReactionEvent {
    pub user: Option<String>,
    pub reaction: Option<String>,
    pub item_user: Option<String>,
    pub item: Option<ReactionItem>,
    pub event_ts: Option<String>,
}

/// What a reaction was put on: a message (`channel` + `ts`) or a file.
#[derive(Debug, Deserialize)]
pub struct ReactionItem {
    pub channel: Option<String>,
    pub ts: Option<String>,
}

/// `member_joined_channel` / `member_left_channel`.
#[derive(Debug, Deserialize)]
pub struct MemberEvent {
    pub user: Option<String>,
    pub channel: Option<String>,
    pub inviter: Option<String>,
}

/// `app_home_opened`.
#[derive(Debug, Deserialize)]
pub struct AppHomeEvent {
    pub user: Option<String>,
    pub channel: Option<String>,
    pub tab: Option<String>,
    pub event_ts: Option<String>,
}

/// Where an event of a type not known here happened: ids as text, or objects with an `id`.
#[derive(Debug, Default, Deserialize)]
pub struct Whereabouts {
    pub channel: Option<Value>,
    pub channel_id: Option<Value>,
    pub user: Option<Value>,
    pub user_id: Option<Value>,
}

/// An interactivity payload (the JSON in the `payload` form field).
#[derive(Debug, Deserialize)]
pub struct Interaction {
    #[serde(rename = "type")]
    pub kind: InteractionKind,
    pub user: Option<InteractionUser>,
    pub team: Option<Team>,
    pub api_app_id: Option<String>,
    pub trigger_id: Option<String>,
    pub channel: Option<Conversation>,
    pub container: Option<Container>,
    /// Each action, kept whole for `message.data`.
    pub actions: Option<Vec<Value>>,
    pub view: Option<View>,
    /// Shortcuts and legacy interactive messages.
    pub callback_id: Option<String>,
    /// `message_action`: the message the shortcut ran on.
    pub message: Option<MessageEvent>,
    pub message_ts: Option<String>,
    pub action_ts: Option<String>,
    /// `block_suggestion`: the menu asking and what the user typed.
    pub action_id: Option<String>,
    pub value: Option<String>,
    /// `dialog_submission` (legacy dialogs): the form's values by element name.
    pub submission: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    BlockActions,
    InteractiveMessage,
    ViewSubmission,
    ViewClosed,
    Shortcut,
    MessageAction,
    BlockSuggestion,
    /// A legacy dialog (`dialog.open`) submitted.
    DialogSubmission,
    /// A legacy dialog cancelled (sent when it was opened with `notify_on_cancel`).
    DialogCancellation,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Deserialize)]
pub struct InteractionUser {
    pub id: Option<String>,
    pub username: Option<String>,
    pub name: Option<String>,
    pub team_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Team {
    pub id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Conversation {
    pub id: Option<String>,
}

/// Where the interactive element was: a message (`channel_id`, `message_ts`) or a view.
#[derive(Debug, Deserialize)]
pub struct Container {
    pub channel_id: Option<String>,
    pub message_ts: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct View {
    pub callback_id: Option<String>,
    pub state: Option<ViewState>,
}

#[derive(Debug, Deserialize)]
pub struct ViewState {
    pub values: Option<Value>,
}

/// One action of `block_actions` (Block Kit) or `interactive_message` (legacy attachments).
#[derive(Debug, Default, Deserialize)]
pub struct Action {
    pub action_id: Option<String>,
    /// Legacy attachments name their actions instead.
    pub name: Option<String>,
    pub value: Option<String>,
    pub text: Option<Text>,
    pub selected_option: Option<Choice>,
    pub selected_options: Option<Vec<Choice>>,
    pub selected_date: Option<String>,
    pub selected_time: Option<String>,
    pub selected_user: Option<String>,
    pub selected_channel: Option<String>,
    pub selected_conversation: Option<String>,
}

/// A chosen option of a menu, radio group or checkbox set.
#[derive(Debug, Deserialize)]
pub struct Choice {
    pub value: Option<String>,
    pub text: Option<Text>,
}

/// A Block Kit text object.
#[derive(Debug, Deserialize)]
pub struct Text {
    pub text: Option<String>,
}
