//! Message events of the Events API: messages, mentions, bots, files, edits, deletions, echoes.

use serde_json::{Value, json};
use shared_core::channel::Outcome;
use shared_core::envelope::{Attachment, EventKind, Message, MessageType, User};

use super::{Delivered, context, event_body, fixture, only, raw};

fn body_json(name: &str) -> Value {
    serde_json::from_str(&fixture(&format!("events/{name}.json"))).unwrap()
}

#[test]
fn a_channel_message_is_a_message() {
    let envelope = only(event_body("message"));
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message::text("Hello world").with_id("1355517523.000005")
    );
    assert_eq!(envelope.user, Some(User::id("U2147483697")));
    assert_eq!(envelope.event_id, "slack:demo:Ev0PV52K21");
    assert_eq!(envelope.timestamp.as_deref(), Some("2012-12-14T20:38:43Z"));
    assert_eq!(
        context(&envelope),
        json!({"team_id": "T061EG9R6", "api_app_id": "A0PNCHHK2"})
    );
    assert_eq!(envelope.referral, None);
    // `raw` is the inner event as received, its line breaks as spaces.
    assert!(
        shared_core::testing::one_line(&fixture("events/message.json"))
            .contains(envelope.raw.get())
    );
    assert_eq!(raw(&envelope), body_json("message")["event"]);
}

#[test]
fn a_thread_reply_names_the_thread() {
    let envelope = only(event_body("message_thread_reply"));
    assert_eq!(
        envelope.message.reply_to.as_deref(),
        Some("1355517523.000005")
    );
    assert_eq!(envelope.message.text.as_deref(), Some("Same here"));
    assert_eq!(envelope.event_id, "slack:demo:Ev0PV52K30");
}

#[test]
fn a_mention_is_a_message_with_its_blocks_as_entities() {
    let envelope = only(event_body("app_mention"));
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.chat_id, "C123ABC456");
    assert_eq!(envelope.user, Some(User::id("U061F7AUR")));
    assert_eq!(envelope.message.kind, MessageType::Text);
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("<@U0BOTUSER> is it everything a river should be?")
    );
    assert_eq!(envelope.message.id.as_deref(), Some("1515449522.000016"));
    assert_eq!(
        envelope.message.entities.map(|raw| raw.to_value().unwrap()),
        Some(body_json("app_mention")["event"]["blocks"].clone())
    );
    assert_eq!(envelope.event_id, "slack:demo:Ev0MENTION1");
}

#[test]
fn another_bots_message_is_a_message_from_a_bot() {
    let envelope = only(event_body("bot_message"));
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message::text("Pushing is the answer").with_id("1358877455.000010")
    );
    assert_eq!(
        envelope.user,
        Some(User {
            id: "BB12033".into(),
            username: Some("github".into()),
            is_bot: Some(true),
            ..User::default()
        })
    );
}

#[test]
fn the_bots_own_messages_are_echoes_not_events() {
    // by the app id of the wrapper, by the bot id of the secret, and an edit of the bot's message
    for name in [
        "message_echo",
        "message_echo_bot_id",
        "message_changed_echo",
    ] {
        match Delivered::signed(event_body(name)).outcome().unwrap() {
            Outcome::Events { events, echoes } => {
                assert_eq!((events.len(), echoes), (0, 1), "{name}")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    // Another bot's message is no echo.
    match Delivered::signed(event_body("bot_message"))
        .outcome()
        .unwrap()
    {
        Outcome::Events { events, echoes } => assert_eq!((events.len(), echoes), (1, 0)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn shared_files_are_attachments_typed_by_mime_type() {
    let envelope = only(event_body("file_share"));
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.chat_id, "D0442US94JD");
    assert_eq!(envelope.message.kind, MessageType::Image);
    assert_eq!(envelope.message.text.as_deref(), Some("Our new logo"));
    assert_eq!(
        envelope.message.attachments,
        vec![
            Attachment {
                kind: MessageType::Image,
                url: Some(
                    "https://files.slack.com/files-pri/T061EG9R6-F04EEHX1EES/logo.png".into()
                ),
                file_id: Some("F04EEHX1EES".into()),
                name: Some("logo.png".into()),
                mime_type: Some("image/png".into()),
                size: Some(48213),
                ..Attachment::default()
            },
            Attachment {
                kind: MessageType::File,
                url: Some(
                    "https://files.slack.com/files-pri/T061EG9R6-F04EEHX2PDF/brief.pdf".into()
                ),
                file_id: Some("F04EEHX2PDF".into()),
                name: Some("brief.pdf".into()),
                mime_type: Some("application/pdf".into()),
                size: Some(1024),
                ..Attachment::default()
            },
        ]
    );
    assert_eq!(envelope.event_id, "slack:demo:Ev04EEHX2PSS");
}

#[test]
fn an_edit_carries_the_new_text() {
    let envelope = only(event_body("message_changed"));
    assert_eq!(envelope.event, EventKind::Edited);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message::text("Hello, world!").with_id("1355517523.000005")
    );
    assert_eq!(envelope.user, Some(User::id("U2147483697")));
    assert_eq!(envelope.timestamp.as_deref(), Some("2013-01-22T18:19:15Z"));
}

#[test]
fn a_deletion_names_the_deleted_message() {
    let envelope = only(event_body("message_deleted"));
    assert_eq!(envelope.event, EventKind::Deleted);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message {
            id: Some("1358878749.000002".into()),
            ..Message::default()
        }
    );
    assert_eq!(envelope.user, Some(User::id("U2147483697")));
}

#[test]
fn channel_notices_are_other_with_their_text() {
    let envelope = only(event_body("channel_join"));
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("<@U2147483828|cal> has joined the channel")
    );
    assert_eq!(envelope.user, Some(User::id("U2147483828")));
}
