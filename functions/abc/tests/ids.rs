//! Ids in the body sent as numbers rather than text: the same event either way.

mod common;

use abc_receiver::Abc;
use common::{fixture_json, headers_for, run, secret};
use serde_json::{Value, json};
use shared_core::{Envelope, EventKind, Rejection};

/// The text fixture with `changes`, sent with no `id` or `source-id` header, so that the body
/// names the message and the customer.
fn without_id_headers(changes: &[(&str, Value)]) -> Result<Vec<Envelope>, Rejection> {
    let mut body = fixture_json("text");
    for (field, value) in changes {
        body[*field] = value.clone();
    }
    let mut headers = headers_for(&body);
    headers.remove("id");
    headers.remove("source-id");
    headers.remove("destination-id");
    run(
        &Abc::default(),
        &secret(),
        &headers,
        body.to_string().as_bytes(),
    )
}

#[test]
fn ids_sent_as_numbers_read_as_their_decimal_text_and_floats_are_no_ids() {
    let as_text = without_id_headers(&[
        ("id", json!("9007199254740993")),
        ("sourceId", json!("4912661846655238145")),
        ("destinationId", json!("-17")),
    ])
    .unwrap();
    let as_numbers = without_id_headers(&[
        ("id", json!(9_007_199_254_740_993_u64)),
        ("sourceId", json!(4_912_661_846_655_238_145_u64)),
        ("destinationId", json!(-17)),
    ])
    .unwrap();
    let (text, numbers) = (&as_text[0], &as_numbers[0]);
    assert_eq!(numbers.event, EventKind::Message);
    assert_eq!(numbers.event_id, "abc:demo:9007199254740993");
    assert_eq!(numbers.chat_id, "4912661846655238145");
    assert_eq!(numbers.context["destination_id"], "-17");
    assert_eq!(
        (&text.event_id, &text.chat_id, &text.user, &text.message),
        (
            &numbers.event_id,
            &numbers.chat_id,
            &numbers.user,
            &numbers.message
        )
    );
    assert_eq!(text.context, numbers.context);
    // A float or a flag is no id: the body is not what Apple sends.
    for id in [json!(1.5), json!(true), json!({"id": "x"})] {
        let result = without_id_headers(&[("id", id.clone())]);
        assert!(
            matches!(result, Err(Rejection::Malformed(_))),
            "{id}: {result:?}"
        );
    }
}
