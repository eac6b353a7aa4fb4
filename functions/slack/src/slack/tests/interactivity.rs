//! Interactivity payloads (`payload=` forms): one test per payload type.

use serde_json::{Value, json};
use shared_core::Rejection;
use shared_core::envelope::{EventKind, Message, MessageType, User};

use super::{Delivered, context, fixture, interaction_body, only, raw};

fn payload_json(name: &str) -> Value {
    serde_json::from_str(&fixture(&format!("interactivity/{name}.json"))).unwrap()
}

fn ann() -> User {
    User {
        id: "U2147483697".into(),
        username: Some("ann".into()),
        name: Some("ann".into()),
        ..User::default()
    }
}

#[test]
fn a_button_click_is_a_callback_with_the_buttons_value() {
    let envelope = only(interaction_body("block_actions_button"));
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message {
            kind: MessageType::Button,
            text: Some("Approve".into()),
            payload: Some("approve_123".into()),
            id: Some("1548261231.000200".into()),
            data: Some(payload_json("block_actions_button")["actions"][0].clone()),
            ..Message::default()
        }
    );
    assert_eq!(envelope.user, Some(ann()));
    assert_eq!(
        envelope.event_id,
        "slack:demo:12466734323.1395872398.c8a5c2b9a2e4e1"
    );
    assert_eq!(envelope.timestamp.as_deref(), Some("2019-01-25T14:26:57Z"));
    assert_eq!(
        context(&envelope),
        json!({"team_id": "T061EG9R6", "api_app_id": "A0PNCHHK2"})
    );
    // `raw` is the payload as received, its line breaks as spaces.
    assert_eq!(
        envelope.raw.get(),
        shared_core::testing::one_line(
            fixture("interactivity/block_actions_button.json").trim_end()
        )
    );
}

#[test]
fn a_menu_choice_is_a_callback_with_the_options_value() {
    let envelope = only(interaction_body("block_actions_static_select"));
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(envelope.message.payload.as_deref(), Some("size_l"));
    assert_eq!(envelope.message.text.as_deref(), Some("Large"));
    assert_eq!(envelope.message.id.as_deref(), Some("1548261231.000300"));
}

#[test]
fn a_button_without_a_value_in_the_app_home_answers_the_user_with_its_action_id() {
    let envelope = only(interaction_body("block_actions_home"));
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, "U2147483697");
    assert_eq!(envelope.message.payload.as_deref(), Some("open_settings"));
    assert_eq!(envelope.message.id, None);
    assert_eq!(
        envelope.event_id,
        "slack:demo:12466734323.1395872398.e0c7e4d1c4a6a3"
    );
}

#[test]
fn a_legacy_message_button_is_a_callback() {
    let envelope = only(interaction_body("interactive_message"));
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(envelope.message.payload.as_deref(), Some("chess"));
    assert_eq!(envelope.message.text, None);
    assert_eq!(envelope.message.id.as_deref(), Some("1458170866.000004"));
    assert_eq!(
        envelope.user,
        Some(User {
            id: "U2147483697".into(),
            name: Some("ann".into()),
            ..User::default()
        })
    );
    assert_eq!(envelope.timestamp.as_deref(), Some("2016-03-16T23:28:37Z"));
    assert_eq!(
        envelope.event_id,
        "slack:demo:13345224609.738474920.8088930838d88f008e0"
    );
}

#[test]
fn a_modal_submission_is_a_callback_with_the_form_values() {
    let envelope = only(interaction_body("view_submission"));
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, "U2147483697");
    assert_eq!(
        envelope.message,
        Message {
            kind: MessageType::Button,
            payload: Some("create_ticket".into()),
            data: Some(json!({
                "title_block": {"title_input": {"type": "plain_text_input", "value": "Printer on fire"}},
                "priority_block": {"priority_select": {"type": "static_select",
                    "selected_option": {"text": {"type": "plain_text", "text": "High"}, "value": "high"}}}
            })),
            ..Message::default()
        }
    );
    assert_eq!(envelope.user, Some(ann()));
    assert_eq!(
        envelope.event_id,
        "slack:demo:12466734323.1395872398.f1d8f5e2d5b7b4"
    );
}

#[test]
fn a_closed_modal_is_closed_not_a_choice() {
    let envelope = only(interaction_body("view_closed"));
    assert_eq!(envelope.event, EventKind::Closed);
    assert_eq!(envelope.chat_id, "U2147483697");
    assert_eq!(
        envelope.message,
        Message {
            payload: Some("create_ticket".into()),
            ..Message::default()
        }
    );
    // No trigger id: the body's hash.
    assert_eq!(envelope.event_id.len(), "slack:demo:".len() + 64);
}

