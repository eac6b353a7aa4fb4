//! `receivers connect telegram` against a fake Telegram API: success, a refused token (nothing
//! written), a registration that fails after the secret was written, retries, unreachable APIs,
//! `--dry-run`.
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::{Value, json};
use support::{FakePlatform, read_json, receivers};

const URL: &str = "https://hooks.example.com/prod";

fn telegram_ok() -> Vec<(&'static str, u16, Value)> {
    vec![
        (
            "/getMe",
            200,
            json!({"ok": true, "result": {"id": 5_550_001, "is_bot": true, "first_name": "Demo", "username": "demo_bot"}}),
        ),
        (
            "/setWebhook",
            200,
            json!({"ok": true, "result": true, "description": "Webhook was set"}),
        ),
    ]
}

async fn connect_telegram(
    fake: &FakePlatform,
    dir: &std::path::Path,
    extra: &[&str],
) -> support::Run {
    let file = dir.join("bots.json");
    let mut args = vec![
        "connect",
        "telegram",
        "--bot",
        "mybot",
        "--url",
        URL,
        "--token",
        "123456:TOKEN-abc",
        "--secrets-file",
        file.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    receivers(dir, &args, &[("TELEGRAM_API_URL", &fake.url)]).await
}

#[tokio::test]
async fn telegram_checks_writes_a_fresh_secret_token_and_registers_every_update_kind() {
    let fake = FakePlatform::start(&telegram_ok()).await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect_telegram(&fake, dir.path(), &[]).await.ok();
    assert_eq!(
        fake.paths(),
        [
            "/bot123456:TOKEN-abc/getMe",
            "/bot123456:TOKEN-abc/setWebhook"
        ]
    );
    let secret = &read_json(&dir.path().join("bots.json"))["receivers/telegram/mybot"];
    assert_eq!(secret["token"], "123456:TOKEN-abc");
    let secret_token = secret["secret_token"].as_str().unwrap();
    assert!(secret_token.len() >= 32, "{secret_token}");
    assert!(
        secret_token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    );
    let registration = fake.calls()[1].json();
    assert_eq!(registration["url"], format!("{URL}/telegram/mybot"));
    assert_eq!(registration["secret_token"], secret_token);
    let kinds = registration["allowed_updates"].as_array().unwrap();
    for kind in [
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
        "message_reaction",
    ] {
        assert!(kinds.contains(&json!(kind)), "{kind} missing");
    }
    assert!(run.stdout.contains("@demo_bot"), "{}", run.stdout);
    assert!(!run.output().contains("TOKEN-abc") && !run.output().contains(secret_token));

    // Connecting again replaces the secret with a new secret_token.
    let again = connect_telegram(&fake, dir.path(), &[]).await.ok();
    assert!(
        again.stdout.contains("Replaced the secret"),
        "{}",
        again.stdout
    );
    let replaced = &read_json(&dir.path().join("bots.json"))["receivers/telegram/mybot"];
    assert_ne!(replaced["secret_token"], secret_token);
}

#[tokio::test]
async fn a_refused_telegram_token_writes_nothing_and_says_why() {
    let fake = FakePlatform::start(&[(
        "/getMe",
        401,
        json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect_telegram(&fake, dir.path(), &[]).await.failed();
    assert!(
        run.stderr
            .contains("Telegram refused the credentials: Unauthorized (error 401)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Nothing was written"), "{}", run.stderr);
    assert!(!dir.path().join("bots.json").exists());
    assert_eq!(fake.paths().len(), 1);
    assert!(!run.output().contains("TOKEN-abc"));
}

#[tokio::test]
async fn a_failed_telegram_registration_says_what_is_left_and_how_to_finish_or_undo() {
    let fake = FakePlatform::start(&[
        telegram_ok().remove(0),
        (
            "/setWebhook",
            400,
            json!({"ok": false, "error_code": 400, "description": "Bad Request: bad webhook: HTTPS url must be provided for webhook"}),
        ),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect_telegram(&fake, dir.path(), &[]).await.failed();
    assert!(
        run.stderr.contains("HTTPS url must be provided"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("State left: the secret receivers/telegram/mybot is written"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("run the same command again"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("receivers bots remove telegram/mybot --secrets-file"),
        "{}",
        run.stderr
    );
    assert!(read_json(&dir.path().join("bots.json"))["receivers/telegram/mybot"].is_object());
    assert!(!run.output().contains("TOKEN-abc"));
}

#[tokio::test]
async fn a_platform_outage_is_retried_then_reported_with_the_state_left() {
    let fake = FakePlatform::start(&[
        telegram_ok().remove(0),
        ("/setWebhook", 502, json!({"ok": false})),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect_telegram(&fake, dir.path(), &[]).await.failed();
    assert_eq!(fake.paths().len(), 5, "getMe once, setWebhook four times");
    assert!(run.stderr.contains("502"), "{}", run.stderr);
    assert!(run.stderr.contains("State left"), "{}", run.stderr);
}

#[tokio::test]
async fn an_unreachable_api_is_reported_plainly_and_nothing_is_written() {
    let closed = format!("http://127.0.0.1:{}", integration_tests::free_port());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bots.json");
    let run = receivers(
        dir.path(),
        &[
            "connect",
            "telegram",
            "--bot",
            "b",
            "--url",
            URL,
            "--secrets-file",
            file.to_str().unwrap(),
        ],
        &[
            ("TELEGRAM_API_URL", &closed),
            ("TELEGRAM_BOT_TOKEN", "999:HIDDEN"),
        ],
    )
    .await
    .failed();
    assert!(
        run.stderr
            .contains(&format!("could not reach {closed} (4 tries)")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Nothing was written"), "{}", run.stderr);
    assert!(!run.output().contains("HIDDEN"));
    assert!(!file.exists());
}

#[tokio::test]
async fn dry_run_shows_the_calls_redacted_and_makes_none() {
    let fake = FakePlatform::start(&telegram_ok()).await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect_telegram(&fake, dir.path(), &["--dry-run"])
        .await
        .ok();
    assert!(fake.calls().is_empty(), "{:?}", fake.paths());
    assert!(!dir.path().join("bots.json").exists());
    assert!(run.stdout.contains("/bot***/getMe"), "{}", run.stdout);
    assert!(run.stdout.contains("/bot***/setWebhook"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\"secret_token\":\"***\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("fields: secret_token, token"),
        "{}",
        run.stdout
    );
    assert!(!run.output().contains("TOKEN-abc"));
}
