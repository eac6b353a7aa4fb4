//! Ids and times sent in the other JSON form than Viber documents: the same event either way.

use serde_json::{Value, json};
use shared_core::envelope::Envelope;

use super::{fixture, receive, receive_one};

/// A fixture with the value at each pointer replaced, as the text Viber would post.
fn fixture_with(name: &str, changes: &[(&str, Value)]) -> String {
    let mut callback: Value = serde_json::from_str(&fixture(name)).unwrap();
    for (pointer, value) in changes {
        *callback
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{name}: no {pointer}")) = value.clone();
    }
    callback.to_string()
}

fn assert_same_event(one: &Envelope, other: &Envelope) {
    assert_eq!(
        (&one.event_id, one.event, &one.chat_id, &one.timestamp),
        (
            &other.event_id,
            other.event,
            &other.chat_id,
            &other.timestamp
        )
    );
    assert_eq!(one.user, other.user);
    assert_eq!(one.message, other.message);
}

#[test]
fn a_message_token_and_a_timestamp_sent_as_text_keep_the_event() {
    for name in ["text", "delivered", "seen", "unsubscribed", "sticker"] {
        let as_numbers = receive_one(&fixture(name));
        let original: Value = serde_json::from_str(&fixture(name)).unwrap();
        let as_text = fixture_with(
            name,
            &[
                (
                    "/message_token",
                    json!(original["message_token"].to_string()),
                ),
                ("/timestamp", json!(original["timestamp"].to_string())),
            ],
        );
        assert_same_event(&as_numbers, &receive_one(&as_text));
    }
    for token in [
        json!(4.5),
        json!("491266184665523814x"),
        json!(""),
        json!(true),
    ] {
        let body = fixture_with("text", &[("/message_token", token.clone())]);
        assert!(receive(&body).is_err(), "no integer, no token: {token}");
    }
}

#[test]
fn user_ids_and_sticker_ids_sent_as_numbers_read_as_their_decimal_text() {
    let cases = [
        ("text", "/sender/id"),
        ("subscribed", "/user/id"),
        ("unsubscribed", "/user_id"),
        ("seen", "/user_id"),
        ("client_status", "/user_id"),
        ("sticker", "/message/sticker_id"),
    ];
    for (name, pointer) in cases {
        let as_text = receive_one(&fixture_with(name, &[(pointer, json!("5550001"))]));
        let as_number = receive_one(&fixture_with(name, &[(pointer, json!(5_550_001))]));
        assert_same_event(&as_text, &as_number);
    }
    let sticker = receive_one(&fixture("sticker"));
    assert_eq!(
        sticker.message.attachments[0].file_id.as_deref(),
        Some("46105")
    );
}
