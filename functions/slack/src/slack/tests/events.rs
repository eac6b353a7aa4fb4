//! Events API bodies: the handshake, the inner events other than messages, app-level notices,
//! ids, context and bad bodies.

use serde_json::{Value, json};
use shared_core::Rejection;
use shared_core::channel::Outcome;
use shared_core::envelope::{EventKind, Message, MessageType, User};

use super::{Delivered, context, event_body, fixture, only, raw};

fn body_json(name: &str) -> Value {
    serde_json::from_str(&fixture(&format!("events/{name}.json"))).unwrap()
}

#[test]
fn url_verification_is_answered_with_the_challenge_and_not_enqueued() {
    match Delivered::signed(event_body("url_verification"))
        .outcome()
        .unwrap()
    {
        Outcome::Handshake(reply) => {
            assert_eq!(
                reply.body,
                "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
            );
            assert!(
                reply.content_type.starts_with("text/plain"),
                "{}",
                reply.content_type
            );
        }
        other => panic!("expected the handshake, got {other:?}"),
    }
}

#[test]
fn reactions_name_the_message_and_the_emoji() {
    let added = only(event_body("reaction_added"));
    assert_eq!(added.event, EventKind::Reaction);
    assert_eq!(added.chat_id, "C2147483705");
    assert_eq!(added.user, Some(User::id("U2147483697")));
    assert_eq!(added.message.id.as_deref(), Some("1360782400.498405"));
    assert_eq!(
        added.message.data,
        Some(json!({"reaction": "thumbsup", "action": "added", "item_user": "U0BOTUSER"}))
    );
    assert_eq!(added.message.kind, MessageType::None);
    assert_eq!(added.event_id, "slack:demo:Ev0REACT001");

    // A reaction to a file has no conversation: the user is the one to answer.
    let removed = only(event_body("reaction_removed"));
    assert_eq!(removed.event, EventKind::Reaction);
    assert_eq!(removed.chat_id, "U2147483697");
    assert_eq!(removed.message.id, None);
    assert_eq!(
        removed.message.data,
        Some(json!({"reaction": "thumbsup", "action": "removed"}))
    );
}

#[test]
fn members_joining_and_leaving() {
    let joined = only(event_body("member_joined_channel"));
    assert_eq!(joined.event, EventKind::MemberJoined);
    assert_eq!(joined.chat_id, "C2147483705");
    assert_eq!(joined.user, Some(User::id("W123ABC456")));
    assert_eq!(joined.message.data, Some(json!({"inviter": "U123456789"})));
    let left = only(event_body("member_left_channel"));
    assert_eq!(left.event, EventKind::MemberLeft);
    assert_eq!(left.chat_id, "C2147483705");
    assert_eq!(left.user, Some(User::id("W123ABC456")));
    assert_eq!(left.message.data, None);
}

#[test]
fn opening_the_app_home_starts_a_conversation() {
    let envelope = only(event_body("app_home_opened"));
    assert_eq!(envelope.event, EventKind::ConversationStarted);
    assert_eq!(envelope.chat_id, "D0LAN2Q65");
    assert_eq!(envelope.user, Some(User::id("U061F7AUR")));
    assert_eq!(envelope.message.data, Some(json!({"tab": "home"})));
    assert_eq!(envelope.event_id, "slack:demo:Ev0HOME0001");
}

#[test]
fn app_level_events_are_addressed_to_the_team() {
    let uninstalled = only(event_body("app_uninstalled"));
    assert_eq!(uninstalled.event, EventKind::Unsubscribed);
    assert_eq!(uninstalled.chat_id, "T061EG9R6");
    assert_eq!(uninstalled.user, None);
    assert_eq!(uninstalled.event_id, "slack:demo:Ev0UNINST01");
    assert_eq!(raw(&uninstalled), json!({"type": "app_uninstalled"}));

    let revoked = only(event_body("tokens_revoked"));
    assert_eq!(revoked.event, EventKind::Other);
    assert_eq!(revoked.chat_id, "T061EG9R6");
    assert_eq!(raw(&revoked)["tokens"]["bot"], json!(["U0BOTUSER"]));
}

#[test]
fn an_unknown_event_is_other_in_the_channel_it_names() {
    let envelope = only(event_body("channel_created"));
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "C024BE91L");
    assert_eq!(envelope.message, Message::default());
    assert_eq!(raw(&envelope), body_json("channel_created")["event"]);
    assert_eq!(envelope.event_id, "slack:demo:Ev0CREATED1");
}

#[test]
fn rate_limit_notices_are_other_for_the_team_with_the_whole_body() {
    let body = event_body("app_rate_limited");
    let envelope = only(body.clone());
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "T061EG9R6");
    assert_eq!(envelope.timestamp.as_deref(), Some("2018-02-12T20:37:00Z"));
    assert_eq!(raw(&envelope), body_json("app_rate_limited"));
    // No event id: the body's SHA-256, the same for every retry of it.
    let hash = envelope.event_id.strip_prefix("slack:demo:").unwrap();
    assert_eq!(hash.len(), 64);
    assert_eq!(only(body).event_id, envelope.event_id);
    assert_ne!(only(event_body("message")).event_id, envelope.event_id);
}

#[test]
fn a_missing_event_id_falls_back_to_the_body_hash() {
    let mut body = body_json("message");
    body.as_object_mut().unwrap().remove("event_id");
    let text = body.to_string();
    let envelope = only(text.clone().into_bytes());
    let hash = shared_core::verify::sha256_hex(text.as_bytes());
    assert_eq!(envelope.event_id, format!("slack:demo:{hash}"));
}

#[test]
fn retries_are_told_in_the_context() {
    let delivered = Delivered::signed(event_body("message"))
        .with_header("x-slack-retry-num", "2")
        .with_header("x-slack-retry-reason", "http_timeout");
    let envelopes = delivered.envelopes().unwrap();
    assert_eq!(
        context(&envelopes[0]),
        json!({"team_id": "T061EG9R6", "api_app_id": "A0PNCHHK2", "retry_num": 2, "retry_reason": "http_timeout"})
    );
    // Same event, same id: the retry is deduplicated downstream.
    assert_eq!(envelopes[0].event_id, "slack:demo:Ev0PV52K21");
}

#[test]
fn bodies_slack_does_not_send_are_malformed() {
    let bodies: [&[u8]; 9] = [
        b"",
        b"   ",
        b"{not json",
        br#"{"token":"x","team_id":"T1"}"#,
        br#"{"type":"event_callback","team_id":"T1","event_id":"Ev1"}"#,
        br#"{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"channel":"C1"}}"#,
        br#"{"type":"event_callback","event_id":"Ev1","event":{"type":"app_uninstalled"}}"#,
        br#"{"type":"url_verification","token":"x"}"#,
        br#"{"type":"event_callback","team_id":"T1","event":{"type":"message","text":42}}"#,
    ];
    for body in bodies {
        let outcome = Delivered::signed(body.to_vec()).outcome();
        assert!(
            matches!(outcome, Err(Rejection::Malformed(_))),
            "{:?}: {outcome:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn an_unknown_wrapper_type_is_still_enqueued() {
    let envelope = only(
        br#"{"type":"app_deleted_everything","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2"}"#
            .to_vec(),
    );
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "T061EG9R6");
}
