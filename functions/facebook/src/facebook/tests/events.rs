//! Everything besides user messages: postbacks, referrals, receipts, reactions, edits, opt-ins,
//! handover, standby and Instagram.

use serde_json::json;
use shared_core::envelope::{EventKind, Message, MessageType, User};

use super::*;

#[test]
fn a_postback_is_a_callback_with_its_title_and_ref() {
    let envelope = only_envelope("postback");
    assert_eq!(envelope.event, EventKind::Callback);
    assert_eq!(envelope.chat_id, PSID);
    let expected = Message {
        text: Some("Get Started".to_owned()),
        ..Message::of(MessageType::Button)
            .with_id("m_postback_1")
            .with_payload("GET_STARTED")
    };
    assert_eq!(envelope.message, expected);
    assert_eq!(envelope.referral.as_deref(), Some("summer-campaign"));
    assert_eq!(envelope.event_id, "facebook:demo:m_postback_1");
    assert_eq!(envelope.user, Some(User::id(PSID)));
}

#[test]
fn a_postback_without_mid_gets_the_fallback_id() {
    let body = fixture("postback").replace(r#""mid": "m_postback_1","#, "");
    let envelope = envelopes(&body).expect("accepted").remove(0);
    assert_eq!(envelope.message.id, None);
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{T}:callback")
    );
}

#[test]
fn a_referral_starts_a_conversation() {
    let envelope = only_envelope("referral");
    assert_eq!(envelope.event, EventKind::ConversationStarted);
    assert_eq!(envelope.chat_id, PSID);
    assert_eq!(envelope.referral.as_deref(), Some("summer-campaign"));
    assert_eq!(envelope.message.kind, MessageType::None);
    assert_eq!(
        envelope.message.data,
        Some(json!({ "ref": "summer-campaign", "source": "SHORTLINK", "type": "OPEN_THREAD" }))
    );
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{T}:conversation_started")
    );
}

#[test]
fn a_delivery_is_delivered_at_its_watermark() {
    let envelope = only_envelope("delivery");
    let watermark = T - 253;
    assert_eq!(envelope.event, EventKind::Delivered);
    assert_eq!(envelope.chat_id, PSID);
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{watermark}:delivered")
    );
    assert_eq!(envelope.timestamp, rfc3339(watermark));
    assert_eq!(
        envelope.message.data,
        Some(json!({ "mids": ["mid.1458668856218:ed81099e15d3f4f233"], "watermark": watermark }))
    );
}

#[test]
fn a_read_is_seen() {
    let envelope = only_envelope("read");
    assert_eq!(envelope.event, EventKind::Seen);
    assert_eq!(envelope.chat_id, PSID);
    assert_eq!(envelope.event_id, format!("facebook:demo:{PSID}:{T}:seen"));
    assert_eq!(envelope.timestamp, rfc3339(T));
    assert_eq!(envelope.message.data, Some(json!({ "watermark": T - 37 })));
    let zero = fixture("read").replace(&format!(r#""timestamp": {T}"#), r#""timestamp": 0"#);
    let envelope = envelopes(&zero).expect("accepted").remove(0);
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{}:seen", T - 37)
    );
}

#[test]
fn a_reaction_carries_what_and_on_which_message() {
    let envelope = only_envelope("reaction");
    assert_eq!(envelope.event, EventKind::Reaction);
    assert_eq!(envelope.chat_id, PSID);
    assert_eq!(
        envelope.message.data,
        Some(
            json!({ "reaction": "love", "emoji": "\u{2764}\u{fe0f}", "action": "react", "mid": "m_reacted_to_1" })
        )
    );
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{T}:reaction")
    );
}

#[test]
fn an_edit_is_edited_with_the_new_text() {
    let envelope = only_envelope("message_edit");
    assert_eq!(envelope.event, EventKind::Edited);
    assert_eq!(envelope.message.kind, MessageType::Text);
    assert_eq!(
        envelope.message.text.as_deref(),
        Some("hello, world (edited)")
    );
    assert_eq!(envelope.message.id.as_deref(), Some("m_edited_1"));
    assert_eq!(envelope.message.data, Some(json!({ "num_edit": 1 })));
    // Not the edited message's mid: that one already names the original message.
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{T}:edited")
    );
}

#[test]
fn an_optin_subscribes_with_its_ref() {
    let envelope = only_envelope("optin");
    assert_eq!(envelope.event, EventKind::Subscribed);
    assert_eq!(envelope.chat_id, PSID);
    assert_eq!(envelope.referral.as_deref(), Some("checkout-page"));
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{T}:subscribed")
    );
}

