//! Message events: new, edited and deleted messages, mentions, shared files, and the bot's own
//! messages told apart as echoes.

use shared_core::envelope::{Attachment, EventKind, Message, MessageType, RawJson, User};

use super::events::Draft;
use super::first_id;
use super::payload::{File, MessageEvent, MessageSubtype};

/// Whether Slack is telling the bot about a message the bot itself posted (or edited).
pub(super) fn is_echo(
    event: &MessageEvent,
    api_app_id: Option<&str>,
    bot_id: Option<&str>,
) -> bool {
    let own = |message: &MessageEvent| {
        same(message.app_id.as_deref(), api_app_id) || same(message.bot_id.as_deref(), bot_id)
    };
    own(event) || event.message.as_deref().is_some_and(own)
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if !a.is_empty() && a == b)
}

pub(super) fn message(mut event: MessageEvent, subtype: Option<MessageSubtype>) -> Draft {
    use MessageSubtype::{
        BotMessage, FileShare, MeMessage, MessageChanged, MessageDeleted, ThreadBroadcast,
    };
    let kind = match subtype {
        None | Some(BotMessage | FileShare | ThreadBroadcast | MeMessage) => EventKind::Message,
        Some(MessageChanged) => EventKind::Edited,
        Some(MessageDeleted) => EventKind::Deleted,
        Some(MessageSubtype::Other) => EventKind::Other,
    };
    let chat_id = first_id([event.channel.as_deref()]);
    let ts = event.ts.clone();
    let deleted_ts = event.deleted_ts.take();
    // The message shown: as it is now when changed, as it was when deleted, else the event's.
    let shown = match kind {
        EventKind::Edited => event.message.take(),
        EventKind::Deleted => event.previous_message.take(),
        _ => None,
    }
    .map_or(event, |shown| *shown);
    let user = author(&shown);
    let message = if kind == EventKind::Deleted {
        Message {
            id: first_id([deleted_ts.as_deref(), shown.ts.as_deref()]),
            ..Message::default()
        }
    } else {
        content(shown)
    };
    Draft {
        kind,
        chat_id,
        message,
        user,
        ts,
    }
}

/// Text, files, thread and blocks of a message (its text and blocks moved, not copied).
fn content(event: MessageEvent) -> Message {
    let attachments: Vec<Attachment> = event.files.iter().flatten().map(attachment).collect();
    let text = event.text.filter(|text| !text.is_empty());
    let kind = match (attachments.first(), &text) {
        (Some(first), _) => first.kind,
        (None, Some(_)) => MessageType::Text,
        (None, None) => MessageType::None,
    };
    // A reply in a thread names the thread's first message; that message names itself.
    let reply_to = event
        .thread_ts
        .filter(|thread| Some(thread) != event.ts.as_ref());
    Message {
        id: event.ts,
        kind,
        text,
        attachments,
        reply_to,
        entities: event.blocks.map(RawJson::new),
        ..Message::default()
    }
}

fn attachment(file: &File) -> Attachment {
    let kind = match file
        .mimetype
        .as_deref()
        .and_then(|mime| mime.split('/').next())
    {
        Some("image") => MessageType::Image,
        Some("video") => MessageType::Video,
        Some("audio") => MessageType::Audio,
        _ => MessageType::File,
    };
    Attachment {
        kind,
        url: file.url_private.clone(),
        file_id: file.id.clone(),
        name: file.name.clone(),
        mime_type: file.mimetype.clone(),
        size: file.size,
        ..Attachment::default()
    }
}

/// The person, or the bot, who wrote a message.
fn author(event: &MessageEvent) -> Option<User> {
    let id = first_id([event.user.as_deref(), event.bot_id.as_deref()])?;
    Some(User {
        id,
        username: event.username.clone(),
        is_bot: event.bot_id.as_ref().map(|_| true),
        ..User::default()
    })
}
