//! Viber: a text message in Ukrainian (Viber's longest, 7000 characters) with the bot's
//! conversation state in `tracking_data`; the body's HMAC-SHA256 in `X-Viber-Content-Signature`.

use serde_json::json;
use shared_core::SecretString;
use viber_receiver::Viber;
use viber_receiver::viber::Secret;

use crate::prose::{Language, text};
use crate::{Outgoing, post, signed};

/// The demo bot's auth token (bots.example.json).
pub const TOKEN: &str = "4453b6ac1234demo-e02c5f12174805f9-daec9cbb5448c51f";

const MAX_TEXT: usize = 7000;
const MAX_TRACKING_DATA: usize = 4096;

pub fn secret() -> Secret {
    Secret {
        token: SecretString::new(TOKEN),
    }
}

/// `body` signed as Viber signs it (`Viber::sign`).
pub fn sign(body: Vec<u8>) -> Outgoing {
    signed(&Viber, &secret(), post(body, "application/json"))
}

/// A body of about `target` bytes.
pub fn sized(target: usize) -> Vec<u8> {
    crate::grow(target, 4000, body)
}

/// A text message of `words` words; past 7000 characters the rest goes to the tracking data.
pub fn body(words: usize) -> Vec<u8> {
    let message = text(Language::Ukrainian, 3, words, MAX_TEXT);
    let rest = words.saturating_sub(message.split_whitespace().count());
    let history = text(Language::Ukrainian, 5, rest, MAX_TRACKING_DATA / 2);
    let tracking_data =
        json!({"step": "complaint", "order": "UA-778812", "last_bot_text": history});
    let callback = json!({
        "event": "message",
        "timestamp": 1_795_525_200_000_i64,
        "chat_hostname": "SN-CHAT-17_",
        "message_token": 5_741_311_803_571_721_087_u64,
        "sender": {
            "id": "01234567890A=",
            "name": "Оксана Коваленко",
            "avatar": "https://media-direct.cdn.viber.com/download_photo?dlid=0Jm6mA2y1vWf5bwX0mFdcL7Q&fltp=jpg&imsz=0000",
            "country": "UA",
            "language": "uk",
            "api_version": 10
        },
        "message": {
            "type": "text",
            "text": message,
            "tracking_data": tracking_data.to_string()
        },
        "silent": false
    });
    serde_json::to_vec(&callback).expect("JSON serializes")
}
