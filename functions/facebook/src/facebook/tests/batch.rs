//! Whole requests: order, `raw`, event ids within a batch, kinds not known, malformed bodies.

use serde_json::json;
use shared_core::envelope::{EventKind, MessageType};

use super::*;

#[test]
fn every_item_of_every_entry_in_order() {
    let envelopes = fixture_envelopes("batch");
    let seen: Vec<(&str, EventKind, Option<&str>)> = envelopes
        .iter()
        .map(|envelope| {
            (
                envelope.chat_id.as_str(),
                envelope.event,
                envelope.message.payload.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (PSID, EventKind::Message, None),
            (PSID, EventKind::Callback, Some("GET_STARTED")),
            ("6912345678901234", EventKind::Callback, Some("COLOR_RED")),
        ]
    );
    let ids: Vec<&str> = envelopes
        .iter()
        .map(|envelope| envelope.event_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "facebook:demo:m_AAA1",
            "facebook:demo:m_AAA2",
            "facebook:demo:m_AAA3"
        ]
    );
    assert_eq!(envelopes[0].message.text.as_deref(), Some("hello"));
    assert_eq!(envelopes[0].message.kind, MessageType::Text);
    assert_eq!(envelopes[1].timestamp, rfc3339(T + 400));
}

#[test]
fn raw_is_the_single_item_byte_for_byte() {
    let body = fixture("batch");
    let envelopes = envelopes(&body).expect("accepted");
    let items: Vec<&str> = envelopes
        .iter()
        .map(|envelope| envelope.raw.get())
        .collect();
    for raw in &items {
        assert!(
            raw.starts_with('{') && shared_core::testing::one_line(&body).contains(raw),
            "{raw}"
        );
        assert!(!raw.contains("\"entry\""), "{raw}");
    }
    let compact = r#"{"object":"page","entry":[{"id":"1","time":5,"messaging":[{"sender":{"id":"2"},  "timestamp":7,"message":{"mid":"m_1","text":"a\u00e9"}}]}]}"#;
    let envelope = envelopes_of(compact).remove(0);
    assert_eq!(
        envelope.raw.get(),
        r#"{"sender":{"id":"2"},  "timestamp":7,"message":{"mid":"m_1","text":"a\u00e9"}}"#
    );
    assert_eq!(envelope.message.text.as_deref(), Some("a\u{e9}"));
}

fn envelopes_of(body: &str) -> Vec<shared_core::envelope::Envelope> {
    envelopes(body).unwrap_or_else(|rejection| panic!("{body}: {rejection}"))
}

#[test]
fn kinds_added_later_are_other_with_raw() {
    let body = json!({ "object": "page", "entry": [{ "id": PAGE_ID, "time": T, "messaging": [
        { "sender": { "id": PSID }, "recipient": { "id": PAGE_ID }, "timestamp": T, "game_play": { "game_id": "1", "score": 3 } }
    ] }] })
    .to_string();
    let envelope = envelopes_of(&body).remove(0);
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, PSID);
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{T}:game_play")
    );
    assert!(envelope.raw.get().contains("game_play"));
}

#[test]
fn items_of_an_unexpected_shape_are_other_not_lost() {
    let body = json!({ "object": "page", "entry": [{ "id": PAGE_ID, "time": T, "messaging": [
        "not an object",
        { "sender": { "id": PSID }, "timestamp": T, "message": { "mid": 42, "attachments": "none" } },
        { "sender": { "id": PSID }, "timestamp": T, "reaction": "love" }
    ] }] })
    .to_string();
    let envelopes = envelopes_of(&body);
    let kinds: Vec<EventKind> = envelopes.iter().map(|envelope| envelope.event).collect();
    assert_eq!(
        kinds,
        [EventKind::Other, EventKind::Other, EventKind::Other]
    );
    assert_eq!(envelopes[0].chat_id, PAGE_ID);
    assert!(
        envelopes[0]
            .event_id
            .starts_with(&format!("facebook:demo:{PAGE_ID}:{T}:unknown"))
    );
    assert_eq!(
        envelopes[1].event_id,
        format!("facebook:demo:{PSID}:{T}:message")
    );
    assert_eq!(
        envelopes[2].event_id,
        format!("facebook:demo:{PSID}:{T}:reaction")
    );
}

