//! The Telegram Lambda handler, end to end over moto: API Gateway event in, SQS FIFO message
//! out, secrets from Secrets Manager.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use integration_tests::{
    Aws, Deployed, api_gateway_request, lambda_answer, settings, telegram_update,
    telegram_update_with_a_forged_envelope_line, unique,
};
use serde_json::json;
use shared::config::Settings;
use shared::testing::assert_value_matches_schema;
use telegram_receiver::Telegram;

const TOKEN: &str = "tg-secret-token-1";
const HEADER: &str = "x-telegram-bot-api-secret-token";

/// The handler on a fresh FIFO queue, with its own secrets prefix and a bot `demo`.
type Setup = Deployed<Telegram>;

async fn setup() -> Setup {
    Deployed::new(
        Telegram,
        &json!({"secret_token": TOKEN, "token": "123:ABC"}),
    )
    .await
}

async fn post(setup: &Setup, bot: &str, token: Option<&str>, body: &[u8]) -> (u16, String) {
    let headers: Vec<(&str, &str)> = token
        .map(|token| (HEADER, token))
        .into_iter()
        .chain([("content-type", "application/json")])
        .collect();
    let request = api_gateway_request("POST", &format!("/telegram/{bot}"), bot, &headers, body);
    lambda_answer(&shared::lambda::handle(&setup.pipeline, request).await)
}

#[tokio::test]
async fn a_body_with_line_breaks_is_one_line_on_the_queue() {
    let setup = setup().await;
    let body = telegram_update_with_a_forged_envelope_line(900_000_041);
    assert_eq!(post(&setup, "demo", Some(TOKEN), &body).await.0, 200);
    let messages = setup.envelopes(1).await;
    assert_eq!(messages.len(), 1);
    assert!(
        !messages[0].text.contains(['\n', '\r']),
        "{}",
        messages[0].text
    );
    assert_eq!(messages[0].body["event_id"], "telegram:demo:900000041");
    assert_eq!(messages[0].body["raw"]["note"]["channel"], "slack");
}

#[tokio::test]
async fn an_update_lands_on_the_fifo_queue_with_its_ids_and_attributes() {
    let setup = setup().await;
    assert_eq!(
        post(
            &setup,
            "demo",
            Some(TOKEN),
            &telegram_update(900_000_001, "hello")
        )
        .await
        .0,
        200
    );
    let messages = setup
        .aws
        .drain(&setup.queue_url, 1, Duration::from_secs(5))
        .await;
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_value_matches_schema(&message.body);
    assert_eq!(message.body["event_id"], "telegram:demo:900000001");
    assert_eq!(
        (
            message.body["chat_id"].as_str(),
            message.body["message"]["text"].as_str()
        ),
        (Some("111222333"), Some("hello"))
    );
    assert_eq!(message.group_id.as_deref(), Some("telegram:demo:111222333"));
    assert_eq!(
        message.deduplication_id.as_deref(),
        Some("telegram:demo:900000001")
    );
    assert_eq!(
        message.attributes,
        json!({"channel": "telegram", "bot": "demo", "event": "message"})
    );
}

#[tokio::test]
async fn the_same_update_delivered_twice_is_one_message() {
    let setup = setup().await;
    for _ in 0..2 {
        assert_eq!(
            post(
                &setup,
                "demo",
                Some(TOKEN),
                &telegram_update(900_000_002, "once")
            )
            .await
            .0,
            200
        );
    }
    let messages = setup
        .aws
        .drain(&setup.queue_url, 2, Duration::from_secs(3))
        .await;
    assert_eq!(messages.len(), 1, "{messages:?}");
}

#[tokio::test]
async fn forged_and_missing_tokens_are_refused_and_nothing_is_enqueued() {
    let setup = setup().await;
    let body = telegram_update(900_000_003, "forged");
    assert_eq!(
        post(&setup, "demo", Some("tg-secret-token-2"), &body)
            .await
            .0,
        401
    );
    assert_eq!(post(&setup, "demo", None, &body).await.0, 401);
    setup.assert_queue_empty().await;
}

