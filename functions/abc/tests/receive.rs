//! Bodies and headers as Apple sends them, and as it does not: gzip, ids from the headers or the
//! body, malformed bodies, the raw body kept byte for byte, and no panic on any input.

mod common;

use abc_receiver::Abc;
use common::{as_json, fixture, fixture_json, gzip, headers_for, run, secret, set};
use http::HeaderMap;
use proptest::prelude::*;
use serde_json::{Value, json};
use shared_core::{EventKind, Rejection};

fn receive(headers: &HeaderMap, body: &[u8]) -> Result<Vec<shared_core::Envelope>, Rejection> {
    run(&Abc::default(), &secret(), headers, body)
}

fn malformed(result: Result<Vec<shared_core::Envelope>, Rejection>) -> bool {
    matches!(result, Err(Rejection::Malformed(_)))
}

#[test]
fn gzip_bodies_are_inflated_with_or_without_the_header() {
    let body = fixture("text");
    let plain = receive(&headers_for(&fixture_json("text")), &body).unwrap();
    let mut declared = headers_for(&fixture_json("text"));
    set(&mut declared, "content-encoding", "gzip");
    let inflated = receive(&declared, &gzip(&body)).unwrap();
    assert_eq!(as_json(&inflated[0]), as_json(&plain[0]));
    let sniffed = receive(&headers_for(&fixture_json("text")), &gzip(&body)).unwrap();
    assert_eq!(
        sniffed[0].message.text.as_deref(),
        Some("Where is my order?")
    );
}

#[test]
fn a_gzip_bomb_is_too_large_and_a_corrupt_stream_malformed() {
    let mut padded = fixture("text");
    padded.resize(50_000_000, b' ');
    let mut headers = headers_for(&fixture_json("text"));
    set(&mut headers, "content-encoding", "gzip");
    assert_eq!(
        receive(&headers, &gzip(&padded)).unwrap_err(),
        Rejection::TooLarge
    );
    let mut truncated = gzip(&fixture("text"));
    truncated.truncate(20);
    assert!(malformed(receive(&headers, &truncated)));
    assert!(
        malformed(receive(&headers, &fixture("text"))),
        "declared gzip, sent plain"
    );
}

#[test]
fn raw_is_the_body_byte_for_byte() {
    let body = "{ \"v\":1 , \"type\" : \"text\",\"body\":\"caf\\u00e9 \u{1F600}\",   \"id\":\"m-1\",\"sourceId\":\"urn:mbid:x\" }";
    let envelopes = receive(
        &headers_for(&json!({"id": "m-1", "sourceId": "urn:mbid:x"})),
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(envelopes[0].raw.get(), body);
    assert_eq!(envelopes[0].message.text.as_deref(), Some("café \u{1F600}"));
}

#[test]
fn the_headers_win_and_the_body_fills_in() {
    let body = fixture_json("text");
    let mut headers = headers_for(&body);
    set(&mut headers, "id", "header-id");
    set(&mut headers, "locale", "fr_FR");
    headers.remove("capability-list");
    set(&mut headers, "capabilities", "auth, list ,,TIME");
    let envelope = receive(&headers, &fixture("text")).unwrap().remove(0);
    assert_eq!(envelope.event_id, "abc:demo:header-id");
    assert_eq!(envelope.message.id.as_deref(), Some("header-id"));
    assert_eq!(envelope.context["locale"], "fr_FR");
    assert_eq!(envelope.user.unwrap().language.as_deref(), Some("fr_FR"));
    assert_eq!(
        envelope.context["capabilities"],
        json!(["auth", "list", "TIME"])
    );

    let mut bare = headers_for(&body);
    for name in [
        "id",
        "source-id",
        "destination-id",
        "device-agent",
        "capability-list",
    ] {
        bare.remove(name);
    }
    let envelope = receive(&bare, &fixture("text")).unwrap().remove(0);
    assert_eq!(
        envelope.event_id,
        format!("abc:demo:{}", body["id"].as_str().unwrap())
    );
    assert_eq!(envelope.chat_id, body["sourceId"].as_str().unwrap());
    assert_eq!(
        Value::Object(envelope.context),
        json!({"destination_id": body["destinationId"], "locale": "en_US"})
    );
}

#[test]
fn no_source_id_or_message_id_at_all_is_malformed() {
    let mut body = fixture_json("text");
    body.as_object_mut().unwrap().remove("sourceId");
    let mut headers = headers_for(&body);
    headers.remove("source-id");
    assert!(malformed(receive(&headers, body.to_string().as_bytes())));

    let mut body = fixture_json("text");
    body.as_object_mut().unwrap().remove("id");
    let mut headers = headers_for(&body);
    headers.remove("id");
    assert!(malformed(receive(&headers, body.to_string().as_bytes())));
}

#[test]
fn bodies_that_are_not_apple_messages_are_malformed() {
    let headers = headers_for(&fixture_json("text"));
    for body in [
        &b""[..],
        b"not json",
        b"[1,2]",
        b"\"text\"",
        b"{\"type\":",
        b"{\"body\":\"no type\"}",
        b"{\"type\":7}",
        b"\xff\xfe{}",
    ] {
        assert!(
            malformed(receive(&headers, body)),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn a_text_without_body_or_attachments_is_still_enqueued() {
    let body = json!({"v": 1, "id": "m-2", "sourceId": "urn:mbid:y", "type": "text"});
    let envelope = receive(&headers_for(&body), body.to_string().as_bytes())
        .unwrap()
        .remove(0);
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.kind, shared_core::MessageType::None);
    assert_eq!(envelope.message.text, None);
}

proptest! {
    #[test]
    fn no_input_panics(body in proptest::collection::vec(any::<u8>(), 0..512), gz in any::<bool>()) {
        let mut headers = headers_for(&fixture_json("text"));
        if gz {
            set(&mut headers, "content-encoding", "gzip");
        }
        let _ = receive(&headers, &body);
    }

    #[test]
    fn no_json_shape_panics(kind in "[a-z_]{0,12}", value in prop_oneof![Just(json!(null)), Just(json!(1)), Just(json!("s")), Just(json!([{}])), Just(json!({"x": [1]}))]) {
        let body = json!({
            "id": "m", "sourceId": "urn:mbid:z", "type": kind, "body": "\u{FFFC}",
            "attachments": [{"mimeType": value.clone(), "size": value.clone()}],
            "interactiveData": {"data": {"listPicker": {"sections": value.clone()}, "quick-reply": value.clone(), "event": {"timeslots": value}}}
        });
        let _ = receive(&headers_for(&body), body.to_string().as_bytes());
    }
}
