//! What is kept as `other`, several events in one request, and bodies of unexpected shapes.

use shared_core::envelope::{EventKind, MessageType};

use super::*;

#[test]
fn system_order_unsupported_and_unknown_types_are_other_by_their_type() {
    for (name, kind) in [
        ("system", "system"),
        ("order", "order"),
        ("unsupported", "unsupported"),
        ("unknown_type", "hologram"),
    ] {
        let envelope = only_envelope(name);
        assert_eq!(envelope.event, EventKind::Other, "{name}");
        assert_eq!(envelope.chat_id, CUSTOMER, "{name}");
        assert_eq!(envelope.message.kind, MessageType::None, "{name}");
        assert_eq!(envelope.message.data.as_ref().expect("data")["type"], kind);
        let own = first_item(name, "messages")["id"].clone();
        assert_eq!(
            envelope.event_id,
            format!("whatsapp:demo:{}", own.as_str().expect("an id"))
        );
        assert_eq!(raw(&envelope), first_item(name, "messages"), "{name}");
    }
}

#[test]
fn a_system_message_without_contacts_has_an_unnamed_user() {
    let envelope = only_envelope("system");
    assert_eq!(
        envelope.user,
        Some(shared_core::envelope::User::id(CUSTOMER))
    );
}

#[test]
fn an_unsupported_message_carries_its_errors() {
    let envelope = only_envelope("unsupported");
    let errors = first_item("unsupported", "messages")["errors"].clone();
    assert_eq!(
        envelope.message.data,
        Some(json!({ "type": "unsupported", "errors": errors }))
    );
}

#[test]
fn errors_outside_any_message_are_one_other_event_for_the_account() {
    let envelope = only_envelope("errors");
    let change = fixture_json("errors")["entry"][0]["changes"][0].clone();
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, WABA_ID);
    assert_eq!(raw(&envelope), change);
    assert_eq!(
        envelope.message.data,
        Some(json!({ "field": "messages", "errors": change["value"]["errors"] }))
    );
    assert_eq!(context(&envelope), json!({ "waba_id": WABA_ID }));
    assert!(envelope.event_id.starts_with("whatsapp:demo:messages:"));
}

#[test]
fn errors_beside_messages_are_an_other_event_after_them() {
    let mut body = fixture_json("text");
    let errors = fixture_json("errors")["entry"][0]["changes"][0]["value"]["errors"].clone();
    body["entry"][0]["changes"][0]["value"]["errors"] = errors.clone();
    let envelopes = envelopes(&body.to_string()).unwrap();
    assert_eq!(envelopes.len(), 2, "the message, then the errors");
    assert_eq!(envelopes[0].event, EventKind::Message);
    assert_eq!(envelopes[1].event, EventKind::Other);
    assert_eq!(envelopes[1].chat_id, WABA_ID);
    assert_eq!(
        envelopes[1].message.data,
        Some(json!({ "field": "messages", "errors": errors }))
    );
}

#[test]
fn another_field_is_one_other_event_for_the_account_with_the_whole_change() {
    let envelope = only_envelope("template_status");
    let change = fixture_json("template_status")["entry"][0]["changes"][0].clone();
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, WABA_ID);
    assert_eq!(envelope.user, None);
    assert_eq!(envelope.timestamp, None);
    assert_eq!(raw(&envelope), change);
    assert_eq!(
        envelope.message.data,
        Some(json!({ "field": "message_template_status_update" }))
    );
    let id = envelope
        .event_id
        .strip_prefix("whatsapp:demo:message_template_status_update:")
        .expect("a stand-in id named by the field");
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|byte| byte.is_ascii_hexdigit()));
}

#[test]
fn a_stand_in_id_is_stable_and_differs_by_account() {
    let first = only_envelope("template_status").event_id;
    assert_eq!(only_envelope("template_status").event_id, first);
    let other_account = fixture("template_status").replace(WABA_ID, "102290129340399");
    let other = envelopes(&other_account).expect("accepted").remove(0);
    assert_eq!(other.chat_id, "102290129340399");
    assert_ne!(other.event_id, first);
}

#[test]
fn every_message_and_status_of_every_change_is_an_event_in_order() {
    let all = fixture_envelopes("batch");
    let summary: Vec<(EventKind, &str, Option<&str>)> = all
        .iter()
        .map(|envelope| {
            (
                envelope.event,
                envelope.chat_id.as_str(),
                envelope.message.text.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (EventKind::Message, CUSTOMER, Some("first")),
            (EventKind::Message, CUSTOMER, Some("second")),
            (EventKind::Delivered, CUSTOMER, None),
            (EventKind::Seen, CUSTOMER, None),
            (EventKind::Other, "102290129340399", None),
        ]
    );
    let mut ids: Vec<&str> = all
        .iter()
        .map(|envelope| envelope.event_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "{ids:#?}");
    assert_eq!(context(&all[4]), json!({ "waba_id": "102290129340399" }));
}

#[test]
fn an_item_of_another_shape_is_other_and_kept_whole() {
    let body = fixture("text").replace(
        "\"messages\": [",
        "\"messages\": [\n{\"id\": {\"unexpected\": true}, \"type\": \"text\"},",
    );
    let all = envelopes(&body).expect("accepted");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].event, EventKind::Other);
    assert_eq!(all[0].chat_id, WABA_ID);
    assert_eq!(
        raw(&all[0]),
        json!({ "id": { "unexpected": true }, "type": "text" })
    );
    assert!(all[0].event_id.starts_with("whatsapp:demo:message:"));
    assert_eq!(all[1].event, EventKind::Message);
}

#[test]
fn a_known_type_without_its_content_and_an_unknown_interactive_reply_are_other() {
    let bare = fixture("image").replace("\"image\": {", "\"picture\": {");
    let envelope = envelopes(&bare).expect("accepted").remove(0);
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.message.data, Some(json!({ "type": "image" })));

    let unknown = fixture("interactive_button_reply").replace(
        "\"type\": \"button_reply\"",
        "\"type\": \"call_permission_reply\"",
    );
    let envelope = envelopes(&unknown).expect("accepted").remove(0);
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(
        envelope.message.data.expect("data")["interactive_type"],
        "call_permission_reply"
    );
}

#[test]
fn another_object_is_normalized_and_named_in_the_context() {
    let body = fixture("text").replace("whatsapp_business_account", "page");
    let envelope = envelopes(&body).expect("accepted").remove(0);
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(context(&envelope)["object"], "page");
    assert_eq!(context(&only_envelope("text")).get("object"), None);
}

#[test]
fn entries_and_changes_without_events_give_none() {
    for body in [
        r#"{"object":"whatsapp_business_account","entry":[]}"#,
        r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}]}"#,
        r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":null}]}"#,
    ] {
        assert_eq!(envelopes(body).expect("accepted").len(), 0, "{body}");
    }
}

#[test]
fn a_messages_change_with_nothing_in_it_is_still_enqueued() {
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"7","changes":[{"field":"messages","value":{"messaging_product":"whatsapp"}}]}]}"#;
    let envelope = envelopes(body).expect("accepted").remove(0);
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, "7");
    assert_eq!(envelope.message.data, Some(json!({ "field": "messages" })));
}
