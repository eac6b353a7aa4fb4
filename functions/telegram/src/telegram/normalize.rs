//! One Telegram update → one envelope event: the unified kind, chat, user and message.

use serde_json::value::RawValue;
use serde_json::{Map, Value, json};
use shared_core::channel::UNKNOWN_CHAT;
use shared_core::time::from_unix_seconds;
use shared_core::{Event, EventKind, Message, MessageType};

use super::content;
use super::objects::{self, Chat, ChatMemberUpdated, User};
use super::update::{Update, UpdateKind};

/// Normalizes an update; `raw` is the whole update as received.
pub fn event(update: Update, raw: Box<RawValue>) -> Event {
    let id = update.update_id.to_string();
    let draft = draft(update.kind);
    let mut event = Event::new(draft.kind, draft.chat_id, id, raw);
    event.message = draft.message;
    event.user = draft.user.as_ref().map(user);
    event.timestamp = draft.date.and_then(from_unix_seconds);
    event.referral = draft.referral;
    event.context = draft.context;
    event
}

/// What an update kind says, before it becomes an `Event`.
struct Draft {
    kind: EventKind,
    chat_id: String,
    message: Message,
    user: Option<User>,
    date: Option<i64>,
    referral: Option<String>,
    context: Map<String, Value>,
}

impl Draft {
    fn new(kind: EventKind, chat_id: impl ToString, user: Option<User>) -> Self {
        Self {
            kind,
            chat_id: chat_id.to_string(),
            message: Message::default(),
            user,
            date: None,
            referral: None,
            context: Map::new(),
        }
    }

    fn message(mut self, message: Message) -> Self {
        self.message = message;
        self
    }

    fn data(mut self, data: Value) -> Self {
        self.message.data = Some(data);
        self
    }

    fn date(mut self, date: i64) -> Self {
        self.date = Some(date);
        self
    }
}

