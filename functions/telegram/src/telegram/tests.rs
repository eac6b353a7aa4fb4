//! Normalization of every update kind and content type, on the fixtures beside the crate.

use http::{HeaderMap, HeaderValue, Method};
use serde_json::{Value, json};
use shared::testing::receive_envelopes;
use shared::{Envelope, EventKind, MessageType, Rejection, Request, SecretString};

use super::{SECRET_TOKEN_HEADER, Secret, Telegram};

const TOKEN: &str = "tg-secret_Token-1";

fn secret() -> Secret {
    Secret {
        secret_token: SecretString::new(TOKEN),
        token: Some(SecretString::new("123456:ABC")),
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn headers(token: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(token) = token {
        headers.insert(SECRET_TOKEN_HEADER, HeaderValue::from_str(token).unwrap());
    }
    headers
}

fn run(body: &[u8], token: Option<&str>) -> Result<Vec<Envelope>, Rejection> {
    let headers = headers(token);
    let request = Request {
        method: &Method::POST,
        headers: &headers,
        query: None,
        path_suffix: "",
        body,
    };
    receive_envelopes(&Telegram, &request, &secret())
}

/// The one envelope a fixture becomes, checked against the schema.
fn normalize(name: &str) -> Envelope {
    let mut envelopes = run(&fixture(name), Some(TOKEN)).unwrap();
    assert_eq!(envelopes.len(), 1, "{name}");
    let envelope = envelopes.remove(0);
    let raw: Value = serde_json::from_str(envelope.raw.get()).unwrap();
    let original: Value = serde_json::from_slice(&fixture(name)).unwrap();
    assert_eq!(raw, original, "{name}: raw is the update as received");
    assert_eq!(
        envelope.event_id,
        format!("telegram:demo:{}", original["update_id"]),
        "{name}"
    );
    envelope
}

fn summary(envelope: &Envelope) -> (EventKind, &str, MessageType, Option<&str>, Option<&str>) {
    let message = &envelope.message;
    (
        envelope.event,
        envelope.chat_id.as_str(),
        message.kind,
        message.text.as_deref(),
        message.payload.as_deref(),
    )
}

#[test]
fn text_message() {
    let envelope = normalize("message_text");
    assert_eq!(
        summary(&envelope),
        (
            EventKind::Message,
            "111222333",
            MessageType::Text,
            Some("hello there"),
            None
        )
    );
    assert_eq!(envelope.message.id.as_deref(), Some("17"));
    assert_eq!(envelope.timestamp.as_deref(), Some("2026-11-24T12:58:20Z"));
    let user = envelope.user.unwrap();
    assert_eq!(
        (
            user.id.as_str(),
            user.name.as_deref(),
            user.username.as_deref(),
            user.language.as_deref(),
            user.is_bot
        ),
        (
            "111222333",
            Some("Ann Lee"),
            Some("ann"),
            Some("en"),
            Some(false)
        )
    );
}

#[test]
fn start_with_a_deep_link_parameter_is_a_command_with_ref() {
    let envelope = normalize("message_command_start");
    assert_eq!(
        summary(&envelope),
        (
            EventKind::Command,
            "111222333",
            MessageType::Text,
            Some("/start promo42"),
            Some("/start")
        )
    );
    assert_eq!(envelope.referral.as_deref(), Some("promo42"));
}

#[test]
fn addressed_command_in_a_forum_topic_keeps_the_thread() {
    let envelope = normalize("message_command_in_group");
    assert_eq!(
        summary(&envelope),
        (
            EventKind::Command,
            "-1001234567890",
            MessageType::Text,
            Some("/help@demo_bot now"),
            Some("/help@demo_bot")
        )
    );
    assert_eq!(
        envelope.referral, None,
        "only /start carries a deep-link parameter"
    );
    assert_eq!(envelope.context.get("message_thread_id"), Some(&json!(7)));
}

#[test]
fn a_slash_that_telegram_did_not_mark_as_a_command_is_text() {
    let envelope = normalize("message_slash_not_command");
    assert_eq!(envelope.event, EventKind::Message);
    assert_eq!(envelope.message.payload, None);
}

#[test]
fn photo_takes_the_largest_size_and_keeps_caption_reply_and_entities() {
    let envelope = normalize("message_photo");
    assert_eq!(
        summary(&envelope),
        (
            EventKind::Message,
            "-1001234567890",
            MessageType::Image,
            Some("look at *this*"),
            None
        )
    );
    let attachment = &envelope.message.attachments[0];
    assert_eq!(
        (attachment.file_id.as_deref(), attachment.size),
        (Some("AgACAgIAAxkBAAMFlarge"), Some(60512))
    );
    assert_eq!(envelope.message.attachments.len(), 1);
    assert_eq!(envelope.message.reply_to.as_deref(), Some("15"));
    assert_eq!(
        envelope.message.entities,
        Some(json!([{"offset": 8, "length": 6, "type": "bold"}]))
    );
}

#[test]
fn every_file_type_becomes_an_attachment() {
    let cases = [
        (
            "message_video",
            MessageType::Video,
            "BAACAgIAAxkBvideo",
            Some("video/mp4"),
            Some("a clip"),
        ),
        (
            "message_animation",
            MessageType::Video,
            "CgACAgIAAxkBgif",
            Some("video/mp4"),
            None,
        ),
        (
            "message_video_note",
            MessageType::Video,
            "DQACAgIAAxkBnote",
            None,
            None,
        ),
        (
            "message_audio",
            MessageType::Audio,
            "CQACAgIAAxkBaudio",
            Some("audio/mpeg"),
            None,
        ),
        (
            "message_voice",
            MessageType::Voice,
            "AwACAgIAAxkBvoice",
            Some("audio/ogg"),
            None,
        ),
        (
            "message_document",
            MessageType::File,
            "BQACAgIAAxkBdoc",
            Some("application/pdf"),
            Some("my invoice"),
        ),
        (
            "message_sticker",
            MessageType::Sticker,
            "CAACAgIAAxkBsticker",
            None,
            Some("\u{1F600}"),
        ),
    ];
    for (name, kind, file_id, mime, text) in cases {
        let envelope = normalize(name);
        let attachment = &envelope.message.attachments[0];
        assert_eq!(
            (envelope.event, envelope.message.kind, attachment.kind),
            (EventKind::Message, kind, kind),
            "{name}"
        );
        assert_eq!(
            (
                attachment.file_id.as_deref(),
                attachment.mime_type.as_deref()
            ),
            (Some(file_id), mime),
            "{name}"
        );
        assert_eq!(envelope.message.text.as_deref(), text, "{name}");
    }
    let document = normalize("message_document");
    assert_eq!(
        (
            document.message.attachments[0].name.as_deref(),
            document.message.attachments[0].size
        ),
        (Some("invoice.pdf"), Some(52000))
    );
}

#[test]
fn location_venue_and_contact() {
    let location = normalize("message_location");
    assert_eq!(location.message.kind, MessageType::Location);
    let point = location.message.location.unwrap();
    assert_eq!((point.lat, point.lon), (52.520008, 13.404954));
    let venue = normalize("message_venue");
    assert_eq!(venue.message.kind, MessageType::Location);
    assert_eq!(
        venue.message.data.unwrap()["venue"]["title"],
        "Eiffel Tower"
    );
    let contact = normalize("message_contact");
    assert_eq!(contact.message.kind, MessageType::Contact);
    assert_eq!(
        contact.message.data.unwrap()["contact"]["phone_number"],
        "+15555550100"
    );
}

#[test]
fn dice_poll_and_web_app_data() {
    let dice = normalize("message_dice");
    assert_eq!(
        (dice.event, dice.message.kind),
        (EventKind::Message, MessageType::None)
    );
    assert_eq!(dice.message.data.unwrap()["dice"]["value"], 4);
    let poll = normalize("message_poll");
    assert_eq!(poll.message.kind, MessageType::Rich);
    assert_eq!(poll.message.data.unwrap()["poll"]["question"], "Lunch?");
    let web_app = normalize("message_web_app_data");
    assert_eq!(
        summary(&web_app),
        (
            EventKind::Message,
            "111222333",
            MessageType::Button,
            Some("Order"),
            Some("{\"size\":\"L\"}")
        )
    );
}

#[test]
fn service_messages_about_members() {
    let joined = normalize("message_new_members");
    assert_eq!(
        (joined.event, joined.chat_id.as_str()),
        (EventKind::MemberJoined, "-1001234567890")
    );
    assert_eq!(joined.user.unwrap().id, "444555666");
    let left = normalize("message_left_member");
    assert_eq!(left.event, EventKind::MemberLeft);
    assert_eq!(left.user.unwrap().id, "444555666");
}

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

#[test]
fn an_update_kind_added_later_is_other_with_its_raw() {
    let envelope = normalize("future_kind");
    assert_eq!(
        (envelope.event, envelope.message.kind),
        (EventKind::Other, MessageType::None)
    );
}

#[test]
fn a_known_kind_with_an_unexpected_shape_is_other_not_an_error() {
    let envelopes = run(
        br#"{"update_id": 5, "message": {"message_id": "not a number"}}"#,
        Some(TOKEN),
    )
    .unwrap();
    assert_eq!(envelopes[0].event, EventKind::Other);
}

#[test]
fn the_secret_token_must_match_exactly() {
    let body = fixture("message_text");
    assert_eq!(
        run(&body, None).unwrap_err(),
        Rejection::Unauthenticated("no secret token header")
    );
    assert_eq!(
        run(&body, Some("tg-secret_Token-")).unwrap_err(),
        Rejection::Unauthenticated("wrong secret token")
    );
    assert_eq!(
        run(&body, Some("tg-secret_Token-1x")).unwrap_err(),
        Rejection::Unauthenticated("wrong secret token")
    );
    assert_eq!(
        run(&body, Some("TG-SECRET_TOKEN-1")).unwrap_err(),
        Rejection::Unauthenticated("wrong secret token")
    );
}

#[test]
fn bodies_that_are_not_updates_are_malformed() {
    for body in [
        &b"not json"[..],
        b"{}",
        b"[]",
        br#"{"update_id": "x"}"#,
        b"",
        br#"{"update_id": 1.5}"#,
    ] {
        assert!(
            matches!(run(body, Some(TOKEN)), Err(Rejection::Malformed(_))),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn every_fixture_normalizes_to_a_valid_envelope() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "json") {
            normalize(path.file_stem().unwrap().to_str().unwrap());
            count += 1;
        }
    }
    assert!(count >= 40, "{count} fixtures");
}

#[test]
fn the_secret_does_not_print() {
    let printed = format!("{:?}", secret());
    assert!(
        !printed.contains(TOKEN) && !printed.contains("ABC"),
        "{printed}"
    );
}
