//! Outages on the wire (a proxy in front of moto cut or hung): every request answered 200 has
//! its events on the queue, every other one is a 503 within the deadline, and the platform's
//! retries leave each event on the FIFO queue exactly once.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use integration_tests::{
    Aws, Link, Proxy, api_gateway_request, lambda_answer, sdk_for, sdk_with_timeout, settings,
    telegram_update, unique,
};
use serde_json::json;
use shared::aws::secrets_manager::SecretsManager;
use shared::aws::sqs::SqsQueue;
use shared::config::Settings;
use shared::pipeline::Pipeline;
use shared::secrets::SecretCache;
use telegram_receiver::Telegram;

const TOKEN: &str = "tg-outage-token";
const HEADER: &str = "x-telegram-bot-api-secret-token";

struct Setup {
    aws: Aws,
    queue_url: String,
    queue_link: Proxy,
    secrets_link: Proxy,
    pipeline: Pipeline<Telegram>,
}

/// A handler whose queue and secret store are each reached through their own proxy.
async fn setup() -> Setup {
    let aws = Aws::new().await;
    let queue_url = aws.fifo_queue().await;
    let settings = Settings {
        secrets_prefix: format!("{}/", unique("outage")),
        ..settings()
    };
    aws.put_secret(
        &settings.secret_name("telegram", "demo"),
        &json!({"secret_token": TOKEN}),
    )
    .await;
    let endpoint = integration_tests::moto_endpoint();
    let (queue_link, secrets_link) = (Proxy::start(endpoint).await, Proxy::start(endpoint).await);
    // The SDK would wait a minute for an answer: only the pipeline's deadline can end a hang.
    let queue = SqsQueue::with_config(
        &sdk_with_timeout(&queue_link.endpoint, Duration::from_secs(60)).await,
        queue_url.clone(),
    );
    let store = SecretsManager::with_config(&sdk_for(&secrets_link.endpoint).await);
    let cache = Arc::new(SecretCache::new(Arc::new(store), settings.secrets_ttl));
    let pipeline = Pipeline::new(Telegram, cache, Arc::new(queue), settings);
    Setup {
        aws,
        queue_url,
        queue_link,
        secrets_link,
        pipeline,
    }
}

async fn deliver(setup: &Setup, bot: &str, update_id: u64) -> u16 {
    let request = api_gateway_request(
        "POST",
        &format!("/telegram/{bot}"),
        bot,
        &[(HEADER, TOKEN)],
        &telegram_update(update_id, &format!("update {update_id}")),
    );
    lambda_answer(&shared::lambda::handle(&setup.pipeline, request).await).0
}

#[tokio::test]
async fn a_queue_outage_mid_stream_loses_nothing_and_doubles_nothing() {
    let setup = setup().await;
    let ids: Vec<u64> = (1..=8).map(|n| 910_000_000 + n).collect();
    let mut answers = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        match index {
            3 => setup.queue_link.set(Link::Cut),
            6 => setup.queue_link.set(Link::Up),
            _ => {}
        }
        answers.push((*id, deliver(&setup, "demo", *id).await));
    }
    let statuses: Vec<u16> = answers.iter().map(|(_, status)| *status).collect();
    assert_eq!(statuses, [200, 200, 200, 503, 503, 503, 200, 200]);
    // Telegram redelivers what was not acknowledged; here everything is redelivered once more.
    for id in &ids {
        assert_eq!(deliver(&setup, "demo", *id).await, 200);
    }
    let messages = setup
        .aws
        .drain(&setup.queue_url, ids.len(), Duration::from_secs(10))
        .await;
    let mut got: Vec<String> = messages
        .iter()
        .map(|m| m.body["event_id"].as_str().unwrap().to_owned())
        .collect();
    got.sort();
    let want: Vec<String> = ids.iter().map(|id| format!("telegram:demo:{id}")).collect();
    assert_eq!(got, want, "each event exactly once");
}

#[tokio::test]
async fn a_hung_queue_is_a_503_when_the_deadline_passes() {
    let setup = setup().await;
    assert_eq!(deliver(&setup, "demo", 920_000_001).await, 200);
    setup.queue_link.set(Link::Hang);
    // The SDK's own timeout is a minute; a 503 well before it comes from the upstream deadline.
    let answer = tokio::time::timeout(
        Duration::from_secs(20),
        deliver(&setup, "demo", 920_000_002),
    )
    .await;
    setup.queue_link.set(Link::Up);
    assert_eq!(answer.expect("answered before the SDK timeout"), 503);
}

#[tokio::test]
async fn a_secret_store_outage_keeps_known_bots_working_and_answers_unknown_ones_503() {
    let setup = setup().await;
    assert_eq!(deliver(&setup, "demo", 930_000_001).await, 200);
    setup.secrets_link.set(Link::Cut);
    assert_eq!(
        deliver(&setup, "demo", 930_000_002).await,
        200,
        "the cached secret still serves"
    );
    assert_eq!(
        deliver(&setup, "never-seen", 930_000_003).await,
        503,
        "not 404: the store could not say"
    );
    setup.secrets_link.set(Link::Hang);
    assert_eq!(deliver(&setup, "another-unseen", 930_000_004).await, 503);
    setup.secrets_link.set(Link::Up);
    assert_eq!(
        deliver(&setup, "never-seen", 930_000_005).await,
        404,
        "a miss is cached only once the store answers"
    );
    assert_eq!(
        setup
            .aws
            .drain(&setup.queue_url, 2, Duration::from_secs(5))
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn a_queue_that_does_not_exist_is_a_503() {
    let aws = Aws::new().await;
    let settings = Settings {
        secrets_prefix: format!("{}/", unique("missing")),
        ..settings()
    };
    aws.put_secret(
        &settings.secret_name("telegram", "demo"),
        &json!({"secret_token": TOKEN}),
    )
    .await;
    let missing = format!(
        "{}/000000000000/{}.fifo",
        integration_tests::moto_endpoint(),
        unique("absent")
    );
    let pipeline = shared::lambda::connect(Telegram, settings, &aws.sdk, missing, None).await;
    let request = api_gateway_request(
        "POST",
        "/telegram/demo",
        "demo",
        &[(HEADER, TOKEN)],
        &telegram_update(1, "x"),
    );
    assert_eq!(
        lambda_answer(&shared::lambda::handle(&pipeline, request).await).0,
        503
    );
}