#[test]
fn a_checkbox_optin_without_sender_answers_to_its_user_ref() {
    let envelope = only_envelope("optin_checkbox");
    assert_eq!(envelope.event, EventKind::Subscribed);
    assert_eq!(envelope.chat_id, "ur_checkbox_77");
    assert_eq!(envelope.user, Some(User::id("ur_checkbox_77")));
    assert_eq!(envelope.referral.as_deref(), Some("newsletter-box"));
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:ur_checkbox_77:{T}:subscribed")
    );
}

#[test]
fn stopping_marketing_messages_unsubscribes() {
    let envelope = only_envelope("optin_stop");
    assert_eq!(envelope.event, EventKind::Unsubscribed);
    assert_eq!(envelope.message.payload.as_deref(), Some("weekly-deals"));
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{T}:unsubscribed")
    );
    let spaced = fixture("optin_stop").replace("STOP_NOTIFICATIONS", "STOP NOTIFICATIONS");
    assert_eq!(
        envelopes(&spaced).expect("accepted")[0].event,
        EventKind::Unsubscribed
    );
    let resumed = fixture("optin_stop").replace("STOP_NOTIFICATIONS", "RESUME_NOTIFICATIONS");
    assert_eq!(
        envelopes(&resumed).expect("accepted")[0].event,
        EventKind::Subscribed
    );
}

#[test]
fn account_linking_is_other() {
    let envelope = only_envelope("account_linking");
    assert_eq!(envelope.event, EventKind::Other);
    assert_eq!(envelope.chat_id, PSID);
    assert_eq!(envelope.user, Some(User::id(PSID)));
    assert_eq!(envelope.message, Message::of(MessageType::None));
    assert_eq!(
        envelope.event_id,
        format!("facebook:demo:{PSID}:{T}:account_linking")
    );
}

#[test]
fn handover_and_page_notices_are_other_each_with_its_own_id() {
    let envelopes = fixture_envelopes("handover");
    let ids: Vec<&str> = envelopes
        .iter()
        .map(|envelope| envelope.event_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            format!("facebook:demo:{PSID}:{T}:pass_thread_control"),
            format!("facebook:demo:{PSID}:{}:take_thread_control", T + 1),
            format!("facebook:demo:{PSID}:{}:request_thread_control", T + 2),
            format!("facebook:demo:{PAGE_ID}:{}:app_roles", T + 3),
            format!("facebook:demo:{PAGE_ID}:{}:policy_enforcement", T + 4),
        ]
    );
    assert!(
        envelopes
            .iter()
            .all(|envelope| envelope.event == EventKind::Other)
    );
    // app_roles and policy_enforcement have no sender: they are the page's.
    assert_eq!(envelopes[3].chat_id, PAGE_ID);
    assert_eq!(envelopes[3].user, None);
    assert_eq!(envelopes[0].chat_id, PSID);
}

#[test]
fn standby_items_are_events_from_standby() {
    let envelopes = fixture_envelopes("standby");
    assert_eq!(envelopes.len(), 1, "the standby echo is left out");
    assert_eq!(
        envelopes[0].message,
        Message::text("is anyone there?").with_id("m_standby_1")
    );
    assert_eq!(context(&envelopes[0]), page_context("standby"));
}

#[test]
fn instagram_messages_unsends_and_reads() {
    let envelopes = fixture_envelopes("instagram");
    let igsid = "1254459154682919";
    let mid = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1MzA5MjExODQ0";
    let kinds: Vec<EventKind> = envelopes.iter().map(|envelope| envelope.event).collect();
    assert_eq!(
        kinds,
        [EventKind::Message, EventKind::Deleted, EventKind::Seen]
    );
    assert!(envelopes.iter().all(|envelope| envelope.chat_id == igsid));
    assert_eq!(
        context(&envelopes[0]),
        json!({ "page_id": "17841405309211844", "source": "messaging", "object": "instagram" })
    );
    assert_eq!(envelopes[0].event_id, format!("facebook:demo:{mid}"));
    assert_eq!(envelopes[1].message.id.as_deref(), Some(mid));
    assert_eq!(
        envelopes[1].event_id,
        format!("facebook:demo:{igsid}:{}:deleted", T + 60_000)
    );
    assert_eq!(
        envelopes[2].message.id.as_deref(),
        Some("aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1MzA5MjExODQ1")
    );
    assert_eq!(
        envelopes[2].event_id,
        format!("facebook:demo:{igsid}:{}:seen", T + 61_000)
    );
}
