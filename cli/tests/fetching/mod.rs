//! What the `receivers fetch` tests share: the demo bots' tokens, envelopes with one
//! attachment, a run of `fetch` that fails when any token shows, and the files it left.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use serde_json::{Value, json};

use crate::support::{Run, receivers};

/// The demo bots' credentials (bots.example.json).
pub const TELEGRAM_TOKEN: &str = "123456789:AAE-demo-telegram-bot-token";
pub const SLACK_TOKEN: &str = "xoxb-demo-bot-token";
pub const WHATSAPP_TOKEN: &str = "EAAG-demo-whatsapp-access-token";

/// Bytes that are not all alike, so a cut or a shift shows.
pub fn content(length: usize) -> Vec<u8> {
    (0..length).map(|n| (n * 7 + n / 251) as u8).collect()
}

pub fn envelope(channel: &str, attachment: Value, context: Value) -> String {
    json!({
        "version": 1, "channel": channel, "bot": "demo", "chat_id": "42", "event": "message",
        "message": {"type": attachment["type"], "attachments": [attachment]},
        "event_id": format!("{channel}:demo:1"), "received_at": "2026-12-01T10:00:00.000Z",
        "context": context, "raw": {}
    })
    .to_string()
}

/// `receivers fetch envelope.json --secrets-file bots.json ARGS…` in `dir`.
pub async fn fetch(dir: &Path, envelope: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    std::fs::write(dir.join("envelope.json"), envelope).unwrap();
    let mut all = vec!["fetch", "envelope.json", "--secrets-file", "bots.json"];
    all.extend_from_slice(args);
    let run = receivers(dir, &all, env).await;
    for token in [TELEGRAM_TOKEN, SLACK_TOKEN, WHATSAPP_TOKEN] {
        assert!(
            !run.output().contains(token),
            "a token shows:\n{}",
            run.output()
        );
    }
    run
}

/// The files in `dir` besides the test's own.
pub fn written(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "bots.json" && name != "envelope.json")
        .collect();
    names.sort();
    names
}
