//! `receivers bots list | show | remove` on the secrets file and on Secrets Manager (moto),
//! including secrets written by `connect`; values never show.
#![allow(clippy::unwrap_used)]

mod support;

use support::{directory_with_demo_bots, moto_env, read_json, receivers};

#[tokio::test]
async fn the_file_store_lists_shows_and_removes_bots() {
    let (dir, file) = directory_with_demo_bots();
    let file = file.to_str().unwrap();
    let list = receivers(dir.path(), &["bots", "list", "--secrets-file", file], &[])
        .await
        .ok();
    let rows: Vec<&str> = list.stdout.lines().collect();
    let every = messengers::all();
    assert_eq!(rows.len(), every.len() + 1, "{}", list.stdout);
    assert!(rows[0].starts_with("CHANNEL"));
    for channel in every.iter().map(|messenger| messenger.name) {
        assert!(
            rows.iter().any(|row| row.starts_with(channel)
                && row.contains("demo")
                && row.ends_with("ready")),
            "{channel}: {}",
            list.stdout
        );
    }

    let show = receivers(
        dir.path(),
        &["bots", "show", "telegram/demo", "--secrets-file", file],
        &[],
    )
    .await
    .ok();
    assert!(
        show.stdout.contains("fields:  secret_token, token"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains("receivers/telegram/demo"),
        "{}",
        show.stdout
    );
    let example = read_json(std::path::Path::new(file));
    for (_, secret) in example.as_object().unwrap() {
        for (_, value) in secret.as_object().unwrap() {
            assert!(!list.output().contains(value.as_str().unwrap()));
            assert!(!show.output().contains(value.as_str().unwrap()));
        }
    }

    let ambiguous = receivers(
        dir.path(),
        &["bots", "show", "demo", "--secrets-file", file],
        &[],
    )
    .await
    .failed();
    assert!(
        ambiguous.stderr.contains("several channels"),
        "{}",
        ambiguous.stderr
    );

    receivers(
        dir.path(),
        &["bots", "remove", "viber/demo", "--secrets-file", file],
        &[],
    )
    .await
    .ok();
    assert!(
        read_json(std::path::Path::new(file))
            .get("receivers/viber/demo")
            .is_none()
    );
    let list = receivers(dir.path(), &["bots", "list", "--secrets-file", file], &[])
        .await
        .ok();
    assert_eq!(
        list.stdout.lines().count(),
        messengers::all().len(),
        "the header and every demo bot but viber's: {}",
        list.stdout
    );
    let again = receivers(
        dir.path(),
        &["bots", "remove", "viber/demo", "--secrets-file", file],
        &[],
    )
    .await
    .failed();
    assert!(
        again.stderr.contains("no secret receivers/viber/demo"),
        "{}",
        again.stderr
    );
}

#[tokio::test]
async fn secrets_manager_holds_what_connect_writes_and_bots_manages_it() {
    let prefix = format!("{}/", integration_tests::unique("cli"));
    let mut env: Vec<(&str, String)> = moto_env();
    env.push(("SECRETS_SOURCE", "aws".to_owned()));
    env.push(("SECRETS_PREFIX", prefix.clone()));
    env.push(("ABC_API_SECRET", "c2VjcmV0LWtleS1TRUNSRVQ=".to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dir = tempfile::tempdir().unwrap();
    let connect = |bot: &'static str| {
        let env = env.clone();
        let dir = dir.path().to_owned();
        async move {
            let args = [
                "connect",
                "abc",
                "--bot",
                bot,
                "--url",
                "https://x.example.com",
                "--csp-id",
                "csp",
            ];
            receivers(&dir, &args, &env).await
        }
    };
    let first = connect("one").await.ok();
    assert!(
        first.stdout.contains(&format!(
            "Created the secret {prefix}abc/one in AWS Secrets Manager"
        )),
        "{}",
        first.stdout
    );
    connect("two").await.ok();
    let again = connect("one").await.ok();
    assert!(
        again.stdout.contains("Replaced the secret"),
        "{}",
        again.stdout
    );

    let aws = integration_tests::Aws::new().await;
    let stored = aws
        .secrets
        .get_secret_value()
        .secret_id(format!("{prefix}abc/one"))
        .send()
        .await
        .unwrap();
    let stored: serde_json::Value = serde_json::from_str(stored.secret_string().unwrap()).unwrap();
    assert_eq!(stored["csp_id"], "csp");

    let list = receivers(dir.path(), &["bots", "list"], &env).await.ok();
    let rows: Vec<&str> = list.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{}", list.stdout);
    assert!(
        rows[0].starts_with("abc")
            && rows[0].contains("one")
            && rows[0].contains("api_secret, csp_id")
    );
    let show = receivers(dir.path(), &["bots", "show", "two"], &env)
        .await
        .ok();
    assert!(
        show.stdout.contains("abc/two") && show.stdout.contains("ready"),
        "{}",
        show.stdout
    );
    assert!(!list.output().contains("c2VjcmV0") && !show.output().contains("c2VjcmV0"));

    receivers(
        dir.path(),
        &["bots", "remove", "abc/two", "--without-recovery"],
        &env,
    )
    .await
    .ok();
    let removed = receivers(dir.path(), &["bots", "remove", "one"], &env)
        .await
        .ok();
    assert!(
        removed.stdout.contains("recovery window"),
        "{}",
        removed.stdout
    );
    let list = receivers(dir.path(), &["bots", "list"], &env).await.ok();
    assert!(
        list.stdout.starts_with("No bots in AWS Secrets Manager"),
        "{}",
        list.stdout
    );

    // A secret scheduled for deletion is restored by connecting the bot again.
    let restored = connect("one").await.ok();
    assert!(
        restored.stdout.contains("Replaced the secret"),
        "{}",
        restored.stdout
    );
    let list = receivers(dir.path(), &["bots", "list"], &env).await.ok();
    assert_eq!(list.stdout.lines().count(), 2, "{}", list.stdout);
}

#[tokio::test]
async fn a_failed_registration_after_writing_to_secrets_manager_says_how_to_undo_there() {
    let fake = support::FakePlatform::start(&[
        (
            "/getMe",
            200,
            serde_json::json!({"ok": true, "result": {"id": 1, "username": "sm_bot"}}),
        ),
        (
            "/setWebhook",
            200,
            serde_json::json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 5"}),
        ),
    ])
    .await;
    let prefix = format!("{}/", integration_tests::unique("cli"));
    let mut env: Vec<(&str, String)> = moto_env();
    env.push(("SECRETS_SOURCE", "aws".to_owned()));
    env.push(("SECRETS_PREFIX", prefix.clone()));
    env.push(("TELEGRAM_API_URL", fake.url.clone()));
    env.push(("TELEGRAM_BOT_TOKEN", "42:SM-SECRET".to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "connect",
        "telegram",
        "--bot",
        "sm",
        "--url",
        "https://x.example.com",
    ];
    let run = receivers(dir.path(), &args, &env).await.failed();
    assert!(run.stderr.contains("Too Many Requests"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "the secret {prefix}telegram/sm is written in AWS Secrets Manager"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("To undo: SECRETS_SOURCE=aws receivers bots remove telegram/sm"),
        "{}",
        run.stderr
    );
    assert!(!run.output().contains("SM-SECRET"));
    let show = receivers(dir.path(), &["bots", "show", "telegram/sm"], &env)
        .await
        .ok();
    assert!(
        show.stdout.contains("fields:  secret_token, token"),
        "{}",
        show.stdout
    );
}