fn draft(kind: UpdateKind) -> Draft {
    match kind {
        UpdateKind::Message(message) | UpdateKind::ChannelPost(message) | UpdateKind::BusinessMessage(message) => new_message(message),
        UpdateKind::EditedMessage(message) | UpdateKind::EditedChannelPost(message) | UpdateKind::EditedBusinessMessage(message) => {
            let date = message.edit_date.unwrap_or(message.date);
            Draft { context: message_context(&message), ..Draft::new(EventKind::Edited, message.chat.id, sender(&message)) }
                .message(content::message(message))
                .date(date)
        }
        UpdateKind::DeletedBusinessMessages(deleted) => {
            let mut draft = Draft::new(EventKind::Deleted, deleted.chat.id, None).data(json!({ "message_ids": deleted.message_ids }));
            draft.context.insert("business_connection_id".into(), deleted.business_connection_id.into());
            draft
        }
        UpdateKind::BusinessConnection(connection) => Draft::new(EventKind::Other, connection.user_chat_id, Some(connection.user))
            .data(json!({ "business_connection_id": connection.id, "is_enabled": connection.is_enabled }))
            .date(connection.date),
        UpdateKind::MessageReaction(reaction) => {
            let actor = reaction.user.clone().or_else(|| reaction.actor_chat.as_ref().map(chat_as_user));
            let message = Message { id: Some(reaction.message_id.to_string()), ..Message::of(MessageType::None) };
            Draft::new(EventKind::Reaction, reaction.chat.id, actor)
                .message(message)
                .data(json!({ "old_reaction": reaction.old_reaction, "new_reaction": reaction.new_reaction }))
                .date(reaction.date)
        }
        UpdateKind::MessageReactionCount(count) => {
            let message = Message { id: Some(count.message_id.to_string()), ..Message::of(MessageType::None) };
            Draft::new(EventKind::Reaction, count.chat.id, None).message(message).data(json!({ "reactions": count.reactions })).date(count.date)
        }
        UpdateKind::CallbackQuery(query) => callback(query),
        UpdateKind::InlineQuery(query) => {
            let message = Message { text: Some(query.query.clone()), ..Message::of(MessageType::Button) }.with_payload(query.query);
            Draft::new(EventKind::Callback, query.from.id, Some(query.from))
                .message(message)
                .data(json!({ "inline_query_id": query.id, "offset": query.offset, "chat_type": query.chat_type }))
        }
        UpdateKind::ChosenInlineResult(chosen) => Draft::new(EventKind::Other, chosen.from.id, Some(chosen.from)).data(json!({
            "result_id": chosen.result_id, "query": chosen.query, "inline_message_id": chosen.inline_message_id
        })),
        UpdateKind::ShippingQuery(query) | UpdateKind::PreCheckoutQuery(query) => {
            let message = Message::of(MessageType::Button).with_payload(query.invoice_payload);
            Draft::new(EventKind::Callback, query.from.id, Some(query.from)).message(message).data(json!({ "query_id": query.id }))
        }
        UpdateKind::PurchasedPaidMedia(purchase) => {
            let message = Message::of(MessageType::None).with_payload(purchase.paid_media_payload);
            Draft::new(EventKind::Other, purchase.from.id, Some(purchase.from)).message(message)
        }
        UpdateKind::Poll(poll) => Draft::new(EventKind::Other, UNKNOWN_CHAT, None).data(json!({ "poll_id": poll.id })),
        UpdateKind::PollAnswer(answer) => {
            let options: Vec<String> = answer.option_ids.iter().map(i64::to_string).collect();
            let voter = answer.user.clone().or_else(|| answer.voter_chat.as_ref().map(chat_as_user));
            let chat_id = voter.as_ref().map_or_else(|| UNKNOWN_CHAT.to_owned(), |voter| voter.id.to_string());
            let message = Message::of(MessageType::Button).with_payload(options.join(","));
            Draft::new(EventKind::Callback, chat_id, voter).message(message).data(json!({ "poll_id": answer.poll_id, "option_ids": answer.option_ids }))
        }
        UpdateKind::MyChatMember(change) | UpdateKind::ChatMember(change) => membership(change),
        UpdateKind::ChatJoinRequest(request) => {
            Draft::new(EventKind::Other, request.user_chat_id, Some(request.from)).data(json!({ "chat": chat_summary(&request.chat), "invite_link": request.invite_link })).date(request.date)
        }
        UpdateKind::ChatBoost(boost) | UpdateKind::RemovedChatBoost(boost) => {
            let boost_id = boost.boost_id.or(boost.boost.map(|inner| inner.boost_id));
            Draft::new(EventKind::Other, boost.chat.id, None).data(json!({ "boost_id": boost_id }))
        }
        UpdateKind::Other(_) => Draft::new(EventKind::Other, UNKNOWN_CHAT, None),
    }
}

/// A new message: a command when it starts with one, a membership change for service
/// messages about members, else a message.
fn new_message(message: objects::Message) -> Draft {
    let mut draft =
        Draft::new(EventKind::Message, message.chat.id, sender(&message)).date(message.date);
    draft.context = message_context(&message);
    let mut command_name = None;
    if let Some((command, argument)) = content::command(&message) {
        draft.kind = EventKind::Command;
        command_name = Some(command.to_owned());
        if command == "/start" || command.starts_with("/start@") {
            draft.referral = argument.map(str::to_owned);
        }
    } else if let Some(members) = &message.new_chat_members {
        draft.kind = EventKind::MemberJoined;
        draft.user = members.first().cloned().or(draft.user);
    } else if let Some(member) = &message.left_chat_member {
        draft.kind = EventKind::MemberLeft;
        draft.user = Some(member.clone());
    }
    draft.message = content::message(message);
    if command_name.is_some() {
        draft.message.payload = command_name;
    }
    draft
}

