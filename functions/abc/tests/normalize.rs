//! Every inbound kind, from its fixture to the envelope: event, chat, message, user, ids, context.

mod common;

use common::{BUSINESS_ID, as_json, envelope_of, fixture_json};
use serde_json::{Value, json};
use shared_core::{Attachment, EventKind, Message, MessageType, User};

const CUSTOMER: &str = "urn:mbid:AQAAY45PVG4jg/ni/q6rWSYuu9d7Ga6K22bxp0iUmPkdOwxr3yAbisjOmtYFzw6LjDqhABFFHD/nFz6S2U5rBEcSqO7Eg0B5ikXukFD/x+6hPeOuR0Bvb3JDbU24DLlT/E5Yj9aBzFVASwfwStWnuGMX/+FXmAs=";

fn message_id(n: u32) -> String {
    format!("5d2f7c1e-8a4b-4c3d-9e0f-{n:012}")
}

fn customer() -> User {
    User {
        id: CUSTOMER.to_owned(),
        language: Some("en_US".to_owned()),
        ..User::default()
    }
}

fn context() -> Value {
    json!({
        "destination_id": BUSINESS_ID,
        "capabilities": ["AUTH", "LIST", "TIME", "FORM", "QUICK", "AUTH2"],
        "device_agent": "iPhone OS",
        "locale": "en_US"
    })
}

#[test]
fn text_is_a_message_with_its_context() {
    let envelope = envelope_of("text");
    assert_eq!(envelope.channel, "abc");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(envelope.event_id, format!("abc:demo:{}", message_id(1)));
    assert_eq!(
        envelope.message,
        Message::text("Where is my order?").with_id(message_id(1))
    );
    assert_eq!(envelope.user, Some(customer()));
    assert_eq!(envelope.referral, None);
    assert_eq!(envelope.timestamp, None);
    assert_eq!(Value::Object(envelope.context.clone()), context());
    assert_eq!(as_json(&envelope)["raw"], fixture_json("text"));
}

#[test]
fn intent_is_the_ref_and_group_joins_the_context() {
    let envelope = envelope_of("text_with_intent");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.referral.as_deref(), Some("order_status"));
    assert_eq!(envelope.context.get("group"), Some(&json!("support")));
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("Can I change my delivery address?")
    );
}

#[test]
fn attachments_keep_what_decrypts_them_and_the_first_sets_the_type() {
    let envelope = envelope_of("text_with_attachments");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.kind, MessageType::Image);
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("Here is the receipt"),
        "placeholders are not text"
    );
    assert_eq!(
        envelope.message.attachments,
        vec![
            Attachment {
                url: Some("https://p37-content.icloud.com/M8B1F9A7C3E5D2B4A6C8E0F1A3B5C7D9E1F3A5B7C.C01USN00".into()),
                name: Some("receipt.jpeg".into()),
                mime_type: Some("image/jpeg".into()),
                size: Some(184_320),
                key: Some("00a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90".into()),
                owner: Some("M8B1F9A7C3E5D2B4A6C8E0F1A3B5C7D9E1F3A5B7C.C01USN00".into()),
                signature: Some("819609c81da5a1a01061391c5a5d20e17430c631e1eb".into()),
                ..Attachment::of(MessageType::Image)
            },
            Attachment {
                url: Some("https://p37-content.icloud.com/MA2C4E6F8A0B2D4F6A8C0E2A4C6E8A0C2E4A6C8E0.C01USN00".into()),
                name: Some("invoice.pdf".into()),
                mime_type: Some("application/pdf".into()),
                size: Some(48_213),
                key: Some("00f1e2d3c4b5a6978877665544332211000f1e2d3c4b5a69788776655443322110".into()),
                owner: Some("MA2C4E6F8A0B2D4F6A8C0E2A4C6E8A0C2E4A6C8E0.C01USN00".into()),
                signature: Some("7a1f33c2b9e0d4a6c8e2f1b3d5a7c9e1f3b5d7a9".into()),
                ..Attachment::of(MessageType::File)
            },
        ]
    );
}

#[test]
fn an_attachment_alone_has_no_text() {
    let envelope = envelope_of("attachment_only");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.kind, MessageType::Audio);
    assert_eq!(envelope.message.text, None);
    assert_eq!(envelope.message.attachments.len(), 1);
    assert_eq!(
        envelope.message.attachments[0].mime_type.as_deref(),
        Some("audio/x-m4a")
    );
    assert_eq!(envelope.message.attachments[0].size, Some(30_127));
}

