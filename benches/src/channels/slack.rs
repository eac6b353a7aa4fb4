//! Slack: an Events API `message` with its `rich_text` blocks (Slack sends the text twice: as
//! mrkdwn and as blocks), or an interactivity form; signed with a timestamp (`Slack::sign`).

use serde_json::{Value, json};
use shared_core::SecretString;
use slack_receiver::Slack;
use slack_receiver::slack::Secret;

use crate::prose::{Language, text};
use crate::{Outgoing, post, signed};

/// The demo bot's signing secret (bots.example.json).
pub const SIGNING_SECRET: &str = "demo-slack-signing-secret";

pub fn secret() -> Secret {
    Secret {
        signing_secret: SecretString::new(SIGNING_SECRET),
        bot_token: Some(SecretString::new("xoxb-demo-bot-token")),
        bot_id: Some("B0DEMOBOT".to_owned()),
    }
}

/// `body` as Slack posts it, not signed yet: JSON for an event, a form otherwise.
pub fn unsigned(body: Vec<u8>) -> Outgoing {
    let content_type = if body.first() == Some(&b'{') {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    post(body, content_type)
}

/// `body` signed as Slack signs it, at the fixed "now".
pub fn sign(body: Vec<u8>) -> Outgoing {
    signed(&Slack, &secret(), unsigned(body))
}

/// A body of about `target` bytes.
pub fn sized(target: usize) -> Vec<u8> {
    crate::grow(target, 4000, body)
}

/// An interactivity payload (JSON) as Slack posts it: the form field `payload=`.
pub fn form(payload: &[u8]) -> Vec<u8> {
    let payload = String::from_utf8_lossy(payload);
    serde_urlencoded::to_string([("payload", payload.as_ref())])
        .expect("a form encodes")
        .into_bytes()
}

/// A channel message of `words` words.
pub fn body(words: usize) -> Vec<u8> {
    let message = text(Language::English, 9, words, usize::MAX);
    let event = json!({
        "type": "message",
        "client_msg_id": "5f3d2c1b-9a8e-4f7d-8c6b-5a4e3d2c1b0a",
        "text": message,
        "user": "U2147483697",
        "ts": "1795525199.000200",
        "blocks": [{"type": "rich_text", "block_id": "Xy9z", "elements": [{"type": "rich_text_section", "elements": rich_text(&message)}]}],
        "team": "T061EG9R6",
        "channel": "C2147483705",
        "event_ts": "1795525199.000200",
        "channel_type": "channel"
    });
    let callback = json!({
        "token": "XXYYZZ",
        "team_id": "T061EG9R6",
        "context_team_id": "T061EG9R6",
        "context_enterprise_id": null,
        "api_app_id": "A0PNCHHK2",
        "event": event,
        "type": "event_callback",
        "event_id": "Ev08MFMKH6",
        "event_time": 1_795_525_199,
        "authorizations": [{"enterprise_id": null, "team_id": "T061EG9R6", "user_id": "U0BOTUSER", "is_bot": true, "is_enterprise_install": false}],
        "is_ext_shared_channel": false,
        "event_context": "4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMDYxRUc5UjYiLCJhaWQiOiJBMFBOQ0hISzIiLCJjaWQiOiJDMjE0NzQ4MzcwNSJ9"
    });
    serde_json::to_vec(&callback).expect("JSON serializes")
}

/// The text as Slack's rich-text elements: plain runs, with a bold word and a link now and then.
fn rich_text(message: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut run = String::new();
    for (i, word) in message.split(' ').enumerate() {
        match i % 10 {
            4 => {
                out.push(json!({"type": "text", "text": std::mem::take(&mut run)}));
                out.push(json!({"type": "text", "text": word, "style": {"bold": true}}));
                run.push(' ');
            }
            9 => {
                out.push(json!({"type": "text", "text": std::mem::take(&mut run)}));
                out.push(json!({"type": "link", "url": format!("https://example.com/t/{i}"), "text": word}));
                run.push(' ');
            }
            _ => {
                run.push_str(word);
                run.push(' ');
            }
        }
    }
    out.push(json!({"type": "text", "text": run.trim_end()}));
    out
}
