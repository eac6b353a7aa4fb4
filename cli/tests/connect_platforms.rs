//! `receivers connect` for Viber, Facebook, Slack and Apple against fake platform APIs: success,
//! a refused credential (nothing written), a registration that fails after the secret was written.
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::json;
use shared::verify::{hmac_sha256, to_hex};
use support::{FakePlatform, read_json, receivers};

const URL: &str = "https://hooks.example.com/prod";

async fn connect_viber(fake: &FakePlatform, dir: &std::path::Path) -> support::Run {
    let file = dir.join("bots.json");
    receivers(
        dir,
        &[
            "connect",
            "viber",
            "--bot",
            "shop",
            "--url",
            URL,
            "--secrets-file",
            file.to_str().unwrap(),
        ],
        &[
            ("VIBER_API_URL", &fake.url),
            ("VIBER_AUTH_TOKEN", "viber-auth-SECRET"),
        ],
    )
    .await
}

#[tokio::test]
async fn viber_checks_the_token_writes_it_and_sets_the_webhook() {
    let account =
        json!({"status": 0, "status_message": "ok", "id": "pa:1", "name": "Shop", "uri": "shop"});
    let fake = FakePlatform::start(&[
        ("/get_account_info", 200, account.clone()),
        (
            "/set_webhook",
            200,
            json!({"status": 0, "status_message": "ok"}),
        ),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect_viber(&fake, dir.path()).await.ok();
    let calls = fake.calls();
    assert_eq!(fake.paths(), ["/get_account_info", "/set_webhook"]);
    assert_eq!(calls[0].headers["x-viber-auth-token"], "viber-auth-SECRET");
    let registration = calls[1].json();
    assert_eq!(registration["url"], format!("{URL}/viber/shop"));
    assert_eq!(
        registration["event_types"],
        json!([
            "delivered",
            "seen",
            "failed",
            "subscribed",
            "unsubscribed",
            "conversation_started"
        ])
    );
    let file = read_json(&dir.path().join("bots.json"));
    assert_eq!(
        file["receivers/viber/shop"],
        json!({"token": "viber-auth-SECRET"})
    );
    assert!(!run.output().contains("viber-auth-SECRET"));

    let refused = FakePlatform::start(&[(
        "/get_account_info",
        200,
        json!({"status": 2, "status_message": "invalidAuthToken"}),
    )])
    .await;
    let other = tempfile::tempdir().unwrap();
    let run = connect_viber(&refused, other.path()).await.failed();
    assert!(
        run.stderr.contains("invalidAuthToken (status 2)"),
        "{}",
        run.stderr
    );
    assert!(!other.path().join("bots.json").exists());

    let failing = FakePlatform::start(&[
        ("/get_account_info", 200, account),
        (
            "/set_webhook",
            200,
            json!({"status": 1, "status_message": "invalidUrl"}),
        ),
    ])
    .await;
    let third = tempfile::tempdir().unwrap();
    let run = connect_viber(&failing, third.path()).await.failed();
    assert!(run.stderr.contains("invalidUrl"), "{}", run.stderr);
    assert!(run.stderr.contains("State left"), "{}", run.stderr);
    assert!(read_json(&third.path().join("bots.json"))["receivers/viber/shop"].is_object());
}

async fn connect_facebook(fake: &FakePlatform, dir: &std::path::Path) -> support::Run {
    let file = dir.join("bots.json");
    receivers(
        dir,
        &[
            "connect",
            "facebook",
            "--bot",
            "page",
            "--url",
            URL,
            "--secrets-file",
            file.to_str().unwrap(),
        ],
        &[
            ("GRAPH_API_URL", &fake.url),
            ("FACEBOOK_PAGE_ACCESS_TOKEN", "EAAB-page-SECRET"),
            ("FACEBOOK_APP_SECRET", "app-SECRET"),
            ("FACEBOOK_VERIFY_TOKEN", "verify-SECRET"),
        ],
    )
    .await
}

#[tokio::test]
async fn facebook_checks_the_page_token_with_proof_and_subscribes_the_page() {
    let me = json!({"id": "104729178325631", "name": "Demo Page"});
    let fake = FakePlatform::start(&[
        ("/me", 200, me.clone()),
        ("/me/subscribed_apps", 200, json!({"success": true})),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect_facebook(&fake, dir.path()).await.ok();
    let calls = fake.calls();
    assert_eq!(fake.paths(), ["/me", "/me/subscribed_apps"]);
    let proof = to_hex(&hmac_sha256(b"app-SECRET", &[b"EAAB-page-SECRET"]));
    let query: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(&calls[0].query).unwrap();
    assert_eq!(query["access_token"], "EAAB-page-SECRET");
    assert_eq!(query["appsecret_proof"], proof);
    let form = calls[1].form();
    assert_eq!(form["appsecret_proof"], proof);
    assert!(form["subscribed_fields"].contains("messages,messaging_postbacks"));
    assert_eq!(
        read_json(&dir.path().join("bots.json"))["receivers/facebook/page"],
        json!({"app_secret": "app-SECRET", "verify_token": "verify-SECRET", "page_access_token": "EAAB-page-SECRET"})
    );
    assert!(
        run.stdout
            .contains(&format!("callback URL {URL}/facebook/page")),
        "{}",
        run.stdout
    );
    assert!(!run.output().contains("SECRET"));

    let refused = FakePlatform::start(&[(
        "/me",
        400,
        json!({"error": {"message": "Invalid OAuth access token - Cannot parse access token", "type": "OAuthException", "code": 190}}),
    )])
    .await;
    let other = tempfile::tempdir().unwrap();
    let run = connect_facebook(&refused, other.path()).await.failed();
    assert!(
        run.stderr
            .contains("Cannot parse access token (OAuthException 190)"),
        "{}",
        run.stderr
    );
    assert!(!other.path().join("bots.json").exists());

    let failing = FakePlatform::start(&[
        ("/me", 200, me),
        (
            "/me/subscribed_apps",
            403,
            json!({"error": {"message": "(#200) Permissions error", "type": "OAuthException", "code": 200}}),
        ),
    ])
    .await;
    let third = tempfile::tempdir().unwrap();
    let run = connect_facebook(&failing, third.path()).await.failed();
    assert!(run.stderr.contains("Permissions error"), "{}", run.stderr);
    assert!(run.stderr.contains("State left"), "{}", run.stderr);
    assert!(read_json(&third.path().join("bots.json"))["receivers/facebook/page"].is_object());
}

#[tokio::test]
async fn slack_keeps_the_bot_id_and_prints_the_request_urls() {
    let fake = FakePlatform::start(&[(
        "/auth.test",
        200,
        json!({"ok": true, "team": "Team", "user": "demo_bot", "team_id": "T1", "user_id": "U1", "bot_id": "B0BOT"}),
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bots.json");
    let args = [
        "connect",
        "slack",
        "--bot",
        "team",
        "--url",
        URL,
        "--secrets-file",
        file.to_str().unwrap(),
    ];
    let env = [
        ("SLACK_API_URL", fake.url.as_str()),
        ("SLACK_BOT_TOKEN", "xoxb-SECRET"),
        ("SLACK_SIGNING_SECRET", "signing-SECRET"),
    ];
    let run = receivers(dir.path(), &args, &env).await.ok();
    assert_eq!(
        fake.calls()[0].headers["authorization"],
        "Bearer xoxb-SECRET"
    );
    assert_eq!(
        read_json(&file)["receivers/slack/team"],
        json!({"signing_secret": "signing-SECRET", "bot_token": "xoxb-SECRET", "bot_id": "B0BOT"})
    );
    assert!(
        run.stdout.contains(&format!(
            "Event Subscriptions → Request URL: {URL}/slack/team"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Interactivity & Shortcuts"),
        "{}",
        run.stdout
    );
    assert!(!run.output().contains("SECRET"));

    let refused = FakePlatform::start(&[(
        "/auth.test",
        200,
        json!({"ok": false, "error": "invalid_auth"}),
    )])
    .await;
    let other = tempfile::tempdir().unwrap();
    let file = other.path().join("bots.json");
    let args = [
        "connect",
        "slack",
        "--bot",
        "team",
        "--url",
        URL,
        "--secrets-file",
        file.to_str().unwrap(),
    ];
    let env = [("SLACK_API_URL", refused.url.as_str()), env[1], env[2]];
    let run = receivers(other.path(), &args, &env).await.failed();
    assert!(
        run.stderr
            .contains("Slack refused the credentials: invalid_auth"),
        "{}",
        run.stderr
    );
    assert!(!file.exists());
}

#[tokio::test]
async fn abc_checks_the_secret_form_and_prints_the_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bots.json");
    let args = [
        "connect",
        "abc",
        "--bot",
        "support",
        "--url",
        URL,
        "--secrets-file",
        file.to_str().unwrap(),
        "--csp-id",
        "csp-1",
        "--business-id",
        "biz-1",
    ];
    let run = receivers(
        dir.path(),
        &args,
        &[("ABC_API_SECRET", "c2VjcmV0LWtleS1TRUNSRVQ=")],
    )
    .await
    .ok();
    assert_eq!(
        read_json(&file)["receivers/abc/support"],
        json!({"api_secret": "c2VjcmV0LWtleS1TRUNSRVQ=", "csp_id": "csp-1", "business_id": "biz-1"})
    );
    assert!(
        run.stdout.contains(&format!("{URL}/abc/support")),
        "{}",
        run.stdout
    );
    assert!(!run.output().contains("c2VjcmV0"));

    let bad = receivers(dir.path(), &args, &[("ABC_API_SECRET", "not base64 !")])
        .await
        .failed();
    assert!(bad.stderr.contains("not base64"), "{}", bad.stderr);
    assert!(bad.stderr.contains("Nothing was written"), "{}", bad.stderr);
    assert_eq!(read_json(&file).as_object().unwrap().len(), 1);
}
