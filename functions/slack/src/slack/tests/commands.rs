//! Slash commands (form fields).

use serde_json::json;
use shared_core::Rejection;
use shared_core::channel::Outcome;
use shared_core::envelope::{EventKind, Message, User};

use super::auth::DOCUMENTED_BODY;
use super::{Delivered, command_body, context, only, raw};

#[test]
fn a_slash_command_keeps_the_whole_line_and_the_command() {
    let envelope = only(command_body("slash_command"));
    assert_eq!(envelope.event, EventKind::Command);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message::text("/weather 94070").with_payload("/weather")
    );
    assert_eq!(
        envelope.user,
        Some(User {
            id: "U2147483697".into(),
            username: Some("Steve".into()),
            ..User::default()
        })
    );
    assert_eq!(
        envelope.event_id,
        "slack:demo:13345224609.738474920.8088930838d88f008e0"
    );
    assert_eq!(envelope.timestamp, None);
    assert_eq!(
        context(&envelope),
        json!({"team_id": "T061EG9R6", "api_app_id": "A0PNCHHK2"})
    );
    assert_eq!(
        raw(&envelope)["response_url"],
        "https://hooks.slack.com/commands/1234/5678"
    );
    assert_eq!(raw(&envelope)["text"], "94070");
}

#[test]
fn a_command_without_arguments_is_the_command_alone() {
    let envelope = only(DOCUMENTED_BODY.as_bytes().to_vec());
    assert_eq!(envelope.event, EventKind::Command);
    assert_eq!(envelope.chat_id, "G8PSS9T3V");
    assert_eq!(
        envelope.message,
        Message::text("/webhook-collect").with_payload("/webhook-collect")
    );
    assert_eq!(
        envelope.user,
        Some(User {
            id: "U2CERLKJA".into(),
            username: Some("roadrunner".into()),
            ..User::default()
        })
    );
    assert_eq!(
        envelope.event_id,
        "slack:demo:398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    );
    assert_eq!(context(&envelope), json!({"team_id": "T1DC2JH3J"}));
    assert_eq!(raw(&envelope)["text"], "");
}

#[test]
fn a_command_form_without_a_command_is_malformed() {
    for body in ["command=&channel_id=C1", "command=/x&text=hi"] {
        let outcome = Delivered::signed(body).outcome();
        assert!(
            matches!(outcome, Err(Rejection::Malformed(_))),
            "{body:?}: {outcome:?}"
        );
    }
}

#[test]
fn a_signed_certificate_check_is_answered_and_not_enqueued() {
    let outcome = Delivered::signed("ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO")
        .outcome()
        .unwrap();
    assert!(
        matches!(&outcome, Outcome::Handshake(reply) if reply.body.is_empty()),
        "{outcome:?}"
    );
    // Unsigned, it is refused like anything else.
    let unsigned = Delivered::unsigned("ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO").outcome();
    assert!(
        matches!(unsigned, Err(Rejection::Unauthenticated(_))),
        "{unsigned:?}"
    );
    // Only the value Slack sends.
    let other = Delivered::signed("ssl_check=0").outcome();
    assert!(matches!(other, Err(Rejection::Malformed(_))), "{other:?}");
}
