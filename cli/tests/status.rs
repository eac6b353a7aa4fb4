//! `receivers status` against fake platform APIs: each bot's row (healthy, unhealthy with its
//! reasons, unchecked), the exit code, no credential in the output, a platform that cannot be
//! reached, and the queue's depth on moto or the spool's.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use integration_tests::Aws;
use serde_json::{Value, json};
use support::{FakePlatform, env_pairs, moto_env, put_messages, queue_with_dead_letter, receivers};

const CREDENTIALS: &[&str] = &[
    "111:GOOD-token",
    "222:LATE-token",
    "tg-secret-token",
    "viber-auth-token",
    "EAAB-page-token",
    "fb-app-secret",
    "EAAG-wa-token",
    "wa-app-secret",
    "xoxb-slack-token",
];

fn secrets() -> Value {
    json!({
        "receivers/telegram/good": {"token": "111:GOOD-token", "secret_token": "tg-secret-token"},
        "receivers/telegram/late": {"token": "222:LATE-token", "secret_token": "tg-secret-token"},
        "receivers/telegram/tokenless": {"secret_token": "tg-secret-token"},
        "receivers/viber/shop": {"token": "viber-auth-token"},
        "receivers/facebook/page": {"app_secret": "fb-app-secret", "verify_token": "v", "page_access_token": "EAAB-page-token"},
        "receivers/whatsapp/wa": {"app_secret": "wa-app-secret", "verify_token": "v", "access_token": "EAAG-wa-token", "waba_id": "1029"},
        "receivers/slack/team": {"signing_secret": "s", "bot_token": "xoxb-slack-token"},
        "receivers/abc/support": {"api_secret": "a2V5", "csp_id": "csp"},
    })
}

fn kinds(channel: &str) -> Vec<&'static str> {
    messengers::find(channel).unwrap().subscribed_kinds.to_vec()
}

async fn platforms() -> FakePlatform {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    FakePlatform::start(&[
        (
            "/bot111:GOOD-token/getWebhookInfo",
            200,
            json!({"ok": true, "result": {
                "url": "https://hooks.example.com/prod/telegram/good",
                "pending_update_count": 2,
                "allowed_updates": kinds("telegram"),
            }}),
        ),
        (
            "/bot222:LATE-token/getWebhookInfo",
            200,
            json!({"ok": true, "result": {
                "url": "https://old.example.com/telegram/late-bot",
                "pending_update_count": 500,
                "last_error_date": now - 60,
                "last_error_message": "Wrong response from the webhook: 502 Bad Gateway",
                "allowed_updates": kinds("telegram"),
            }}),
        ),
        (
            "/get_account_info",
            200,
            json!({"status": 0, "status_message": "ok", "name": "Shop",
                   "webhook": "https://hooks.example.com/prod/viber/shop",
                   "event_types": kinds("viber")}),
        ),
        ("/1029/subscribed_apps", 200, json!({"data": []})),
        (
            "/me/subscribed_apps",
            200,
            json!({"data": [{"id": "42", "name": "Receivers", "subscribed_fields": kinds("facebook")}]}),
        ),
        (
            "/auth.test",
            200,
            json!({"ok": true, "team": "Acme", "user": "bot", "team_id": "T1", "bot_id": "B1"}),
        ),
    ])
    .await
}

fn platform_env(url: &str) -> Vec<(&'static str, String)> {
    [
        "TELEGRAM_API_URL",
        "VIBER_API_URL",
        "GRAPH_API_URL",
        "SLACK_API_URL",
    ]
    .into_iter()
    .map(|name| (name, url.to_owned()))
    .collect()
}

fn directory() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bots.json"), secrets().to_string()).unwrap();
    std::fs::write(dir.path().join("spool.jsonl"), "{}\n{}\n{}\n").unwrap();
    dir
}

const FILES: &[&str] = &["--secrets-file", "bots.json", "--spool", "spool.jsonl"];

fn row<'a>(report: &'a Value, channel: &str, bot: &str) -> &'a Value {
    report["bots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["channel"] == channel && row["bot"] == bot)
        .unwrap_or_else(|| panic!("no row for {channel}/{bot} in {report}"))
}