#[test]
fn list_picker_reply_is_a_callback_with_the_chosen_items() {
    let envelope = envelope_of("list_picker_reply");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(envelope.event_id, format!("abc:demo:{}", message_id(5)));
    assert_eq!(envelope.message.kind, MessageType::Button);
    assert_eq!(envelope.message.payload.as_deref(), Some("1,3"));
    assert_eq!(envelope.message.text.as_deref(), Some("Selected items"));
    assert_eq!(envelope.message.id, Some(message_id(5)));
    let data = envelope.message.data.as_ref().unwrap();
    assert_eq!(
        data,
        &fixture_json("list_picker_reply")["interactiveData"]["data"]
    );
    assert_eq!(
        data["requestIdentifier"],
        "2e7d5b3a-4c1f-4a8e-9b6d-0f2a4c6e8a1b"
    );
    assert_eq!(envelope.user, Some(customer()));
    assert_eq!(Value::Object(envelope.context.clone()), context());
}

#[test]
fn time_picker_reply_carries_the_chosen_slot() {
    let envelope = envelope_of("time_picker_reply");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.message.payload.as_deref(), Some("slot-2"));
    assert_eq!(envelope.message.text.as_deref(), Some("Nov 25, 9:00 AM"));
    assert_eq!(
        envelope.message.data.as_ref().unwrap()["event"]["timeslots"][0]["startTime"],
        "2026-11-25T17:00+0000"
    );
}

#[test]
fn quick_reply_carries_the_chosen_identifier() {
    let envelope = envelope_of("quick_reply");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.message.payload.as_deref(), Some("track"));
    assert_eq!(envelope.message.text.as_deref(), Some("Track the order"));
}

#[test]
fn apple_pay_and_authentication_results_carry_their_status() {
    let pay = envelope_of("apple_pay_reply");
    assert_eq!(pay.event, EventKind::Callback);
    assert_eq!(pay.message.payload.as_deref(), Some("success"));
    assert_eq!(
        pay.message.data.as_ref().unwrap()["payment"]["paymentRequest"]["total"]["amount"],
        "3.00"
    );
    let auth = envelope_of("authentication_reply");
    assert_eq!(auth.event, EventKind::Callback);
    assert_eq!(auth.message.payload.as_deref(), Some("authenticated"));
    assert_eq!(
        auth.message.data.as_ref().unwrap()["authenticate"]["responseEncryptedToken"],
        "AAECAwQFBgcICQoLDA0ODw=="
    );
}

#[test]
fn form_answers_are_the_data_and_the_reply_title_the_payload() {
    let envelope = envelope_of("form_reply");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.message.payload.as_deref(), Some("Form sent"));
    let selections = &envelope.message.data.as_ref().unwrap()["dynamic"]["selections"];
    assert_eq!(
        selections[1],
        json!({"pageIdentifier": "2", "itemIdentifier": "email", "value": "ann@example.com"})
    );
}

#[test]
fn a_large_reply_by_reference_is_still_a_callback() {
    let envelope = envelope_of("interactive_data_ref");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.message.kind, MessageType::Button);
    assert_eq!(envelope.message.payload, None);
    assert_eq!(envelope.message.text, None);
    assert_eq!(
        envelope.message.data.as_ref(),
        Some(&fixture_json("interactive_data_ref")["interactiveDataRef"])
    );
    assert_eq!(
        as_json(&envelope)["raw"],
        fixture_json("interactive_data_ref")
    );
}

#[test]
fn rich_link_is_a_rich_message() {
    let envelope = envelope_of("rich_link");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.kind, MessageType::Rich);
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("https://www.example.com/orders/1234")
    );
    assert_eq!(
        envelope.message.data,
        Some(json!({"url": "https://www.example.com/orders/1234", "title": "Order 1234"}))
    );
}

#[test]
fn typing_and_close_are_bare_events() {
    for (name, kind, n) in [
        ("typing_start", EventKind::TypingStart, 13),
        ("typing_end", EventKind::TypingEnd, 14),
        ("close", EventKind::Closed, 15),
    ] {
        let envelope = envelope_of(name);
        assert_eq!(envelope.event, kind, "{name}");
        assert_eq!(envelope.chat_id, CUSTOMER, "{name}");
        assert_eq!(
            envelope.event_id,
            format!("abc:demo:{}", message_id(n)),
            "{name}"
        );
        assert_eq!(
            envelope.message,
            Message {
                id: Some(message_id(n)),
                ..Message::of(MessageType::None)
            },
            "{name}"
        );
        assert_eq!(envelope.user, Some(customer()), "{name}");
    }
}

#[test]
fn unknown_kinds_are_other_with_their_raw() {
    let envelope = envelope_of("unknown_kind");
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.message.kind, MessageType::None);
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(as_json(&envelope)["raw"]["type"], "reaction_added");
}