fn callback(query: objects::CallbackQuery) -> Draft {
    let chat_id = query
        .message
        .as_ref()
        .map_or(query.from.id, |message| message.chat.id);
    let payload = query
        .data
        .clone()
        .or_else(|| query.game_short_name.clone())
        .unwrap_or_default();
    let mut message = Message::of(MessageType::Button).with_payload(payload);
    message.id = query
        .message
        .as_ref()
        .map(|message| message.message_id.to_string());
    let mut draft = Draft::new(EventKind::Callback, chat_id, Some(query.from)).message(message);
    draft
        .context
        .insert("callback_query_id".into(), query.id.into());
    if let Some(inline) = query.inline_message_id {
        draft
            .context
            .insert("inline_message_id".into(), inline.into());
    }
    if let Some(source) = &query.message {
        insert_some(
            &mut draft.context,
            "message_thread_id",
            source.message_thread_id.map(Value::from),
        );
        insert_some(
            &mut draft.context,
            "business_connection_id",
            source.business_connection_id.clone().map(Value::from),
        );
    }
    draft
}

/// The bot's own membership in a private chat is the user blocking or restarting it; in
/// groups, and for other members, a join or a leave.
fn membership(change: ChatMemberUpdated) -> Draft {
    let (was, is) = (
        change.old_chat_member.is_present(),
        change.new_chat_member.is_present(),
    );
    let private = change.chat.kind == "private";
    let kind = match (was, is) {
        (true, false) if private => EventKind::Unsubscribed,
        (false, true) if private => EventKind::Subscribed,
        (true, false) => EventKind::MemberLeft,
        (false, true) => EventKind::MemberJoined,
        _ => EventKind::Other,
    };
    let subject = if private {
        change.from.clone()
    } else {
        change.new_chat_member.user.clone()
    };
    Draft::new(kind, change.chat.id, Some(subject))
        .data(json!({
            "old_status": change.old_chat_member.status,
            "new_status": change.new_chat_member.status,
            "member_id": change.new_chat_member.user.id.to_string(),
            "by": change.from.id.to_string(),
        }))
        .date(change.date)
}

/// Who sent a message: the user, or the chat it was sent on behalf of (channels, anonymous admins).
fn sender(message: &objects::Message) -> Option<User> {
    message
        .from
        .clone()
        .filter(|_| message.sender_chat.is_none())
        .or_else(|| message.sender_chat.as_ref().map(chat_as_user))
        .or_else(|| message.from.clone())
}

/// What a reply needs beyond the chat: the forum topic and the business connection.
fn message_context(message: &objects::Message) -> Map<String, Value> {
    let mut context = Map::new();
    insert_some(
        &mut context,
        "message_thread_id",
        message.message_thread_id.map(Value::from),
    );
    insert_some(
        &mut context,
        "business_connection_id",
        message.business_connection_id.clone().map(Value::from),
    );
    context
}

fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value);
    }
}

fn chat_as_user(chat: &Chat) -> User {
    let name = chat
        .title
        .clone()
        .or_else(|| chat.first_name.clone())
        .unwrap_or_default();
    User {
        id: chat.id,
        is_bot: false,
        first_name: name,
        last_name: chat.last_name.clone(),
        username: chat.username.clone(),
        language_code: None,
    }
}

fn chat_summary(chat: &Chat) -> Value {
    json!({ "id": chat.id.to_string(), "type": chat.kind, "title": chat.title })
}

fn user(user: &User) -> shared_core::User {
    let name = match &user.last_name {
        Some(last) if !user.first_name.is_empty() => format!("{} {last}", user.first_name),
        Some(last) => last.clone(),
        None => user.first_name.clone(),
    };
    shared_core::User {
        id: user.id.to_string(),
        name: (!name.is_empty()).then_some(name),
        username: user.username.clone(),
        language: user.language_code.clone(),
        is_bot: Some(user.is_bot),
    }
}
