//! The other callbacks: subscriptions, conversation start, receipts, the webhook check, later kinds.

use serde_json::json;
use shared_core::channel::{Channel, Outcome, Reply, verify};
use shared_core::envelope::{EventKind, Message, MessageType, User};
use shared_core::testing::fixed_now;

use super::{DOC_TIME, demo_secret, fixture, receive_fixture, receive_one, signed};
use crate::Viber;

fn john() -> User {
    User {
        name: Some("John McClane".to_owned()),
        language: Some("en".to_owned()),
        ..User::id("01234567890A=")
    }
}

#[test]
fn webhook_check_is_answered_not_enqueued() {
    let posted = signed(fixture("webhook"));
    let verified = verify(&Viber, posted.request(), &demo_secret(), fixed_now()).unwrap();
    match Viber
        .receive(&verified, &demo_secret(), fixed_now())
        .unwrap()
    {
        Outcome::Handshake(reply) => assert_eq!(reply, Reply::text("ok")),
        Outcome::Events { events, .. } => panic!("the webhook check enqueued {events:?}"),
    }
}

#[test]
fn subscribed_names_the_user() {
    let envelope = receive_fixture("subscribed");
    assert_eq!(envelope.event, EventKind::Subscribed);
    assert_eq!(envelope.chat_id, "01234567890A=");
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238146");
    assert_eq!(envelope.user, Some(john()));
    assert_eq!(envelope.timestamp.as_deref(), Some(DOC_TIME));
    assert_eq!(envelope.message, Message::of(MessageType::None));
}

#[test]
fn unsubscribed_has_only_the_user_id() {
    let envelope = receive_fixture("unsubscribed");
    assert_eq!(envelope.event, EventKind::Unsubscribed);
    assert_eq!(envelope.chat_id, "01234567890A=");
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238147");
    assert_eq!(envelope.user, Some(User::id("01234567890A=")));
    assert_eq!(envelope.message, Message::of(MessageType::None));
}

#[test]
fn conversation_started_carries_context_as_ref() {
    let envelope = receive_fixture("conversation_started");
    assert_eq!(envelope.event, EventKind::ConversationStarted);
    assert_eq!(envelope.chat_id, "01234567890A=");
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238148");
    assert_eq!(envelope.referral.as_deref(), Some("campaign-2026-autumn"));
    assert_eq!(envelope.user, Some(john()));
    let expected = Message {
        data: Some(json!({"type": "open", "subscribed": false})),
        ..Message::of(MessageType::None)
    };
    assert_eq!(envelope.message, expected);
}

#[test]
fn conversation_started_without_context_has_no_ref() {
    let body = r#"{"event":"conversation_started","timestamp":1457764197627,"message_token":11,"type":"open","context":"","user":{"id":"u2"},"subscribed":true}"#;
    let envelope = receive_one(body);
    assert_eq!(envelope.referral, None);
    assert_eq!(
        envelope.message.data,
        Some(json!({"type": "open", "subscribed": true}))
    );
}

#[test]
fn receipts_get_their_kind_in_the_event_id() {
    for (name, kind) in [
        ("delivered", EventKind::Delivered),
        ("seen", EventKind::Seen),
        ("failed", EventKind::Failed),
    ] {
        let envelope = receive_fixture(name);
        assert_eq!(envelope.event, kind);
        assert_eq!(envelope.chat_id, "01234567890A=");
        assert_eq!(
            envelope.event_id,
            format!("viber:demo:{name}:4912661846655238145")
        );
        assert_eq!(envelope.user, Some(User::id("01234567890A=")));
        assert_eq!(
            envelope.message.id.as_deref(),
            Some("4912661846655238145"),
            "the id of the bot's message"
        );
        assert_eq!(envelope.timestamp.as_deref(), Some(DOC_TIME));
    }
}

#[test]
fn failed_keeps_desc() {
    let envelope = receive_fixture("failed");
    assert_eq!(
        envelope.message.data,
        Some(json!({"desc": "failure description"}))
    );
    assert_eq!(receive_fixture("seen").message.data, None);
}

#[test]
fn client_status_is_other_by_its_user_id() {
    let envelope = receive_fixture("client_status");
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "01234567890A=");
    assert_eq!(envelope.event_id, "viber:demo:4912661846655238159");
    assert_eq!(envelope.user, Some(User::id("01234567890A=")));
    assert_eq!(
        envelope.raw.get(),
        shared_core::testing::one_line(fixture("client_status").trim())
    );
}

#[test]
fn later_kind_finds_the_user_wherever_it_is() {
    let body = r#"{"event":"reaction","timestamp":1457764197627,"message_token":12,"sender":{"id":"u3","name":"Ann"}}"#;
    let envelope = receive_one(body);
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "u3");
    assert_eq!(
        envelope.user,
        Some(User {
            name: Some("Ann".to_owned()),
            ..User::id("u3")
        })
    );
    let body =
        r#"{"event":"action","timestamp":1457764197627,"message_token":13,"user":{"id":"u4"}}"#;
    assert_eq!(receive_one(body).chat_id, "u4");
}

#[test]
fn later_kind_without_user_or_token_is_still_enqueued() {
    let body = r#"{"event":"maintenance","timestamp":1457764197627}"#;
    let envelope = receive_one(body);
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "unknown");
    assert_eq!(envelope.user, None);
    assert_eq!(
        envelope.event_id,
        "viber:demo:maintenance:unknown:1457764197627"
    );
}

#[test]
fn callback_without_token_is_keyed_by_event_user_and_time() {
    let body = r#"{"event":"seen","timestamp":1457764197627,"user_id":"u5"}"#;
    let envelope = receive_one(body);
    assert_eq!(envelope.event, EventKind::Seen);
    assert_eq!(envelope.event_id, "viber:demo:seen:u5:1457764197627");
    assert_eq!(envelope.message.id, None);
}

#[test]
fn callback_without_token_or_time_is_keyed_by_its_digest() {
    let first = receive_one(r#"{"event":"client_status","user_id":"u6","status":1}"#);
    let again = receive_one(r#"{"event":"client_status","user_id":"u6","status":1}"#);
    let other = receive_one(r#"{"event":"client_status","user_id":"u6","status":2}"#);
    assert!(
        first
            .event_id
            .starts_with("viber:demo:client_status:u6:sha256-"),
        "{}",
        first.event_id
    );
    assert_eq!(first.event_id, again.event_id, "a retry is the same event");
    assert_ne!(first.event_id, other.event_id);
    assert_eq!(first.timestamp, None);
}

#[test]
fn largest_token_survives_unchanged() {
    let body = r#"{"event":"message","timestamp":1457764197627,"message_token":18446744073709551615,"sender":{"id":"u7"},"message":{"type":"text","text":"hi"}}"#;
    let envelope = receive_one(body);
    assert_eq!(envelope.event_id, "viber:demo:18446744073709551615");
    assert_eq!(envelope.raw.get(), body);
}
