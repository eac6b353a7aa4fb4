//! What became of the business's own messages: sent, delivered, read, failed.

use shared_core::envelope::{EventKind, MessageType};

use super::*;

fn status_id(name: &str) -> String {
    first_item(name, "statuses")["id"]
        .as_str()
        .expect("a status id")
        .to_owned()
}

#[test]
fn delivered_names_the_message_and_its_recipient() {
    let envelope = only_envelope("status_delivered");
    let id = status_id("status_delivered");
    assert_eq!(envelope.event, EventKind::Delivered);
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(
        envelope.user,
        Some(shared_core::envelope::User::id(CUSTOMER))
    );
    assert_eq!(envelope.event_id, format!("whatsapp:demo:delivered:{id}"));
    assert_eq!(envelope.message.id.as_deref(), Some(id.as_str()));
    assert_eq!(envelope.message.kind, MessageType::None);
    assert_eq!(
        envelope.message.data,
        Some(json!({ "status": "delivered" }))
    );
    assert_eq!(envelope.timestamp, at(2));
    assert_eq!(context(&envelope), phone_context());
    assert_eq!(raw(&envelope), first_item("status_delivered", "statuses"));
}

#[test]
fn read_is_seen() {
    let envelope = only_envelope("status_read");
    assert_eq!(envelope.event, EventKind::Seen);
    assert_eq!(
        envelope.event_id,
        format!("whatsapp:demo:read:{}", status_id("status_read"))
    );
}

#[test]
fn failed_carries_the_errors() {
    let envelope = only_envelope("status_failed");
    assert_eq!(envelope.event, EventKind::Failed);
    assert_eq!(
        envelope.event_id,
        format!("whatsapp:demo:failed:{}", status_id("status_failed"))
    );
    let errors = first_item("status_failed", "statuses")["errors"].clone();
    assert_eq!(
        envelope.message.data,
        Some(json!({ "status": "failed", "errors": errors }))
    );
    assert_eq!(
        envelope.message.data.expect("data")["errors"][0]["code"],
        131026
    );
}

#[test]
fn sent_is_other() {
    let envelope = only_envelope("status_sent");
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, CUSTOMER);
    assert_eq!(
        envelope.event_id,
        format!("whatsapp:demo:sent:{}", status_id("status_sent"))
    );
    assert_eq!(envelope.message.data, Some(json!({ "status": "sent" })));
}

#[test]
fn each_status_of_one_message_is_its_own_event() {
    let delivered = fixture("status_delivered");
    let read = delivered.replace("\"delivered\"", "\"read\"");
    let ids: Vec<String> = [delivered, read]
        .iter()
        .map(|body| envelopes(body).expect("accepted").remove(0).event_id)
        .collect();
    assert_ne!(ids[0], ids[1]);
}
