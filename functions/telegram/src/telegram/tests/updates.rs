//! Every update kind of the Bot API.

use serde_json::json;
use shared_core::{EventKind, MessageType};

use super::{normalize, summary};

#[test]
fn edits_of_every_kind() {
    let edited = normalize("edited_message");
    assert_eq!(
        summary(&edited),
        (
            EventKind::Edited,
            "111222333",
            MessageType::Text,
            Some("hello there (fixed)"),
            None
        )
    );
    assert_eq!(
        edited.timestamp.as_deref(),
        Some("2026-11-24T12:59:20Z"),
        "the edit's time"
    );
    let post = normalize("edited_channel_post");
    assert_eq!(
        summary(&post),
        (
            EventKind::Edited,
            "-1009876543210",
            MessageType::Text,
            Some("Release 2.0.1 is out"),
            None
        )
    );
    let business = normalize("edited_business_message");
    assert_eq!(business.event, EventKind::Edited);
    assert_eq!(
        business.context.get("business_connection_id"),
        Some(&json!("BCxYz123"))
    );
}

#[test]
fn channel_posts_name_the_channel_as_sender() {
    let post = normalize("channel_post");
    assert_eq!(
        summary(&post),
        (
            EventKind::Message,
            "-1009876543210",
            MessageType::Text,
            Some("Release 2.0 is out"),
            None
        )
    );
    let user = post.user.unwrap();
    assert_eq!(
        (user.id.as_str(), user.name.as_deref()),
        ("-1009876543210", Some("News"))
    );
}

#[test]
fn business_messages_carry_their_connection() {
    let message = normalize("business_message");
    assert_eq!(
        summary(&message),
        (
            EventKind::Message,
            "444555666",
            MessageType::Text,
            Some("Is the shop open today?"),
            None
        )
    );
    assert_eq!(
        message.context.get("business_connection_id"),
        Some(&json!("BCxYz123"))
    );
    let deleted = normalize("deleted_business_messages");
    assert_eq!(
        (deleted.event, deleted.chat_id.as_str()),
        (EventKind::Deleted, "444555666")
    );
    assert_eq!(
        deleted.message.data.unwrap()["message_ids"],
        json!([17, 18])
    );
    let connection = normalize("business_connection");
    assert_eq!(
        (connection.event, connection.chat_id.as_str()),
        (EventKind::Other, "111222333")
    );
}

#[test]
fn callbacks_with_and_without_a_chat() {
    let button = normalize("callback_query");
    assert_eq!(
        summary(&button),
        (
            EventKind::Callback,
            "111222333",
            MessageType::Button,
            None,
            Some("choice:1")
        )
    );
    assert_eq!(button.message.id.as_deref(), Some("18"));
    assert_eq!(
        button.context.get("callback_query_id"),
        Some(&json!("4772291820873465721"))
    );
    let inline = normalize("callback_query_inline");
    assert_eq!(
        summary(&inline),
        (
            EventKind::Callback,
            "111222333",
            MessageType::Button,
            None,
            Some("vote:up")
        ),
        "the user's id when there is no chat"
    );
    assert_eq!(
        inline.context.get("inline_message_id"),
        Some(&json!("AAAAAHmVBQBdemo"))
    );
    let old = normalize("callback_query_inaccessible");
    assert_eq!(
        summary(&old),
        (
            EventKind::Callback,
            "111222333",
            MessageType::Button,
            None,
            Some("old:button")
        )
    );
}

#[test]
fn inline_mode_and_payments() {
    let query = normalize("inline_query");
    assert_eq!(
        summary(&query),
        (
            EventKind::Callback,
            "111222333",
            MessageType::Button,
            Some("pizza near me"),
            Some("pizza near me")
        )
    );
    assert_eq!(
        query.message.data.unwrap()["inline_query_id"],
        "2438100000000001"
    );
    let chosen = normalize("chosen_inline_result");
    assert_eq!(
        (chosen.event, chosen.chat_id.as_str()),
        (EventKind::Other, "111222333")
    );
    for name in ["shipping_query", "pre_checkout_query"] {
        let query = normalize(name);
        assert_eq!(
            summary(&query),
            (
                EventKind::Callback,
                "111222333",
                MessageType::Button,
                None,
                Some("order-77")
            ),
            "{name}"
        );
    }
    let paid = normalize("purchased_paid_media");
    assert_eq!(
        (paid.event, paid.message.payload.as_deref()),
        (EventKind::Other, Some("album-3"))
    );
}

#[test]
fn polls() {
    let poll = normalize("poll");
    assert_eq!(
        (poll.event, poll.chat_id.as_str()),
        (EventKind::Other, "unknown")
    );
    let answer = normalize("poll_answer");
    assert_eq!(
        summary(&answer),
        (
            EventKind::Callback,
            "111222333",
            MessageType::Button,
            None,
            Some("0,2")
        )
    );
}

#[test]
fn a_private_chat_blocking_or_restarting_the_bot() {
    let blocked = normalize("my_chat_member_blocked");
    assert_eq!(
        (blocked.event, blocked.chat_id.as_str()),
        (EventKind::Unsubscribed, "111222333")
    );
    assert_eq!(
        blocked.user.unwrap().id,
        "111222333",
        "the user, not the bot"
    );
    let restarted = normalize("my_chat_member_restarted");
    assert_eq!(restarted.event, EventKind::Subscribed);
}

#[test]
fn members_joining_and_leaving_groups() {
    let added = normalize("my_chat_member_added_to_group");
    assert_eq!(
        (added.event, added.chat_id.as_str()),
        (EventKind::MemberJoined, "-1001234567890")
    );
    let joined = normalize("chat_member_joined");
    assert_eq!(joined.event, EventKind::MemberJoined);
    assert_eq!(joined.user.unwrap().id, "444555666");
    let left = normalize("chat_member_left");
    assert_eq!(left.event, EventKind::MemberLeft);
    let request = normalize("chat_join_request");
    assert_eq!(
        (request.event, request.chat_id.as_str()),
        (EventKind::Other, "444555666"),
        "the private chat the bot may answer in"
    );
}

#[test]
fn reactions_and_boosts() {
    let reaction = normalize("message_reaction");
    assert_eq!(
        (
            reaction.event,
            reaction.chat_id.as_str(),
            reaction.message.id.as_deref()
        ),
        (EventKind::Reaction, "-1001234567890", Some("5"))
    );
    assert_eq!(
        reaction.message.data.unwrap()["new_reaction"][0]["emoji"],
        "\u{1F44D}"
    );
    let count = normalize("message_reaction_count");
    assert_eq!(
        (count.event, count.chat_id.as_str()),
        (EventKind::Reaction, "-1009876543210")
    );
    for name in ["chat_boost", "removed_chat_boost"] {
        let boost = normalize(name);
        assert_eq!(
            (boost.event, boost.chat_id.as_str()),
            (EventKind::Other, "-1009876543210"),
            "{name}"
        );
        assert_eq!(boost.message.data.unwrap()["boost_id"], "boost-1", "{name}");
    }
}
