//! Ids sent in the other JSON form than the Bot API documents (a text id as a number, an integer
//! id as text): the same event either way, down to its `event_id`.

use serde_json::{Value, json};
use shared_core::{Envelope, EventKind, MessageType};

use super::{TOKEN, fixture, normalize, run, summary};

/// The one envelope of an update given as JSON.
fn receive(update: &Value) -> Envelope {
    let mut envelopes = run(update.to_string().as_bytes(), Some(TOKEN)).unwrap();
    assert_eq!(envelopes.len(), 1);
    envelopes.remove(0)
}

/// A fixture as JSON, with the value at each pointer replaced.
fn fixture_with(name: &str, changes: &[(&str, Value)]) -> Value {
    let mut update: Value = serde_json::from_slice(&fixture(name)).unwrap();
    for (pointer, value) in changes {
        *update
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{name}: no {pointer}")) = value.clone();
    }
    update
}

fn assert_same_event(one: &Envelope, other: &Envelope) {
    assert_eq!(
        (&one.event_id, one.event, &one.chat_id),
        (&other.event_id, other.event, &other.chat_id)
    );
    assert_eq!(one.user, other.user);
    assert_eq!(one.message, other.message);
    assert_eq!(one.context, other.context);
}

#[test]
fn the_documented_inline_query_with_a_numeric_id_is_an_inline_query() {
    let numeric = normalize("inline_query_numeric_id");
    assert_eq!(
        summary(&numeric),
        (
            EventKind::Callback,
            "1111111",
            MessageType::Button,
            Some("inline query"),
            Some("inline query")
        )
    );
    let user = numeric.user.clone().unwrap();
    assert_eq!(
        (
            user.id.as_str(),
            user.name.as_deref(),
            user.username.as_deref()
        ),
        (
            "1111111",
            Some("Test Firstname Test Lastname"),
            Some("Testusername")
        )
    );
    assert_eq!(
        numeric.message.data.as_ref().unwrap()["inline_query_id"],
        "134567890097",
        "the id's decimal text"
    );
    let as_text = fixture_with(
        "inline_query_numeric_id",
        &[("/inline_query/id", json!("134567890097"))],
    );
    assert_same_event(&numeric, &receive(&as_text));
    for id in [json!(134_567_890_097.0), json!(true), json!({"id": 1})] {
        let update = fixture_with(
            "inline_query_numeric_id",
            &[("/inline_query/id", id.clone())],
        );
        assert_eq!(receive(&update).event, EventKind::Other, "no id: {id}");
    }
}

#[test]
fn text_ids_sent_as_numbers_read_as_their_decimal_text() {
    let cases: [(&str, &[&str]); 7] = [
        ("callback_query", &["/callback_query/id"]),
        (
            "chosen_inline_result",
            &[
                "/chosen_inline_result/result_id",
                "/chosen_inline_result/inline_message_id",
            ],
        ),
        ("shipping_query", &["/shipping_query/id"]),
        ("pre_checkout_query", &["/pre_checkout_query/id"]),
        ("poll", &["/poll/id"]),
        ("poll_answer", &["/poll_answer/poll_id"]),
        ("message_photo", &["/message/photo/2/file_id"]),
    ];
    for (name, pointers) in cases {
        let digits = |at: usize| 4_772_291_820_873_465_721_u64 + at as u64;
        let as_text: Vec<(&str, Value)> = pointers
            .iter()
            .enumerate()
            .map(|(at, pointer)| (*pointer, json!(digits(at).to_string())))
            .collect();
        let as_numbers: Vec<(&str, Value)> = pointers
            .iter()
            .enumerate()
            .map(|(at, pointer)| (*pointer, json!(digits(at))))
            .collect();
        let text = receive(&fixture_with(name, &as_text));
        let numbers = receive(&fixture_with(name, &as_numbers));
        assert_same_event(&text, &numbers);
    }
}

#[test]
fn integer_ids_sent_as_text_read_as_the_same_integers() {
    let cases: [(&str, &[&str]); 4] = [
        (
            "message_text",
            &[
                "/update_id",
                "/message/message_id",
                "/message/from/id",
                "/message/chat/id",
            ],
        ),
        (
            "channel_post",
            &["/channel_post/sender_chat/id", "/channel_post/chat/id"],
        ),
        (
            "callback_query",
            &[
                "/callback_query/from/id",
                "/callback_query/message/message_id",
            ],
        ),
        (
            "deleted_business_messages",
            &["/deleted_business_messages/message_ids/0"],
        ),
    ];
    for (name, pointers) in cases {
        let original: Value = serde_json::from_slice(&fixture(name)).unwrap();
        let as_text: Vec<(&str, Value)> = pointers
            .iter()
            .map(|pointer| {
                let number = original.pointer(pointer).unwrap();
                assert!(number.is_i64(), "{name}: {pointer}");
                (*pointer, json!(number.to_string()))
            })
            .collect();
        let text = receive(&fixture_with(name, &as_text));
        assert_same_event(&normalize(name), &text);
    }
    for id in [json!(1.5), json!("12a"), json!(""), json!("-")] {
        let update = fixture_with("message_text", &[("/message/chat/id", id.clone())]);
        assert_eq!(receive(&update).event, EventKind::Other, "no id: {id}");
    }
}

#[test]
fn an_update_id_in_text_keeps_the_event_id() {
    let text = receive(&fixture_with(
        "message_text",
        &[("/update_id", json!("900100001"))],
    ));
    assert_eq!(text.event_id, "telegram:demo:900100001");
}
