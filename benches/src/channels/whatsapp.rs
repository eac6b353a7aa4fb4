//! WhatsApp Business Cloud API: one text message, or one change carrying a customer's messages
//! (texts, images, button replies) and the statuses of the bot's own for the larger bodies;
//! `X-Hub-Signature-256` over the body.

use serde_json::{Value, json};
use shared_core::SecretString;
use whatsapp_receiver::WhatsApp;
use whatsapp_receiver::whatsapp::Secret;

use crate::prose::{Language, text};
use crate::{Outgoing, post, signed};

/// The demo bot's app secret (bots.example.json).
pub const APP_SECRET: &str = "demo-whatsapp-app-secret";
pub const VERIFY_TOKEN: &str = "demo-whatsapp-verify-token";

const BUSINESS_ACCOUNT: &str = "102290129340398";
const CUSTOMER: &str = "16505551234";
const MAX_TEXT: usize = 4096;

pub fn secret() -> Secret {
    Secret {
        app_secret: SecretString::new(APP_SECRET),
        verify_token: SecretString::new(VERIFY_TOKEN),
        access_token: Some(SecretString::new("EAAG-demo-whatsapp-access-token")),
    }
}

/// `body` signed as Meta signs it (`WhatsApp::sign`).
pub fn sign(body: Vec<u8>) -> Outgoing {
    signed(&WhatsApp, &secret(), post(body, "application/json"))
}

/// About `target` bytes: one message up to 2 KB, a change of `items` messages and statuses past that.
pub fn sized(target: usize) -> Vec<u8> {
    if target <= 2 * 1024 {
        crate::grow(target, 400, |words| {
            notification(&[text_message(0, words)], &[])
        })
    } else {
        crate::grow(target, 400, |items| {
            let messages: Vec<Value> = (0..=items).map(|i| message(i, 40)).collect();
            let statuses: Vec<Value> = (0..=items / 4).map(status).collect();
            notification(&messages, &statuses)
        })
    }
}

/// One entry with one `messages` change, as Meta batches a number's events.
fn notification(messages: &[Value], statuses: &[Value]) -> Vec<u8> {
    let mut value = json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": CUSTOMER}],
        "messages": messages,
    });
    if !statuses.is_empty() {
        value["statuses"] = json!(statuses);
    }
    let body = json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": BUSINESS_ACCOUNT, "changes": [{"value": value, "field": "messages"}]}],
    });
    serde_json::to_vec(&body).expect("JSON serializes")
}

/// The `i`th message: mostly texts, some images and button replies.
fn message(i: usize, words: usize) -> Value {
    match i % 4 {
        1 => image_message(i),
        3 => button_reply(i),
        _ => text_message(i, words),
    }
}

fn wamid(i: usize) -> String {
    format!("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUFERjg0NDEzNDdFODU3MUMx{i:08}AA=")
}

fn envelope(i: usize, kind: &str, content: Value) -> Value {
    let mut message = json!({
        "from": CUSTOMER,
        "id": wamid(i),
        "timestamp": (1_795_525_200 + i).to_string(),
        "type": kind,
    });
    message[kind] = content;
    message
}

fn text_message(i: usize, words: usize) -> Value {
    let body = text(Language::English, i as u64 + 1, words, MAX_TEXT);
    envelope(i, "text", json!({"body": body}))
}

fn image_message(i: usize) -> Value {
    let image = json!({
        "caption": "The parcel as it arrived",
        "mime_type": "image/jpeg",
        "sha256": "3qK1Ilb2BYQvq0uPkCWs5Jm2xPwTqLm8gGZtv1xYfkU=",
        "id": format!("1{i:014}"),
    });
    envelope(i, "image", image)
}

fn button_reply(i: usize) -> Value {
    let interactive = json!({
        "type": "button_reply",
        "button_reply": {"id": "TRACK_ORDER:UA-778812", "title": "Track my order"},
    });
    let mut message = envelope(i, "interactive", interactive);
    message["context"] = json!({"from": "15550783881", "id": wamid(i.saturating_sub(1))});
    message
}

fn status(i: usize) -> Value {
    json!({
        "id": wamid(10_000 + i),
        "status": if i.is_multiple_of(2) { "delivered" } else { "read" },
        "timestamp": (1_795_525_100 + i).to_string(),
        "recipient_id": CUSTOMER,
    })
}
