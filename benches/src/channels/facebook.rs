//! Facebook Messenger: one text message, or Meta's batch of entries (texts, photos, quick replies,
//! postbacks) for the larger bodies; `X-Hub-Signature-256` over the body.

use facebook_receiver::Facebook;
use facebook_receiver::facebook::Secret;
use serde_json::{Value, json};
use shared_core::SecretString;

use crate::prose::{Language, text};
use crate::{Outgoing, post, signed};

/// The demo bot's app secret (bots.example.json).
pub const APP_SECRET: &str = "demo-facebook-app-secret";
pub const VERIFY_TOKEN: &str = "demo-facebook-verify-token";

const PAGE: &str = "104729178325631";
const MAX_TEXT: usize = 2000;

pub fn secret() -> Secret {
    Secret {
        app_secret: SecretString::new(APP_SECRET),
        verify_token: SecretString::new(VERIFY_TOKEN),
        page_access_token: Some(SecretString::new("EAAB-demo-page-access-token")),
    }
}

/// `body` signed as Meta signs it (`Facebook::sign`).
pub fn sign(body: Vec<u8>) -> Outgoing {
    signed(&Facebook, &secret(), post(body, "application/json"))
}

/// About `target` bytes: one message up to 2 KB, a batch of `items` past that.
pub fn sized(target: usize) -> Vec<u8> {
    if target <= 2 * 1024 {
        crate::grow(target, 400, |words| batch(&[text_item(0, words)]))
    } else {
        crate::grow(target, 400, |items| {
            batch(&(0..=items).map(|i| item(i, 40)).collect::<Vec<_>>())
        })
    }
}

/// The number of events `sized(target)` carries.
pub fn events(body: &[u8]) -> usize {
    let value: Value = serde_json::from_slice(body).unwrap_or_default();
    value["entry"].as_array().map_or(0, |entries| {
        entries
            .iter()
            .map(|e| e["messaging"].as_array().map_or(0, Vec::len))
            .sum()
    })
}

/// One entry per item, as Meta batches a page's events.
fn batch(items: &[Value]) -> Vec<u8> {
    let entry: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, item)| json!({"id": PAGE, "time": 1_795_525_200_500_i64 + i as i64, "messaging": [item]}))
        .collect();
    serde_json::to_vec(&json!({"object": "page", "entry": entry})).expect("JSON serializes")
}

/// The `i`th item of a batch: mostly texts, some photos, quick replies and postbacks.
fn item(i: usize, words: usize) -> Value {
    match i % 5 {
        1 => photo_item(i),
        3 => quick_reply_item(i),
        4 => postback_item(i),
        _ => text_item(i, words),
    }
}

fn messaging(i: usize, (field, value): (&str, Value)) -> Value {
    let mut item = json!({
        "sender": {"id": format!("73812345678{:05}", i % 7)},
        "recipient": {"id": PAGE},
        "timestamp": 1_795_525_200_000_i64 + i as i64,
    });
    item[field] = value;
    item
}

fn mid(i: usize) -> String {
    format!("m_AWu4n5X2Fv3Pz9QmA7Lr1tBcHdK0eYsGfJhUiVoWxZyE0qRt{i:08}Nq8MzLp4KjH6gF2dS1aQw")
}

fn text_item(i: usize, words: usize) -> Value {
    let body = text(Language::English, i as u64 + 1, words, MAX_TEXT);
    messaging(i, ("message", json!({"mid": mid(i), "text": body})))
}

fn photo_item(i: usize) -> Value {
    let url = format!(
        "https://scontent.xx.fbcdn.net/v/t1.15752-9/4{i:07}_1187730295763190_8734012573839247182_n.jpg?_nc_cat=104&ccb=1-7&_nc_sid=fc17b8&_nc_ohc=Wq9xk3mQ2bUQ7kNvgE&_nc_ad=z-m&_nc_cid=0&_nc_ht=scontent.xx&oh=03_Q7cD1QG8f2tdrC0y1nRz&oe=67A1B2C3"
    );
    let message =
        json!({"mid": mid(i), "attachments": [{"type": "image", "payload": {"url": url}}]});
    messaging(i, ("message", message))
}

fn quick_reply_item(i: usize) -> Value {
    let message = json!({"mid": mid(i), "text": "Track my order", "quick_reply": {"payload": "TRACK_ORDER:UA-778812"}});
    messaging(i, ("message", message))
}

fn postback_item(i: usize) -> Value {
    let postback = json!({"mid": mid(i), "title": "Talk to a person", "payload": "HANDOFF_HUMAN"});
    messaging(i, ("postback", postback))
}
