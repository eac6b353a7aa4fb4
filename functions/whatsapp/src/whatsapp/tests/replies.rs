//! What customers do with messages: buttons, list rows, flows, reactions, replies, forwards,
//! edits and deletions, and opening a chat.

use shared_core::envelope::{EventKind, MessageType};

use super::*;

/// The message with the buttons the customer tapped (the fixtures' `context.id`).
const BUTTONS_MESSAGE: &str = "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=";
const REACTED: &str = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTQ1RTI1NDhCMzUyMUZCQzUA";
const ORIGINAL: &str = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUFERjg0NDEzNDdFODU3MUMx01AA=";

fn buttons_context() -> Value {
    json!({ "context": { "from": DISPLAY_PHONE_NUMBER, "id": BUTTONS_MESSAGE } })
}

#[test]
fn a_reply_button_is_a_callback_with_the_button_id() {
    let envelope = only_envelope("interactive_button_reply");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(envelope.message.kind, MessageType::Button);
    assert_eq!(envelope.message.payload.as_deref(), Some("cancel-button"));
    assert_eq!(envelope.message.text.as_deref(), Some("Cancel"));
    assert_eq!(envelope.message.reply_to.as_deref(), Some(BUTTONS_MESSAGE));
    assert_eq!(envelope.message.data, Some(buttons_context()));
    assert_eq!(envelope.user, Some(customer()));
}

#[test]
fn a_list_row_is_a_callback_with_the_row_id() {
    let envelope = only_envelope("interactive_list_reply");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.message.kind, MessageType::Button);
    assert_eq!(
        envelope.message.payload.as_deref(),
        Some("priority_express")
    );
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("Priority Mail Express")
    );
    let data = envelope.message.data.expect("data");
    assert_eq!(data["description"], "Next Day to 2 Days");
    assert_eq!(data["context"], buttons_context()["context"]);
}

#[test]
fn a_completed_flow_is_a_callback_with_its_response_json() {
    let envelope = only_envelope("interactive_nfm_reply");
    assert_eq!(envelope.event, EventKind::Callback);
    let payload = envelope.message.payload.expect("the flow's answers");
    let answers: Value = serde_json::from_str(&payload).expect("response_json is JSON");
    assert_eq!(answers["first_name"], "Sheena");
    assert_eq!(envelope.message.text.as_deref(), Some("Sent"));
    assert_eq!(envelope.message.data.expect("data")["flow_name"], "flow");
}

#[test]
fn a_template_quick_reply_is_a_callback_with_the_button_payload() {
    let envelope = only_envelope("button");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.message.kind, MessageType::Button);
    assert_eq!(
        envelope.message.payload.as_deref(),
        Some("Unsubscribe from Promos")
    );
    assert_eq!(
        envelope.message.reply_to.as_deref(),
        Some("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NTQ1RTI1NDhCMzUyMUZCQzYA")
    );
}

#[test]
fn a_reaction_and_its_removal() {
    let envelope = only_envelope("reaction");
    assert_eq!(envelope.event, EventKind::Reaction);
    assert_eq!(envelope.message.kind, MessageType::None);
    assert_eq!(
        envelope.message.data,
        Some(json!({ "action": "react", "emoji": "\u{1F44D}", "message_id": REACTED }))
    );
    assert!(envelope.event_id.starts_with("whatsapp:demo:wamid."));

    let removed = only_envelope("reaction_removed");
    assert_eq!(removed.event, EventKind::Reaction);
    assert_eq!(
        removed.message.data,
        Some(json!({ "action": "unreact", "message_id": REACTED }))
    );
    let empty = fixture("reaction").replace("\u{1F44D}", "");
    assert_eq!(
        envelopes(&empty).expect("accepted")[0].message.data,
        removed.message.data
    );
}

#[test]
fn a_reply_names_the_message_it_answers() {
    let envelope = only_envelope("reply");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.text.as_deref(), Some("Yes, that one"));
    let answered = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";
    assert_eq!(envelope.message.reply_to.as_deref(), Some(answered));
    assert_eq!(
        envelope.message.data,
        Some(json!({ "context": { "from": DISPLAY_PHONE_NUMBER, "id": answered } }))
    );
}

#[test]
fn a_forward_is_no_reply() {
    let envelope = only_envelope("forwarded");
    assert_eq!(envelope.message.kind, MessageType::Image);
    assert_eq!(envelope.message.reply_to, None);
    let data = envelope.message.data.expect("data");
    assert_eq!(data["context"], json!({ "forwarded": true }));
    assert_eq!(envelope.message.attachments[0].url, None);
}

#[test]
fn an_edit_carries_the_new_content_of_the_original_message() {
    let envelope = only_envelope("edit");
    assert_eq!(envelope.event, EventKind::Edited);
    assert_eq!(envelope.message.kind, MessageType::Text);
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("Does it come in another colour?")
    );
    assert_eq!(envelope.message.id.as_deref(), Some(ORIGINAL));
    assert_eq!(
        envelope.message.data,
        Some(json!({ "original_message_id": ORIGINAL }))
    );
    // The edit has an id of its own: a retry of it deduplicates, the original message does not.
    let own = first_item("edit", "messages")["id"].clone();
    assert_eq!(
        envelope.event_id,
        format!("whatsapp:demo:{}", own.as_str().expect("an id"))
    );
    assert_ne!(own, ORIGINAL);
}

#[test]
fn a_revoke_deletes_the_original_message() {
    let envelope = only_envelope("revoke");
    assert_eq!(envelope.event, EventKind::Deleted);
    assert_eq!(envelope.message.kind, MessageType::None);
    assert_eq!(envelope.message.id.as_deref(), Some(ORIGINAL));
    assert_eq!(envelope.chat_id, CUSTOMER);
}

#[test]
fn a_welcome_request_starts_the_conversation() {
    let envelope = only_envelope("request_welcome");
    assert_eq!(envelope.event, EventKind::ConversationStarted);
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(envelope.user, Some(customer()));
    assert_eq!(envelope.message.kind, MessageType::None);
}