#[test]
fn page_changes_are_other_from_changes() {
    let body = json!({ "object": "page", "entry": [{ "id": PAGE_ID, "time": T, "changes": [
        { "field": "feed", "value": { "item": "comment", "verb": "add" } }
    ] }] })
    .to_string();
    let envelope = envelopes_of(&body).remove(0);
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, PAGE_ID);
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PAGE_ID}:{T}:feed")
    );
    assert_eq!(context(&envelope), page_context("changes"));
}

#[test]
fn two_different_events_never_share_an_id() {
    let reaction = |emoji: &str, mid: &str| {
        json!({ "sender": { "id": PSID }, "recipient": { "id": PAGE_ID }, "timestamp": T,
        "reaction": { "reaction": "other", "emoji": emoji, "action": "react", "mid": mid } })
    };
    let body = json!({ "object": "page", "entry": [{ "id": PAGE_ID, "time": T, "messaging": [
        reaction("a", "m_1"), reaction("b", "m_2"), reaction("a", "m_1")
    ] }] })
    .to_string();
    let envelopes = envelopes_of(&body);
    let base = format!("facebook:demo:{PSID}:{T}:reaction");
    assert_eq!(envelopes[0].event_id, base);
    assert_ne!(envelopes[1].event_id, base);
    assert!(
        envelopes[1].event_id.starts_with(&format!("{base}:")),
        "{}",
        envelopes[1].event_id
    );
    // The very same item twice is the same event: same id, so the queue keeps one.
    assert_eq!(envelopes[2].event_id, base);
    // Stable: the same request gives the same ids.
    let again: Vec<String> = envelopes_of(&body)
        .into_iter()
        .map(|envelope| envelope.event_id)
        .collect();
    let first: Vec<String> = envelopes
        .into_iter()
        .map(|envelope| envelope.event_id)
        .collect();
    assert_eq!(again, first);
}

#[test]
fn an_item_with_no_time_at_all_gets_a_digest_in_its_id() {
    let body = json!({ "object": "page", "entry": [{ "id": PAGE_ID, "messaging": [
        { "sender": { "id": PSID }, "reaction": { "action": "unreact", "mid": "m_9" } }
    ] }] })
    .to_string();
    let envelope = envelopes_of(&body).remove(0);
    let id = envelope
        .event_id
        .strip_prefix(&format!("facebook:demo:{PSID}:"))
        .expect("sender first");
    let (digest, kind) = id.split_once(':').expect("digest then kind");
    assert_eq!(kind, "reaction");
    assert_eq!(digest.len(), 16);
    assert!(digest.bytes().all(|byte| byte.is_ascii_hexdigit()));
    assert_eq!(envelope.timestamp, None);
}

#[test]
fn an_empty_batch_or_entry_enqueues_nothing() {
    assert!(envelopes_of(r#"{"object":"page","entry":[]}"#).is_empty());
    assert!(envelopes_of(r#"{"object":"page","entry":[{"id":"1","time":1}]}"#).is_empty());
    assert!(envelopes_of(r#"{"entry":[{"id":1,"messaging":[]}]}"#).is_empty());
}

#[test]
fn bodies_that_are_not_what_meta_sends_are_malformed() {
    for body in [
        "",
        "not json",
        "[]",
        r#"{"object":"page"}"#,
        r#"{"object":"page","entry":{}}"#,
        r#"{"object":"page","entry":[{"time":1,"messaging":[]}]}"#,
        r#"{"object":"page","entry":[{"id":"1","messaging":{}}]}"#,
        r#"{"object":"page","entry":["x"]}"#,
    ] {
        assert!(
            matches!(envelopes(body), Err(Rejection::Malformed(_))),
            "{body}"
        );
    }
}
