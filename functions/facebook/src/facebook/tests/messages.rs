//! User messages: text, replies, every attachment type, stickers, quick replies, ads, echoes.

use shared_core::envelope::{Attachment, EventKind, Location, Message, MessageType, User};

use super::*;

fn attachment(kind: MessageType, url: &str) -> Attachment {
    Attachment {
        url: Some(url.to_owned()),
        ..Attachment::of(kind)
    }
}

#[test]
fn a_text_message() {
    let envelope = only_envelope("message_text");
    let mid =
        "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P";
    assert_eq!(envelope.channel, "facebook");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.chat_id, PSID);
    assert_eq!(
        envelope.message,
        Message::text("hello, world!").with_id(mid)
    );
    assert_eq!(envelope.user, Some(User::id(PSID)));
    assert_eq!(envelope.event_id, format!("facebook:demo:{mid}"));
    assert_eq!(
        envelope.timestamp.as_deref(),
        Some("2026-11-24T13:00:00.000Z")
    );
    assert_eq!(envelope.referral, None);
    assert_eq!(context(&envelope), page_context("messaging"));
}

#[test]
fn a_reply_names_the_message_it_answers() {
    let envelope = only_envelope("message_reply");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.text.as_deref(), Some("yes, that one"));
    assert_eq!(
        envelope.message.reply_to.as_deref(),
        Some("m_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU")
    );
    assert_eq!(
        envelope.event_id,
        "facebook:demo:m_1457764197618:41d102a3e1ae206a38"
    );
}

#[test]
fn media_attachments_keep_their_type_and_url() {
    let cases = [
        (
            "message_image",
            MessageType::Image,
            "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg?_nc_cat=1&oh=abc",
            "m_image_1",
        ),
        (
            "message_video",
            MessageType::Video,
            "https://video.xx.fbcdn.net/v/t42.3356-2/clip.mp4?_nc_cat=1",
            "m_video_1",
        ),
        (
            "message_audio",
            MessageType::Audio,
            "https://cdn.fbsbx.com/v/t59.3654-21/audioclip-1795525199.mp4?_nc_cat=1",
            "m_audio_1",
        ),
        (
            "message_file",
            MessageType::File,
            "https://cdn.fbsbx.com/v/t59.2708-21/report.pdf?_nc_cat=1",
            "m_file_1",
        ),
    ];
    for (name, kind, url, mid) in cases {
        let envelope = only_envelope(name);
        assert_eq!(envelope.event, EventKind::Message, "{name}");
        assert_eq!(envelope.chat_id, PSID, "{name}");
        let expected = Message {
            attachments: vec![attachment(kind, url)],
            ..Message::of(kind).with_id(mid)
        };
        assert_eq!(envelope.message, expected, "{name}");
        assert_eq!(envelope.event_id, format!("facebook:demo:{mid}"), "{name}");
    }
}

#[test]
fn a_location_becomes_the_message_location() {
    let envelope = only_envelope("message_location");
    assert_eq!(envelope.message.kind, MessageType::Location);
    assert_eq!(
        envelope.message.location,
        Some(Location {
            lat: 52.520008,
            lon: 13.404954
        })
    );
    assert_eq!(envelope.message.attachments.len(), 1);
    assert_eq!(envelope.message.attachments[0].kind, MessageType::Location);
    assert_eq!(
        envelope.message.attachments[0].name.as_deref(),
        Some("Pinned Location")
    );
    assert!(
        envelope.message.attachments[0]
            .url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://l.facebook.com/"))
    );
}

#[test]
fn coordinates_off_the_globe_are_not_a_location() {
    let body = fixture("message_location").replace("52.520008", "952.5");
    let envelope = envelopes(&body).expect("accepted").remove(0);
    assert_eq!(envelope.message.location, None);
    assert_eq!(envelope.message.kind, MessageType::Location);
}

#[test]
fn link_shares_and_templates_are_rich() {
    let shared_link = only_envelope("message_fallback");
    assert_eq!(shared_link.message.kind, MessageType::Rich);
    assert_eq!(
        shared_link.message.text.as_deref(),
        Some("https://www.example.com/spring-sale")
    );
    let expected = Attachment {
        name: Some("Spring sale".to_owned()),
        ..attachment(MessageType::Rich, "https://www.example.com/spring-sale")
    };
    assert_eq!(shared_link.message.attachments, vec![expected]);

    let template = only_envelope("message_template");
    assert_eq!(template.event, EventKind::Message);
    assert_eq!(template.message.kind, MessageType::Rich);
    assert_eq!(
        template.message.attachments,
        vec![Attachment::of(MessageType::Rich)]
    );
    assert_eq!(template.event_id, "facebook:demo:m_template_1");
}

#[test]
fn a_sticker_is_a_sticker_once() {
    let envelope = only_envelope("message_sticker");
    let url = "https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239266556155_759568595_n.png?_nc_cat=1";
    let sticker = Attachment {
        file_id: Some("369239263222822".to_owned()),
        ..attachment(MessageType::Sticker, url)
    };
    assert_eq!(envelope.message.kind, MessageType::Sticker);
    assert_eq!(envelope.message.attachments, vec![sticker]);
    assert_eq!(envelope.message.text, None);
}

#[test]
fn a_quick_reply_is_a_callback_that_keeps_its_text() {
    let envelope = only_envelope("message_quick_reply");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, PSID);
    let expected = Message {
        text: Some("Red".to_owned()),
        ..Message::of(MessageType::Button)
            .with_id("m_quick_1")
            .with_payload("COLOR_RED")
    };
    assert_eq!(envelope.message, expected);
    assert_eq!(envelope.event_id, "facebook:demo:m_quick_1");
}

#[test]
fn a_message_from_an_ad_carries_its_ref() {
    let envelope = only_envelope("message_ad_referral");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.referral.as_deref(), Some("spring-ad"));
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("Is this still available?")
    );
}

#[test]
fn a_referral_beside_a_message_is_its_ref() {
    let body = fixture("message_text").replace(r#""message": {"#, r#""referral": {"ref": "beside", "source": "SHORTLINK", "type": "OPEN_THREAD"}, "message": {"#);
    assert_ne!(body, fixture("message_text"));
    let envelope = envelopes(&body).expect("accepted").remove(0);
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.referral.as_deref(), Some("beside"));
}

#[test]
fn the_pages_own_echoes_are_counted_not_enqueued() {
    let envelopes = fixture_envelopes("message_echo");
    assert_eq!(envelopes.len(), 1);
    assert_eq!(
        envelopes[0].message,
        Message::text("thanks!").with_id("m_after_echo")
    );
    match outcome(&fixture("message_echo")) {
        Outcome::Events { events, echoes } => {
            assert_eq!(events.len(), 1);
            assert_eq!(echoes, 1);
        }
        other => panic!("expected events, got {other:?}"),
    }
}
