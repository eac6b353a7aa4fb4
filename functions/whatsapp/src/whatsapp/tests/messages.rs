//! What customers send: text, media, locations, contact cards, and who sent them.

use shared_core::channel::{Channel, Outcome, verify};
use shared_core::envelope::{Attachment, EventKind, Location, Message, MessageType, User};
use shared_core::testing::fixed_now;

use super::*;

const MEDIA_URL: &str = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=";

/// The one attachment of a media fixture, and the envelope's message.
fn media(name: &str) -> (Envelope, Attachment) {
    let envelope = only_envelope(name);
    assert_eq!(envelope.event, EventKind::Message, "{name}");
    assert_eq!(envelope.message.attachments.len(), 1, "{name}");
    let attachment = envelope.message.attachments[0].clone();
    (envelope, attachment)
}

#[test]
fn a_text_message() {
    let envelope = only_envelope("text");
    assert_eq!(envelope.channel, "whatsapp");
    assert_eq!(envelope.bot, "demo");
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(envelope.event, EventKind::Message);
    let id = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUFERjg0NDEzNDdFODU3MUMx01AA=";
    assert_eq!(
        envelope.message,
        Message::text("Does it come in another color?").with_id(id)
    );
    assert_eq!(envelope.user, Some(customer()));
    assert_eq!(envelope.event_id, format!("whatsapp:demo:{id}"));
    assert_eq!(envelope.timestamp, at(1));
    assert_eq!(envelope.timestamp.as_deref(), Some("2026-11-24T13:00:01Z"));
    assert_eq!(context(&envelope), phone_context());
    assert_eq!(envelope.referral, None);
    assert_eq!(raw(&envelope), first_item("text", "messages"));
}

#[test]
fn raw_is_the_message_item_byte_for_byte() {
    let body = fixture("text");
    let headers = signed_headers(&body);
    let request = post_request(&headers, body.as_bytes());
    let verified = verify(&WhatsApp, request, &secret(), fixed_now()).expect("authenticated");
    let Ok(Outcome::Events { events, echoes: 0 }) =
        WhatsApp.receive(&verified, &secret(), fixed_now())
    else {
        panic!("expected the events");
    };
    assert_eq!(events.len(), 1);
    let raw = events[0].raw.get();
    let start = body.find("{\n                \"from\"").expect("the item");
    assert_eq!(raw, &body[start..start + raw.len()]);
    assert!(raw.ends_with('}'));
    assert_eq!(
        serde_json::from_str::<Value>(raw).expect("JSON"),
        first_item("text", "messages")
    );
}

#[test]
fn an_image_with_a_caption() {
    let (envelope, attachment) = media("image");
    assert_eq!(envelope.message.kind, MessageType::Image);
    assert_eq!(envelope.message.text.as_deref(), Some("Black jacket"));
    assert_eq!(
        attachment,
        Attachment {
            file_id: Some("1003383421387256".to_owned()),
            mime_type: Some("image/jpeg".to_owned()),
            url: Some(format!(
                "{MEDIA_URL}1003383421387256&ext=1795525500&hash=ATuD4vTBi7oBmXkH2PyS0rIDKvYgXjUqaL7nuSYmb7FUsA"
            )),
            ..Attachment::of(MessageType::Image)
        }
    );
    assert_eq!(
        envelope.message.data,
        Some(json!({ "sha256": "8wWJZh+5NEFvPPtDymjiYNNjaIDRMYUpKNoWQ9ah+/M=" }))
    );
}

#[test]
fn a_video_and_a_sticker() {
    let (video, attachment) = media("video");
    assert_eq!(video.message.kind, MessageType::Video);
    assert_eq!(video.message.text.as_deref(), Some("The jacket on me"));
    assert_eq!(attachment.kind, MessageType::Video);
    assert_eq!(attachment.file_id.as_deref(), Some("1212938773961584"));
    assert_eq!(attachment.mime_type.as_deref(), Some("video/mp4"));

    let (sticker, attachment) = media("sticker");
    assert_eq!(sticker.message.kind, MessageType::Sticker);
    assert_eq!(sticker.message.text, None);
    assert_eq!(attachment.kind, MessageType::Sticker);
    assert_eq!(attachment.file_id.as_deref(), Some("1226891455542125"));
    assert_eq!(attachment.mime_type.as_deref(), Some("image/webp"));
    let data = sticker.message.data.expect("data");
    assert_eq!(data["animated"], json!(false));
    assert_eq!(
        data["sha256"],
        "cGMDXl7IJy+zFjcprKbjyXMAHZl0yCyapyyvdFeqUhE="
    );
}

