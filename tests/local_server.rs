//! `receivers serve`'s router over real HTTP: the embedded spool and secrets file, and SQS
//! with Secrets Manager on moto; every channel's sample events.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use integration_tests::{
    Aws, Outgoing, header_pairs, local_server, secrets_file, settings, signed, telegram_update,
    unique,
};
use serde_json::{Value, json};
use shared::aws::secrets_manager::SecretsManager;
use shared::aws::sqs::SqsQueue;
use shared::config::Settings;
use shared::secrets_file::SecretsFile;
use shared::spool::Spool;
use shared::testing::assert_value_matches_schema;

const TOKEN: &str = "tg-local-token";
const HEADER: &str = "x-telegram-bot-api-secret-token";

fn spooled(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

async fn post(base: &str, path: &str, token: &str, body: Vec<u8>) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header(HEADER, token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_spool_takes_each_update_once_and_refuses_what_it_should() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = secrets_file(
        dir.path(),
        &json!({"receivers/telegram/demo": {"secret_token": TOKEN}}),
    );
    let spool_path = dir.path().join("queue.jsonl");
    let spool = Spool::open(&spool_path).unwrap();
    let base = local_server(
        Arc::new(SecretsFile::open(&secrets).unwrap()),
        spool.clone(),
        settings(),
    )
    .await;

    for _ in 0..3 {
        assert_eq!(
            post(
                &base,
                "/telegram/demo",
                TOKEN,
                telegram_update(940_000_001, "hi")
            )
            .await,
            (200, "ok".into())
        );
    }
    let lines = spooled(&spool_path);
    assert_eq!(lines.len(), 1, "a retried update is taken once");
    assert_value_matches_schema(&lines[0]);
    assert_eq!(lines[0]["event_id"], "telegram:demo:940000001");

    assert_eq!(
        post(
            &base,
            "/telegram/demo",
            "wrong",
            telegram_update(940_000_002, "x")
        )
        .await
        .0,
        401
    );
    assert_eq!(
        post(
            &base,
            "/telegram/ghost",
            TOKEN,
            telegram_update(940_000_003, "x")
        )
        .await
        .0,
        404
    );
    assert_eq!(
        post(&base, "/telegram/demo", TOKEN, b"[1,2".to_vec())
            .await
            .0,
        400
    );
    assert_eq!(
        post(&base, "/telegram/demo", TOKEN, vec![b' '; 2 << 20])
            .await
            .0,
        413
    );
    assert_eq!(
        post(&base, "/nowhere/demo", TOKEN, b"{}".to_vec()).await.0,
        404
    );
    let get = reqwest::get(format!("{base}/telegram/demo")).await.unwrap();
    assert_eq!(
        (
            get.status().as_u16(),
            get.headers()["allow"].to_str().unwrap()
        ),
        (405, "POST")
    );
    assert_eq!(spooled(&spool_path).len(), 1, "nothing else was taken");
    assert_eq!(
        reqwest::get(format!("{base}/health"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn a_bot_added_to_the_secrets_file_while_serving_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = secrets_file(dir.path(), &json!({}));
    let spool = Spool::open(dir.path().join("queue.jsonl")).unwrap();
    let settings = Settings {
        secrets_ttl: Duration::from_secs(300),
        ..settings()
    };
    let base = local_server(Arc::new(SecretsFile::open(&path).unwrap()), spool, settings).await;
    assert_eq!(
        post(&base, "/telegram/late", TOKEN, telegram_update(1, "x"))
            .await
            .0,
        404
    );
    SecretsFile::open(&path)
        .unwrap()
        .store("receivers/telegram/late", json!({"secret_token": TOKEN}))
        .unwrap();
    // A miss is remembered for NEGATIVE_TTL; after it, the new bot is found without a restart.
    tokio::time::sleep(shared::secrets::NEGATIVE_TTL + Duration::from_millis(100)).await;
    assert_eq!(
        post(&base, "/telegram/late", TOKEN, telegram_update(2, "x"))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn with_sqs_and_secrets_manager_the_envelope_is_on_the_fifo_queue() {
    let aws = Aws::new().await;
    let queue_url = aws.fifo_queue().await;
    let settings = Settings {
        secrets_prefix: format!("{}/", unique("local")),
        ..settings()
    };
    aws.put_secret(
        &settings.secret_name("telegram", "demo"),
        &json!({"secret_token": TOKEN}),
    )
    .await;
    let queue = Arc::new(SqsQueue::with_config(&aws.sdk, queue_url.clone()));
    let base = local_server(
        Arc::new(SecretsManager::with_config(&aws.sdk)),
        queue,
        settings,
    )
    .await;
    assert_eq!(
        post(
            &base,
            "/telegram/demo",
            TOKEN,
            telegram_update(950_000_001, "via sqs")
        )
        .await
        .0,
        200
    );
    assert_eq!(
        post(
            &base,
            "/telegram/demo",
            TOKEN,
            telegram_update(950_000_001, "via sqs")
        )
        .await
        .0,
        200
    );
    let messages = aws.drain(&queue_url, 2, Duration::from_secs(4)).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].body["message"]["text"], "via sqs");
    assert_eq!(
        messages[0].group_id.as_deref(),
        Some("telegram:demo:111222333")
    );
}

/// Slack signs a timestamp: its sample events are signed again (`Slack::sign`) for now.
fn resign_slack(headers: &mut serde_json::Map<String, Value>, body: &[u8], secret: &Value) {
    let resigned = signed(
        &slack_receiver::Slack,
        secret,
        Outgoing::post(body.to_vec()),
        std::time::SystemTime::now(),
    );
    for (name, value) in header_pairs(&resigned) {
        headers.insert(name.to_owned(), json!(value));
    }
}

#[tokio::test]
async fn every_sample_event_of_every_channel_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let examples: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../bots.example.json"))
            .unwrap(),
    )
    .unwrap();
    let secrets = secrets_file(dir.path(), &examples);
    let spool_path = dir.path().join("queue.jsonl");
    let base = local_server(
        Arc::new(SecretsFile::open(&secrets).unwrap()),
        Spool::open(&spool_path).unwrap(),
        settings(),
    )
    .await;
    let client = reqwest::Client::new();
    let mut sent = 0;
    for channel in ["telegram", "viber", "facebook", "slack", "abc"] {
        let dir = format!("{}/../events/{channel}", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let event: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mut headers = event["headers"].as_object().cloned().unwrap_or_default();
            let text = event["body"].as_str().unwrap_or_default();
            let body = if event["isBase64Encoded"] == true {
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text).unwrap()
            } else {
                text.as_bytes().to_vec()
            };
            if channel == "slack" {
                resign_slack(&mut headers, &body, &examples["receivers/slack/demo"]);
            }
            let method = event["requestContext"]["http"]["method"].as_str().unwrap();
            let query = event["rawQueryString"].as_str().unwrap_or_default();
            let url = format!(
                "{base}{}{}{query}",
                event["rawPath"].as_str().unwrap(),
                if query.is_empty() { "" } else { "?" }
            );
            let mut request = client.request(method.parse().unwrap(), url).body(body);
            for (name, value) in &headers {
                if !["content-length", "host"].contains(&name.as_str()) {
                    request = request.header(name, value.as_str().unwrap());
                }
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status().as_u16(),
                200,
                "{}: {}",
                path.display(),
                response.text().await.unwrap()
            );
            sent += 1;
        }
    }
    assert!(sent >= 40, "{sent} sample events");
    for line in spooled(&spool_path) {
        assert_value_matches_schema(&line);
    }
}
