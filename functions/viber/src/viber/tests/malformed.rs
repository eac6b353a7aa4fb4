//! Bodies that are not what Viber sends: refused with 400, never a panic.

use shared_core::channel::{Channel, Rejection, verify};
use shared_core::testing::fixed_now;

use super::{demo_secret, fixture, receive, signed};
use crate::Viber;

fn is_malformed(body: &str) -> bool {
    matches!(receive(body), Err(Rejection::Malformed(_)))
}

#[test]
fn not_json_is_malformed() {
    assert!(is_malformed(""));
    assert!(is_malformed("event=message"));
    assert!(is_malformed("{\"event\":\"message\""));
    assert!(is_malformed("[]"));
    assert!(is_malformed("null"));
}

#[test]
fn callback_without_event_is_malformed() {
    assert!(is_malformed(
        r#"{"timestamp":1457764197627,"message_token":1}"#
    ));
    assert!(is_malformed(r#"{"event":5,"timestamp":1457764197627}"#));
}

#[test]
fn known_kind_without_its_user_is_malformed() {
    assert!(is_malformed(
        r#"{"event":"message","timestamp":1,"message_token":1,"message":{"type":"text","text":"hi"}}"#
    ));
    assert!(is_malformed(
        r#"{"event":"message","timestamp":1,"message_token":1,"sender":{"id":"u1"}}"#
    ));
    assert!(is_malformed(
        r#"{"event":"message","timestamp":1,"message_token":1,"sender":{"name":"no id"},"message":{}}"#
    ));
    assert!(is_malformed(
        r#"{"event":"subscribed","timestamp":1,"message_token":1}"#
    ));
    assert!(is_malformed(
        r#"{"event":"conversation_started","timestamp":1,"message_token":1,"type":"open"}"#
    ));
    assert!(is_malformed(
        r#"{"event":"unsubscribed","timestamp":1,"message_token":1}"#
    ));
    // A number is an id in its other form (see `ids`); a float or a flag is none.
    assert!(is_malformed(
        r#"{"event":"delivered","timestamp":1,"message_token":1,"user_id":7.5}"#
    ));
    assert!(is_malformed(
        r#"{"event":"delivered","timestamp":1,"message_token":1,"user_id":true}"#
    ));
}

#[test]
fn token_that_is_not_a_u64_is_malformed() {
    // Never through f64: a token Viber would not send is refused, not rounded.
    assert!(is_malformed(
        r#"{"event":"seen","timestamp":1,"message_token":4.912661846655238e18,"user_id":"u"}"#
    ));
    assert!(is_malformed(
        r#"{"event":"seen","timestamp":1,"message_token":-1,"user_id":"u"}"#
    ));
    assert!(is_malformed(
        r#"{"event":"seen","timestamp":1,"message_token":18446744073709551616,"user_id":"u"}"#
    ));
    assert!(is_malformed(
        r#"{"event":"seen","timestamp":"yesterday","message_token":1,"user_id":"u"}"#
    ));
}

#[test]
fn body_that_is_not_utf8_is_malformed() {
    let posted = signed(vec![0xff, 0xfe, b'{', b'}']);
    let verified = verify(&Viber, posted.request(), &demo_secret(), fixed_now()).unwrap();
    let result = Viber.receive(&verified, &demo_secret(), fixed_now());
    assert!(matches!(result, Err(Rejection::Malformed(_))));
}

#[test]
fn no_prefix_of_any_fixture_panics() {
    for name in [
        "text",
        "picture",
        "contact",
        "location",
        "rich_media",
        "conversation_started",
        "failed",
        "webhook",
    ] {
        let body = fixture(name);
        for end in (0..body.len()).filter(|end| body.is_char_boundary(*end)) {
            let posted = signed(&body.as_bytes()[..end]);
            let verified = verify(&Viber, posted.request(), &demo_secret(), fixed_now()).unwrap();
            // Either outcome is fine; only a panic would fail the test.
            let _ = Viber.receive(&verified, &demo_secret(), fixed_now());
        }
    }
}