#[test]
fn a_voice_recording_is_voice_and_an_audio_file_is_audio() {
    let (voice, attachment) = media("audio_voice");
    assert_eq!(voice.message.kind, MessageType::Voice);
    assert_eq!(attachment.kind, MessageType::Voice);
    assert_eq!(attachment.file_id.as_deref(), Some("1227829768582307"));
    assert_eq!(
        attachment.mime_type.as_deref(),
        Some("audio/ogg; codecs=opus")
    );

    let (audio, attachment) = media("audio_file");
    assert_eq!(audio.message.kind, MessageType::Audio);
    assert_eq!(attachment.kind, MessageType::Audio);
    assert_eq!(attachment.mime_type.as_deref(), Some("audio/mpeg"));
}

#[test]
fn a_document_is_a_file_named_by_its_filename() {
    let (envelope, attachment) = media("document");
    assert_eq!(envelope.message.kind, MessageType::File);
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("Lucky Shrub Invoice")
    );
    assert_eq!(attachment.kind, MessageType::File);
    assert_eq!(attachment.name.as_deref(), Some("lucky-shrub-invoice.pdf"));
    assert_eq!(attachment.file_id.as_deref(), Some("1257591892137127"));
    assert_eq!(attachment.mime_type.as_deref(), Some("application/pdf"));
    assert!(attachment.url.is_some_and(|url| url.starts_with(MEDIA_URL)));
}

#[test]
fn a_location_with_its_name_and_address() {
    let envelope = only_envelope("location");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.kind, MessageType::Location);
    assert_eq!(
        envelope.message.location,
        Some(Location {
            lat: 37.483307,
            lon: -122.148981
        })
    );
    assert_eq!(
        envelope.message.data,
        Some(json!({
            "name": "Meta Headquarters",
            "address": "1 Hacker Way, Menlo Park, CA 94025",
            "url": "https://www.meta.com/",
        }))
    );
}

#[test]
fn contact_cards_travel_in_data_as_given() {
    let envelope = only_envelope("contacts");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.kind, MessageType::Contact);
    let cards = &first_item("contacts", "messages")["contacts"];
    assert_eq!(envelope.message.data, Some(json!({ "contacts": cards })));
    assert_eq!(
        envelope.message.data.expect("data")["contacts"][0]["phones"][0]["wa_id"],
        "19405551234"
    );
}

#[test]
fn a_message_from_an_ad_carries_its_source_id_as_ref() {
    let envelope = only_envelope("referral");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("Can I get more info on this?")
    );
    assert_eq!(envelope.referral.as_deref(), Some("120226305854810726"));
    assert_eq!(
        raw(&envelope)["referral"]["ctwa_clid"],
        first_item("referral", "messages")["referral"]["ctwa_clid"]
    );
}

#[test]
fn a_user_known_only_by_a_business_scoped_id_is_its_own_chat() {
    let envelope = only_envelope("username");
    let bsuid = "US.13491208655302741918";
    assert_eq!(envelope.chat_id, bsuid);
    assert_eq!(
        envelope.user,
        Some(User {
            name: Some(CUSTOMER_NAME.to_owned()),
            username: Some("@sheena".to_owned()),
            ..User::id(bsuid)
        })
    );
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("Hi from my username")
    );
}

#[test]
fn ids_and_times_sent_as_numbers_are_taken_as_text() {
    let envelope = only_envelope("numeric_ids");
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(envelope.user, Some(customer()));
    assert_eq!(envelope.timestamp, at(26));
    assert_eq!(context(&envelope), phone_context());
}

#[test]
fn a_user_without_a_matching_contact_has_no_name() {
    let body = fixture("text").replace("\"wa_id\": \"16505551234\"", "\"wa_id\": \"19995550000\"");
    let envelopes = envelopes(&body).expect("accepted");
    assert_eq!(envelopes[0].user, Some(User::id(CUSTOMER)));
}
