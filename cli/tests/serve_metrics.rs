//! `GET /metrics` of `receivers serve`: the counters of what it answered, by channel, bot and
//! reason, in the Prometheus text format; off with `METRICS=off`.
#![allow(clippy::unwrap_used)]

mod support;

use support::{Server, directory_with_demo_bots};

const TOKEN_HEADER: &str = "x-telegram-bot-api-secret-token";
const TOKEN: &str = "demo-telegram-secret-token";

fn update(update_id: u64) -> String {
    serde_json::json!({"update_id": update_id, "message": {"message_id": 1, "date": 1_795_525_200_u64,
        "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": false, "first_name": "Ann"}, "text": "hi"}})
    .to_string()
}

async fn post(url: &str, token: &str, body: String) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header(TOKEN_HEADER, token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn metrics_count_what_the_server_answered() {
    let (dir, secrets) = directory_with_demo_bots();
    let spool = dir.path().join("spool/queue.jsonl");
    let flags = [
        "--secrets-file",
        secrets.to_str().unwrap(),
        "--spool",
        spool.to_str().unwrap(),
    ];
    let server = Server::start(dir.path(), &flags, &[("METRICS", "on")]).await;
    let demo = format!("{}/telegram/demo", server.url);
    assert_eq!(post(&demo, TOKEN, update(1)).await, 200);
    assert_eq!(post(&demo, TOKEN, update(2)).await, 200);
    assert_eq!(post(&demo, TOKEN, update(1)).await, 200, "a retry");
    assert_eq!(post(&demo, "wrong", update(3)).await, 401);
    let ghost = format!("{}/telegram/ghost", server.url);
    assert_eq!(post(&ghost, TOKEN, update(4)).await, 404);
    // A bot named `metrics` is a bot like any other: the route does not take it.
    let named = format!("{}/telegram/metrics", server.url);
    assert_eq!(post(&named, TOKEN, update(5)).await, 404);
    let put = reqwest::Client::new().put(&demo).send().await.unwrap();
    assert_eq!(put.status().as_u16(), 405);

    let response = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let value = |series: &str| -> u64 {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("{series} in\n{text}"))
            .parse()
            .unwrap()
    };
    let demo = r#"{channel="telegram",bot="demo"}"#;
    let unknown = r#"{channel="telegram",bot="unknown"}"#;
    assert_eq!(value(&format!("receivers_requests_total{demo}")), 4);
    assert_eq!(value(&format!("receivers_enqueued_total{demo}")), 2);
    assert_eq!(value(&format!("receivers_duplicates_total{demo}")), 1);
    assert_eq!(value(&format!("receivers_echoes_total{demo}")), 0);
    assert_eq!(value(&format!("receivers_unavailable_total{demo}")), 0);
    assert_eq!(value(&format!("receivers_requests_total{unknown}")), 3);
    let rejected = |bot: &str, reason: &str| {
        value(&format!(
            r#"receivers_rejected_total{{channel="telegram",bot="{bot}",reason="{reason}"}}"#
        ))
    };
    assert_eq!(rejected("demo", "signature"), 1);
    assert_eq!(rejected("unknown", "unknown_bot"), 2);
    assert_eq!(rejected("unknown", "method"), 1);
    assert_eq!(
        value(r#"receivers_handler_seconds_count{channel="telegram"}"#),
        7
    );
    assert_eq!(
        value(r#"receivers_handler_seconds_bucket{channel="telegram",le="+Inf"}"#),
        7
    );
    assert_eq!(
        value(r#"receivers_enqueue_seconds_count{channel="telegram"}"#),
        2
    );
    assert!(!text.contains("ghost"), "only bots with a secret are named");
    assert!(!text.contains(TOKEN), "no secret in the metrics");
    server.stop().await;
}

#[tokio::test]
async fn metrics_off_serves_no_metrics() {
    let (dir, secrets) = directory_with_demo_bots();
    let spool = dir.path().join("spool/queue.jsonl");
    let flags = [
        "--secrets-file",
        secrets.to_str().unwrap(),
        "--spool",
        spool.to_str().unwrap(),
    ];
    let server = Server::start(dir.path(), &flags, &[("METRICS", "off")]).await;
    let response = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    server.stop().await;
}
