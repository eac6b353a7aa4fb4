//! Telegram: a formatted group message replying to another, both with entities; the secret token
//! header.

use serde_json::{Value, json};
use shared_core::SecretString;
use telegram_receiver::Telegram;
use telegram_receiver::telegram::Secret;

use crate::prose::{Language, text, utf16_len};
use crate::{Outgoing, post, signed};

/// The demo bot's `secret_token` (bots.example.json).
pub const SECRET_TOKEN: &str = "demo-telegram-secret-token";

/// The Bot API's longest message text, in UTF-16 units.
const MAX_TEXT: usize = 4096;

pub fn secret() -> Secret {
    Secret {
        secret_token: SecretString::new(SECRET_TOKEN),
        token: Some(SecretString::new("123456789:AAE-demo-telegram-bot-token")),
    }
}

/// `body` as Telegram posts it, with the secret token header `Telegram::sign` sets.
pub fn sign(body: Vec<u8>) -> Outgoing {
    signed(&Telegram, &secret(), post(body, "application/json"))
}

/// A body of about `target` bytes.
pub fn sized(target: usize) -> Vec<u8> {
    crate::grow(target, 4000, body)
}

/// A group message of `words` words in all, the overflow past 4096 units in the message replied to.
pub fn body(words: usize) -> Vec<u8> {
    let own = text(Language::English, 7, words, MAX_TEXT);
    let rest = words.saturating_sub(own.split_whitespace().count());
    let mut message = message(17, &own, user(111_222_333, "Ann", "ann"));
    if rest > 0 {
        let quoted = text(Language::English, 11, rest, MAX_TEXT);
        message["reply_to_message"] = self::message(15, &quoted, user(444_555_666, "Bob", "bob"));
    }
    let update = json!({"update_id": 900_100_001, "message": message});
    serde_json::to_vec(&update).expect("JSON serializes")
}

fn user(id: i64, first_name: &str, username: &str) -> Value {
    json!({
        "id": id, "is_bot": false, "first_name": first_name, "last_name": "Lee",
        "username": username, "language_code": "en", "is_premium": true
    })
}

fn message(id: i64, text: &str, from: Value) -> Value {
    json!({
        "message_id": id,
        "from": from,
        "chat": {"id": -1_001_234_567_890_i64, "title": "Support team", "type": "supergroup", "is_forum": true},
        "message_thread_id": 4,
        "date": 1_795_525_100,
        "text": text,
        "entities": entities(text),
        "link_preview_options": {"is_disabled": true},
    })
}

/// A formatting entity on every sixth word, cycling through the kinds people use.
fn entities(text: &str) -> Vec<Value> {
    const KINDS: [&str; 6] = [
        "bold",
        "italic",
        "underline",
        "code",
        "hashtag",
        "text_link",
    ];
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, word) in text.split(' ').enumerate() {
        let length = utf16_len(word);
        if i % 6 == 5 {
            let kind = KINDS[(i / 6) % KINDS.len()];
            let mut entity = json!({"offset": offset, "length": length, "type": kind});
            if kind == "text_link" {
                entity["url"] = json!(format!("https://shop.example.com/orders/{i}"));
            }
            out.push(entity);
        }
        offset += length + 1;
    }
    out
}
