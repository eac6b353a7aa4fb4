//! `message` callbacks: every message type, normalized.

use serde_json::json;
use shared_core::envelope::{Attachment, EventKind, Location, Message, MessageType, User};

use super::{DOC_TIME, receive_fixture, receive_one};

fn john() -> User {
    User {
        name: Some("John McClane".to_owned()),
        language: Some("en".to_owned()),
        ..User::id("01234567890A=")
    }
}

#[test]
fn text_message_keeps_its_token_above_2_pow_53() {
    let envelope = receive_fixture("text");
    assert_eq!(envelope.channel, "viber");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.chat_id, "01234567890A=");
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238145");
    assert_eq!(envelope.timestamp.as_deref(), Some(DOC_TIME));
    assert_eq!(envelope.user, Some(john()));
    assert_eq!(envelope.referral, None);
    assert!(envelope.context.is_empty());
    let expected = Message {
        payload: Some("a message to the service".to_owned()),
        data: Some(json!({"tracking_data": "tracking data"})),
        ..Message::text("a message to the service").with_id("4912661846655238145")
    };
    assert_eq!(envelope.message, expected);
}

#[test]
fn keyboard_reply_is_text_and_payload() {
    let envelope = receive_fixture("keyboard_reply");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238150");
    assert_eq!(envelope.message.kind, MessageType::Text);
    assert_eq!(envelope.message.text.as_deref(), Some("menu:order"));
    assert_eq!(envelope.message.payload.as_deref(), Some("menu:order"));
    assert_eq!(
        envelope.message.data,
        Some(json!({"tracking_data": "order-flow-step-2"}))
    );
}

#[test]
fn picture_becomes_an_image_with_its_caption() {
    let envelope = receive_fixture("picture");
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238151");
    assert_eq!(envelope.chat_id, "01234567890A=");
    let expected = Message {
        id: Some("4912661846655238151".to_owned()),
        text: Some("Photo description".to_owned()),
        attachments: vec![Attachment {
            url: Some("https://dl-media.viber.com/1/share/2/long/vibes/icon/image/0x0/95e0/5688fdffdaa81f2aa4af7bf0e9a0e9a4.jpg".to_owned()),
            name: Some("photo.jpg".to_owned()),
            size: Some(145_789),
            ..Attachment::of(MessageType::Image)
        }],
        data: Some(json!({"tracking_data": "tracking data"})),
        ..Message::of(MessageType::Image)
    };
    assert_eq!(envelope.message, expected);
}

#[test]
fn video_keeps_size_duration_and_thumbnail() {
    let envelope = receive_fixture("video");
    assert_eq!(envelope.message.kind, MessageType::Video);
    assert_eq!(envelope.message.text, None);
    assert_eq!(
        envelope.message.attachments,
        vec![Attachment {
            url: Some("https://dl-media.viber.com/3/media/2/short/any/sig/video/0x0/26ce/c1270f0c6836197757b6fe71d8905e91.mp4".to_owned()),
            size: Some(10_000),
            ..Attachment::of(MessageType::Video)
        }]
    );
    assert_eq!(
        envelope.message.data,
        Some(
            json!({"duration": 10, "thumbnail": "https://dl-media.viber.com/3/media/2/short/any/sig/video/0x0/26ce/thumb.jpg"})
        )
    );
}

#[test]
fn file_keeps_name_and_size() {
    let envelope = receive_fixture("file");
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238153");
    assert_eq!(envelope.message.kind, MessageType::File);
    assert_eq!(
        envelope.message.attachments,
        vec![Attachment {
            url: Some(
                "https://dl-media.viber.com/3/media/2/short/any/sig/file/0x0/d793/report.pdf"
                    .to_owned()
            ),
            name: Some("report.pdf".to_owned()),
            size: Some(10_000),
            ..Attachment::of(MessageType::File)
        }]
    );
    assert_eq!(envelope.message.data, None);
}

#[test]
fn sticker_id_is_the_file_id_and_media_the_url() {
    let envelope = receive_fixture("sticker");
    assert_eq!(envelope.message.kind, MessageType::Sticker);
    assert_eq!(
        envelope.message.attachments,
        vec![Attachment {
            url: Some("https://content.cdn.viber.com/stickers/100/46100/00046105.png".to_owned()),
            file_id: Some("46105".to_owned()),
            ..Attachment::of(MessageType::Sticker)
        }]
    );
}

#[test]
fn contact_card_goes_to_data() {
    let envelope = receive_fixture("contact");
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238155");
    let expected = Message {
        id: Some("4912661846655238155".to_owned()),
        data: Some(
            json!({"name": "Itamar", "phone_number": "+972511123123", "avatar": "http://avatar.example.com/itamar.jpg"}),
        ),
        ..Message::of(MessageType::Contact)
    };
    assert_eq!(envelope.message, expected);
}

#[test]
fn url_is_text_with_the_url() {
    let envelope = receive_fixture("url");
    assert_eq!(
        envelope.message,
        Message::text("http://www.website.com/go_here").with_id("4912661846655238156")
    );
}

#[test]
fn location_has_lat_and_lon() {
    let envelope = receive_fixture("location");
    assert_eq!(envelope.message.kind, MessageType::Location);
    assert_eq!(
        envelope.message.location,
        Some(Location {
            lat: 50.76891,
            lon: 6.11499
        })
    );
    assert!(envelope.message.attachments.is_empty());
}

#[test]
fn location_off_the_map_is_left_out() {
    let body = r#"{"event":"message","timestamp":1457764197627,"message_token":7,"sender":{"id":"u1"},"message":{"type":"location","location":{"lat":91.5,"lon":6.1}}}"#;
    let envelope = receive_one(body);
    assert_eq!(envelope.message.kind, MessageType::Location);
    assert_eq!(envelope.message.location, None);
}

#[test]
fn rich_media_is_rich_with_its_content_in_data() {
    let envelope = receive_fixture("rich_media");
    assert_eq!(envelope.message.kind, MessageType::Rich);
    let data = envelope.message.data.unwrap();
    assert_eq!(data["rich_media"]["Type"], "rich_media");
    assert_eq!(
        data["rich_media"]["Buttons"][0]["ActionBody"],
        "https://www.google.com"
    );
}

#[test]
fn unknown_message_type_keeps_text_and_media() {
    let body = r#"{"event":"message","timestamp":1457764197627,"message_token":8,"sender":{"id":"u1"},"message":{"type":"hologram","text":"look","media":"https://example.com/h"}}"#;
    let envelope = receive_one(body);
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.kind, MessageType::None);
    assert_eq!(envelope.message.text.as_deref(), Some("look"));
    assert_eq!(
        envelope.message.attachments,
        vec![Attachment {
            url: Some("https://example.com/h".to_owned()),
            ..Attachment::of(MessageType::None)
        }]
    );
}

#[test]
fn odd_descriptive_fields_are_left_out_not_refused() {
    let body = r#"{"event":"message","timestamp":1457764197627,"message_token":9,"sender":{"id":"u1","name":42},"message":{"type":"picture","text":"","media":"https://example.com/p.jpg","file_size":-3,"tracking_data":{"a":1}}}"#;
    let envelope = receive_one(body);
    assert_eq!(envelope.user, Some(User::id("u1")));
    assert_eq!(envelope.message.text, None);
    assert_eq!(envelope.message.data, None);
    assert_eq!(
        envelope.message.attachments,
        vec![Attachment {
            url: Some("https://example.com/p.jpg".to_owned()),
            ..Attachment::of(MessageType::Image)
        }]
    );
}