#[tokio::test]
async fn every_bot_gets_its_platforms_view_and_unhealthy_ones_fail_the_run() {
    let fake = platforms().await;
    let dir = directory();
    let env = platform_env(&fake.url);
    let mut args = vec!["status", "--json"];
    args.extend_from_slice(FILES);
    let run = receivers(dir.path(), &args, &env_pairs(&env))
        .await
        .failed();
    for credential in CREDENTIALS {
        assert!(!run.output().contains(credential), "{credential} shows");
    }
    assert!(
        run.stderr
            .contains("2 of 8 webhooks unhealthy: telegram/late, whatsapp/wa"),
        "{}",
        run.stderr
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["healthy"], false);
    let states: Vec<(String, String)> = report["bots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                format!(
                    "{}/{}",
                    row["channel"].as_str().unwrap(),
                    row["bot"].as_str().unwrap()
                ),
                row["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("abc/support", "unchecked"),
        ("facebook/page", "ok"),
        ("slack/team", "ok"),
        ("telegram/good", "ok"),
        ("telegram/late", "unhealthy"),
        ("telegram/tokenless", "unchecked"),
        ("viber/shop", "ok"),
        ("whatsapp/wa", "unhealthy"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(bot, state)| ((*bot).to_owned(), (*state).to_owned()))
        .collect();
    assert_eq!(states, expected);
    let late = row(&report, "telegram", "late");
    let problems: Vec<&str> = late["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|problem| problem.as_str().unwrap())
        .collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("does not end with /telegram/late"));
    assert!(problems[1].starts_with("500 updates pending"));
    assert!(problems[2].contains("502 Bad Gateway"));
    assert_eq!(late["platform"]["pending_update_count"], 500);
    assert_eq!(
        row(&report, "telegram", "good")["webhook"],
        "https://hooks.example.com/prod/telegram/good"
    );
    assert_eq!(
        row(&report, "whatsapp", "wa")["problems"][0],
        "no app is subscribed: nothing is delivered"
    );
    assert_eq!(
        row(&report, "facebook", "page")["platform"]["subscribed_apps"][0]["name"],
        "Receivers"
    );
    assert_eq!(report["queue"]["kind"], "spool");
    assert_eq!(report["queue"]["envelopes"], 3);
    // Each platform was asked with the bot's own credentials.
    let calls = fake.calls();
    let viber = calls
        .iter()
        .find(|c| c.path == "/get_account_info")
        .unwrap();
    assert_eq!(viber.headers["x-viber-auth-token"], "viber-auth-token");
    let slack = calls.iter().find(|c| c.path == "/auth.test").unwrap();
    assert_eq!(slack.headers["authorization"], "Bearer xoxb-slack-token");
    let graph = calls
        .iter()
        .find(|c| c.path == "/me/subscribed_apps")
        .unwrap();
    assert!(graph.query.contains("appsecret_proof="), "{}", graph.query);
}

#[tokio::test]
async fn one_healthy_bot_passes_and_reads_as_a_table() {
    let fake = platforms().await;
    let dir = directory();
    let env = platform_env(&fake.url);
    let mut args = vec![
        "status",
        "--bot",
        "telegram/good",
        "--url",
        "https://hooks.example.com/prod",
    ];
    args.extend_from_slice(FILES);
    let run = receivers(dir.path(), &args, &env_pairs(&env)).await.ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("CHANNEL   BOT   STATE"),
        "{}",
        run.stdout
    );
    assert!(
        lines[1].starts_with(
            "telegram  good  ok     https://hooks.example.com/prod/telegram/good  pending 2"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Spool spool.jsonl: 3 envelopes, 9 B"));
    assert_eq!(fake.paths(), ["/bot111:GOOD-token/getWebhookInfo"]);
    // Another base URL makes the same webhook wrong.
    let mut args = vec![
        "status",
        "--bot",
        "telegram/good",
        "--url",
        "https://new.example.com",
    ];
    args.extend_from_slice(FILES);
    let run = receivers(dir.path(), &args, &env_pairs(&env))
        .await
        .failed();
    assert!(
        run.stdout
            .contains("expected https://new.example.com/telegram/good"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn an_unreachable_platform_is_shown_in_its_row() {
    let dir = directory();
    let closed = format!("http://127.0.0.1:{}", integration_tests::free_port());
    let env = platform_env(&closed);
    let mut args = vec!["status", "--bot", "telegram/good", "--json"];
    args.extend_from_slice(FILES);
    let run = receivers(dir.path(), &args, &env_pairs(&env))
        .await
        .failed();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let problem = row(&report, "telegram", "good")["problems"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        problem.starts_with("Telegram getWebhookInfo: could not reach"),
        "{problem}"
    );
    assert!(!run.output().contains("111:GOOD-token"));
}

#[tokio::test]
async fn with_queue_url_the_queue_and_its_dead_letter_queue_are_measured() {
    let fake = platforms().await;
    let aws = Aws::new().await;
    let (queue, dlq) = queue_with_dead_letter(&aws).await;
    put_messages(&aws, &queue, 1).await;
    put_messages(&aws, &dlq, 2).await;
    let dir = directory();
    let mut env = platform_env(&fake.url);
    env.extend(moto_env());
    env.push(("QUEUE_URL", queue.clone()));
    let mut args = vec!["status", "--bot", "slack/team"];
    args.extend_from_slice(FILES);
    let table = receivers(dir.path(), &args, &env_pairs(&env)).await.ok();
    assert!(
        table.stdout.contains(&format!(
            "Dead letters {dlq}: 2 visible, 0 in flight, 0 delayed"
        )),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("`receivers redrive`"));
    args.push("--json");
    let run = receivers(dir.path(), &args, &env_pairs(&env)).await.ok();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["queue"]["kind"], "sqs");
    assert_eq!(report["queue"]["queue"]["url"], queue.as_str());
    assert_eq!(report["queue"]["queue"]["visible"], 1);
    assert_eq!(report["queue"]["dead_letter"]["url"], dlq.as_str());
    assert_eq!(report["queue"]["dead_letter"]["visible"], 2);
    assert_eq!(row(&report, "slack", "team")["platform"]["team_id"], "T1");
}
