//! Ids and times sent in the other JSON form than Meta documents: the same event either way.

use serde_json::{Value, json};
use shared_core::envelope::{Envelope, EventKind, Message};

use super::{PAGE_ID, PSID, envelopes, fixture};

/// A fixture with the value at each pointer replaced, as the text Meta would post.
fn fixture_with(name: &str, changes: &[(&str, Value)]) -> String {
    let mut body: Value = serde_json::from_str(&fixture(name)).unwrap();
    for (pointer, value) in changes {
        *body
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{name}: no {pointer}")) = value.clone();
    }
    body.to_string()
}

fn only(body: &str) -> Envelope {
    let mut all = envelopes(body).unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
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
    assert_eq!(one.context, other.context);
    // `message.data` keeps a receipt's field as Meta sent it; the rest is the same.
    let without_data = |envelope: &Envelope| Message {
        data: None,
        ..envelope.message.clone()
    };
    assert_eq!(without_data(one), without_data(other));
}

const ITEM: &str = "/entry/0/messaging/0";

/// The page, the user and the message ids of a fixture, replaced by the same digits as text or
/// as numbers.
fn both_forms(name: &str, pointers: &[&str]) -> (Envelope, Envelope) {
    let digits = |at: usize| 9_007_199_254_740_993_u64 + at as u64;
    let mut as_text = vec![("/entry/0/id".to_owned(), json!(PAGE_ID))];
    let mut as_numbers = vec![("/entry/0/id".to_owned(), json!(104_729_178_325_631_u64))];
    as_text.push((format!("{ITEM}/sender/id"), json!(PSID)));
    as_numbers.push((
        format!("{ITEM}/sender/id"),
        json!(7_381_234_567_890_123_u64),
    ));
    for (at, pointer) in pointers.iter().enumerate() {
        as_text.push((format!("{ITEM}{pointer}"), json!(digits(at).to_string())));
        as_numbers.push((format!("{ITEM}{pointer}"), json!(digits(at))));
    }
    let body = |changes: &[(String, Value)]| {
        let changes: Vec<(&str, Value)> = changes
            .iter()
            .map(|(pointer, value)| (pointer.as_str(), value.clone()))
            .collect();
        only(&fixture_with(name, &changes))
    };
    (body(&as_text), body(&as_numbers))
}

#[test]
fn ids_sent_as_numbers_read_as_their_decimal_text() {
    let cases: [(&str, &[&str], EventKind); 4] = [
        ("message_text", &["/message/mid"], EventKind::Message),
        (
            "message_reply",
            &["/message/mid", "/message/reply_to/mid"],
            EventKind::Message,
        ),
        ("postback", &["/postback/mid"], EventKind::Callback),
        ("delivery", &["/delivery/mids/0"], EventKind::Delivered),
    ];
    for (name, pointers, kind) in cases {
        let (as_text, as_numbers) = both_forms(name, pointers);
        assert_eq!(as_numbers.event, kind, "{name}");
        assert_eq!(as_numbers.chat_id, PSID, "{name}");
        assert_eq!(as_numbers.context["page_id"], PAGE_ID, "{name}");
        assert_same_event(&as_text, &as_numbers);
    }
    let (_, message) = both_forms("message_text", &["/message/mid"]);
    assert_eq!(
        message.event_id, "facebook:demo:9007199254740993",
        "no digit lost above 2^53"
    );
}

#[test]
fn a_float_or_a_flag_is_no_id() {
    // A page id that is no id: the request is not what Meta sends.
    for id in [json!(104_729_178_325_631.5), json!(true), json!(null)] {
        let body = fixture_with("message_text", &[("/entry/0/id", id.clone())]);
        assert!(envelopes(&body).is_err(), "{id}");
    }
    // A message whose mid is no id keeps its place as `other`, with its raw.
    let mid = format!("{ITEM}/message/mid");
    let odd = only(&fixture_with("message_text", &[(mid.as_str(), json!(1.5))]));
    assert_eq!(odd.event, EventKind::Other);
}