#[tokio::test]
async fn unknown_bots_malformed_bodies_oversized_bodies_and_wrong_methods() {
    let setup = setup().await;
    assert_eq!(
        post(&setup, "nobody", Some(TOKEN), &telegram_update(1, "x")).await,
        (404, "not found".into())
    );
    assert_eq!(
        post(&setup, "../../etc", Some(TOKEN), &telegram_update(1, "x"))
            .await
            .0,
        404
    );
    assert_eq!(
        post(&setup, "demo", Some(TOKEN), b"{not json").await,
        (400, "bad request".into())
    );
    let oversized = vec![b' '; setup.settings.body_limit + 1];
    assert_eq!(post(&setup, "demo", Some(TOKEN), &oversized).await.0, 413);
    let get = api_gateway_request("GET", "/telegram/demo", "demo", &[(HEADER, TOKEN)], b"");
    let response = shared::lambda::handle(&setup.pipeline, get).await;
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    setup.assert_queue_empty().await;
}

#[tokio::test]
async fn a_rotated_secret_works_at_once_and_the_old_one_is_refused() {
    let setup = setup().await;
    assert_eq!(
        post(
            &setup,
            "demo",
            Some(TOKEN),
            &telegram_update(900_000_010, "before")
        )
        .await
        .0,
        200
    );
    // The cache refetches only entries older than a few seconds (REFRESH_AFTER).
    tokio::time::sleep(shared::secrets::REFRESH_AFTER + Duration::from_millis(200)).await;
    let name = setup.settings.secret_name("telegram", "demo");
    setup
        .aws
        .rotate_secret(
            &name,
            &json!({"secret_token": "rotated-token", "token": "123:ABC"}),
        )
        .await;
    assert_eq!(
        post(
            &setup,
            "demo",
            Some("rotated-token"),
            &telegram_update(900_000_011, "after")
        )
        .await
        .0,
        200
    );
    assert_eq!(
        post(
            &setup,
            "demo",
            Some(TOKEN),
            &telegram_update(900_000_012, "old")
        )
        .await
        .0,
        401
    );
    let messages = setup
        .aws
        .drain(&setup.queue_url, 2, Duration::from_secs(5))
        .await;
    let texts: Vec<_> = messages
        .iter()
        .map(|m| m.body["message"]["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(texts, ["before", "after"]);
}

#[tokio::test]
async fn a_standard_queue_gets_no_fifo_ids() {
    let aws = Aws::new().await;
    let queue_url = aws.standard_queue().await;
    let settings = Settings {
        secrets_prefix: format!("{}/", unique("standard")),
        ..settings()
    };
    aws.put_secret(
        &settings.secret_name("telegram", "demo"),
        &json!({"secret_token": TOKEN}),
    )
    .await;
    let pipeline =
        shared::lambda::connect(Telegram, settings, &aws.sdk, queue_url.clone(), None).await;
    let request = api_gateway_request(
        "POST",
        "/telegram/demo",
        "demo",
        &[(HEADER, TOKEN)],
        &telegram_update(7, "std"),
    );
    assert_eq!(
        lambda_answer(&shared::lambda::handle(&pipeline, request).await).0,
        200
    );
    let messages = aws.drain(&queue_url, 1, Duration::from_secs(5)).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(
        (
            messages[0].group_id.as_deref(),
            messages[0].deduplication_id.as_deref()
        ),
        (None, None)
    );
}

#[tokio::test]
async fn the_sample_events_are_accepted_by_the_handler() {
    let aws = Aws::new().await;
    let queue_url = aws.fifo_queue().await;
    let settings = Settings {
        secrets_prefix: format!("{}/", unique("events")),
        ..settings()
    };
    let examples: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../bots.example.json"))
            .unwrap(),
    )
    .unwrap();
    aws.put_secret(
        &settings.secret_name("telegram", "demo"),
        &examples["receivers/telegram/demo"],
    )
    .await;
    let pipeline =
        shared::lambda::connect(Telegram, settings, &aws.sdk, queue_url.clone(), None).await;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../events/telegram");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let request =
            lambda_http::request::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let (status, body) = lambda_answer(&shared::lambda::handle(&pipeline, request).await);
        assert_eq!(status, 200, "{}: {body}", path.display());
        count += 1;
    }
    assert!(count >= 5, "{count} sample events");
    assert_eq!(
        aws.drain(&queue_url, count, Duration::from_secs(10))
            .await
            .len(),
        count
    );
}