#[test]
fn a_legacy_dialog_submission_is_a_callback_with_the_form_values() {
    let envelope = only(interaction_body("dialog_submission"));
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message {
            kind: MessageType::Button,
            payload: Some("employee_offsite_1138b".into()),
            data: Some(payload_json("dialog_submission")["submission"].clone()),
            ..Message::default()
        }
    );
    let ann = User {
        id: "U2147483697".into(),
        name: Some("ann".into()),
        ..User::default()
    };
    assert_eq!(envelope.user, Some(ann));
    assert_eq!(envelope.timestamp.as_deref(), Some("2026-11-24T13:00:01Z"));
    assert_eq!(context(&envelope), json!({"team_id": "T061EG9R6"}));
    // No trigger id: the body's hash.
    assert_eq!(envelope.event_id.len(), "slack:demo:".len() + 64);
}

#[test]
fn a_cancelled_legacy_dialog_is_closed() {
    let envelope = only(interaction_body("dialog_cancellation"));
    assert_eq!(envelope.event, EventKind::Closed);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message {
            payload: Some("employee_offsite_1138b".into()),
            ..Message::default()
        }
    );
}

#[test]
fn a_global_shortcut_is_a_command_for_the_user() {
    let envelope = only(interaction_body("shortcut"));
    assert_eq!(envelope.event, EventKind::Command);
    assert_eq!(envelope.chat_id, "U2147483697");
    assert_eq!(
        envelope.message,
        Message {
            payload: Some("shortcut_create_task".into()),
            ..Message::default()
        }
    );
    assert_eq!(
        envelope.event_id,
        "slack:demo:944799105734.773906753841.38b5894552bdd4a780554ee59d1f3638"
    );
    assert_eq!(envelope.timestamp.as_deref(), Some("2020-02-07T20:10:41Z"));
}

#[test]
fn a_message_shortcut_is_a_command_on_that_message() {
    let envelope = only(interaction_body("message_action"));
    assert_eq!(envelope.event, EventKind::Command);
    assert_eq!(envelope.chat_id, "C2147483705");
    assert_eq!(
        envelope.message,
        Message {
            id: Some("1535813905.000100".into()),
            ..Message::text("hello").with_payload("flag_message")
        }
    );
    assert_eq!(
        envelope.user,
        Some(User {
            id: "U2147483697".into(),
            name: Some("ann".into()),
            ..User::default()
        })
    );
}

#[test]
fn an_options_request_is_other_with_what_the_user_typed() {
    let envelope = only(interaction_body("block_suggestion"));
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "U2147483697");
    assert_eq!(
        envelope.message,
        Message {
            text: Some("mar".into()),
            payload: Some("pick_project".into()),
            ..Message::default()
        }
    );
}

#[test]
fn an_unknown_payload_type_is_other() {
    let payload = r#"{"type":"workflow_step_edit","user":{"id":"U2147483697"},"team":{"id":"T061EG9R6"},"trigger_id":"1.2.3"}"#;
    let envelope = only(
        serde_urlencoded::to_string([("payload", payload)])
            .unwrap()
            .into_bytes(),
    );
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "U2147483697");
    assert_eq!(envelope.event_id, "slack:demo:1.2.3");
    assert_eq!(raw(&envelope)["type"], "workflow_step_edit");
}

#[test]
fn payloads_slack_does_not_send_are_malformed() {
    for payload in [
        "",
        "not json",
        "[1,2]",
        r#"{"user":{"id":"U1"}}"#,
        r#"{"type":"block_actions"}"#,
        r#"{"type":"shortcut","user":"U1"}"#,
    ] {
        let body = serde_urlencoded::to_string([("payload", payload)])
            .unwrap()
            .into_bytes();
        let outcome = Delivered::signed(body).outcome();
        assert!(
            matches!(outcome, Err(Rejection::Malformed(_))),
            "{payload:?}: {outcome:?}"
        );
    }
    for body in ["text=hello&user_id=U1", "%zz=%", "payload"] {
        let outcome = Delivered::signed(body).outcome();
        assert!(
            matches!(outcome, Err(Rejection::Malformed(_))),
            "{body:?}: {outcome:?}"
        );
    }
}
