//! Every content type of a Telegram message.

use serde_json::json;
use shared_core::{EventKind, MessageType};

use super::{normalize, summary};

#[test]
fn text_message() {
    let envelope = normalize("message_text");
    assert_eq!(
        summary(&envelope),
        (
            EventKind::Message,
            "111222333",
            MessageType::Text,
            Some("hello there"),
            None
        )
    );
    assert_eq!(envelope.message.id.as_deref(), Some("17"));
    assert_eq!(envelope.timestamp.as_deref(), Some("2026-11-24T12:58:20Z"));
    let user = envelope.user.unwrap();
    assert_eq!(
        (
            user.id.as_str(),
            user.name.as_deref(),
            user.username.as_deref(),
            user.language.as_deref(),
            user.is_bot
        ),
        (
            "111222333",
            Some("Ann Lee"),
            Some("ann"),
            Some("en"),
            Some(false)
        )
    );
}

#[test]
fn start_with_a_deep_link_parameter_is_a_command_with_ref() {
    let envelope = normalize("message_command_start");
    assert_eq!(
        summary(&envelope),
        (
            EventKind::Command,
            "111222333",
            MessageType::Text,
            Some("/start promo42"),
            Some("/start")
        )
    );
    assert_eq!(envelope.referral.as_deref(), Some("promo42"));
}

#[test]
fn addressed_command_in_a_forum_topic_keeps_the_thread() {
    let envelope = normalize("message_command_in_group");
    assert_eq!(
        summary(&envelope),
        (
            EventKind::Command,
            "-1001234567890",
            MessageType::Text,
            Some("/help@demo_bot now"),
            Some("/help@demo_bot")
        )
    );
    assert_eq!(
        envelope.referral, None,
        "only /start carries a deep-link parameter"
    );
    assert_eq!(envelope.context.get("message_thread_id"), Some(&json!(7)));
}

#[test]
fn a_slash_that_telegram_did_not_mark_as_a_command_is_text() {
    let envelope = normalize("message_slash_not_command");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.payload, None);
}

#[test]
fn photo_takes_the_largest_size_and_keeps_caption_reply_and_entities() {
    let envelope = normalize("message_photo");
    assert_eq!(
        summary(&envelope),
        (
            EventKind::Message,
            "-1001234567890",
            MessageType::Image,
            Some("look at *this*"),
            None
        )
    );
    let attachment = &envelope.message.attachments[0];
    assert_eq!(
        (attachment.file_id.as_deref(), attachment.size),
        (Some("AgACAgIAAxkBAAMFlarge"), Some(60512))
    );
    assert_eq!(envelope.message.attachments.len(), 1);
    assert_eq!(envelope.message.reply_to.as_deref(), Some("15"));
    assert_eq!(
        envelope.message.entities.map(|raw| raw.to_value().unwrap()),
        Some(json!([{"offset": 8, "length": 6, "type": "bold"}]))
    );
}

#[test]
fn every_file_type_becomes_an_attachment() {
    let cases = [
        (
            "message_video",
            MessageType::Video,
            "BAACAgIAAxkBvideo",
            Some("video/mp4"),
            Some("a clip"),
        ),
        (
            "message_animation",
            MessageType::Video,
            "CgACAgIAAxkBgif",
            Some("video/mp4"),
            None,
        ),
        (
            "message_video_note",
            MessageType::Video,
            "DQACAgIAAxkBnote",
            None,
            None,
        ),
        (
            "message_audio",
            MessageType::Audio,
            "CQACAgIAAxkBaudio",
            Some("audio/mpeg"),
            None,
        ),
        (
            "message_voice",
            MessageType::Voice,
            "AwACAgIAAxkBvoice",
            Some("audio/ogg"),
            None,
        ),
        (
            "message_document",
            MessageType::File,
            "BQACAgIAAxkBdoc",
            Some("application/pdf"),
            Some("my invoice"),
        ),
        (
            "message_sticker",
            MessageType::Sticker,
            "CAACAgIAAxkBsticker",
            None,
            Some("\u{1F600}"),
        ),
    ];
    for (name, kind, file_id, mime, text) in cases {
        let envelope = normalize(name);
        let attachment = &envelope.message.attachments[0];
        assert_eq!(
            (envelope.event, envelope.message.kind, attachment.kind),
            (EventKind::Message, kind, kind),
            "{name}"
        );
        assert_eq!(
            (
                attachment.file_id.as_deref(),
                attachment.mime_type.as_deref()
            ),
            (Some(file_id), mime),
            "{name}"
        );
        assert_eq!(envelope.message.text.as_deref(), text, "{name}");
    }
    let document = normalize("message_document");
    assert_eq!(
        (
            document.message.attachments[0].name.as_deref(),
            document.message.attachments[0].size
        ),
        (Some("invoice.pdf"), Some(52000))
    );
}

#[test]
fn location_venue_and_contact() {
    let location = normalize("message_location");
    assert_eq!(location.message.kind, MessageType::Location);
    let point = location.message.location.unwrap();
    assert_eq!((point.lat, point.lon), (52.520008, 13.404954));
    let venue = normalize("message_venue");
    assert_eq!(venue.message.kind, MessageType::Location);
    assert_eq!(
        venue.message.data.unwrap()["venue"]["title"],
        "Eiffel Tower"
    );
    let contact = normalize("message_contact");
    assert_eq!(contact.message.kind, MessageType::Contact);
    assert_eq!(
        contact.message.data.unwrap()["contact"]["phone_number"],
        "+15555550100"
    );
}

#[test]
fn dice_poll_and_web_app_data() {
    let dice = normalize("message_dice");
    assert_eq!(
        (dice.event, dice.message.kind),
        (EventKind::Message, MessageType::None)
    );
    assert_eq!(dice.message.data.unwrap()["dice"]["value"], 4);
    let poll = normalize("message_poll");
    assert_eq!(poll.message.kind, MessageType::Rich);
    assert_eq!(poll.message.data.unwrap()["poll"]["question"], "Lunch?");
    let web_app = normalize("message_web_app_data");
    assert_eq!(
        summary(&web_app),
        (
            EventKind::Message,
            "111222333",
            MessageType::Button,
            Some("Order"),
            Some("{\"size\":\"L\"}")
        )
    );
}

#[test]
fn service_messages_about_members() {
    let joined = normalize("message_new_members");
    assert_eq!(
        (joined.event, joined.chat_id.as_str()),
        (EventKind::MemberJoined, "-1001234567890")
    );
    assert_eq!(joined.user.unwrap().id, "444555666");
    let left = normalize("message_left_member");
    assert_eq!(left.event, EventKind::MemberLeft);
    assert_eq!(left.user.unwrap().id, "444555666");
}
