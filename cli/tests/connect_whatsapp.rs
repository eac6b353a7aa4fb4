//! `receivers connect whatsapp` against a fake Graph API: success (with a given and a generated
//! verify token), a refused token (nothing written), a subscription that fails after the secret
//! was written, `--dry-run`, and credentials that show nowhere.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Value, json};
use shared::verify::{hmac_sha256, to_hex};
use support::{FakePlatform, read_json, receivers};

const URL: &str = "https://hooks.example.com/prod";
const WABA: &str = "102290129340398";

fn account() -> (&'static str, u16, Value) {
    (
        "/102290129340398",
        200,
        json!({"id": WABA, "name": "Demo Shop"}),
    )
}

fn subscribed() -> (&'static str, u16, Value) {
    (
        "/102290129340398/subscribed_apps",
        200,
        json!({"success": true}),
    )
}

fn meta_error(message: &str, code: u16) -> Value {
    json!({"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC"}})
}

/// `connect whatsapp --bot shop` with the credentials in the environment, the secrets file
/// `bots.json` in `dir`, and `extra` flags.
async fn connect(fake: &FakePlatform, dir: &Path, extra: &[&str]) -> support::Run {
    let file = dir.join("bots.json");
    let mut args = vec![
        "connect",
        "whatsapp",
        "--bot",
        "shop",
        "--url",
        URL,
        "--secrets-file",
        file.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    receivers(
        dir,
        &args,
        &[
            ("GRAPH_API_URL", &fake.url),
            ("WHATSAPP_APP_SECRET", "app-SECRET"),
            ("WHATSAPP_ACCESS_TOKEN", "EAAG-token-SECRET"),
            ("WHATSAPP_WABA_ID", WABA),
        ],
    )
    .await
}

fn form(text: &str) -> HashMap<String, String> {
    serde_urlencoded::from_str(text).unwrap()
}

#[tokio::test]
async fn whatsapp_checks_the_token_with_proof_writes_the_secret_and_subscribes_the_app() {
    let fake = FakePlatform::start(&[account(), subscribed()]).await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect(&fake, dir.path(), &["--verify-token", "verify-SECRET"])
        .await
        .ok();
    let calls = fake.calls();
    assert_eq!(
        fake.paths(),
        [format!("/{WABA}"), format!("/{WABA}/subscribed_apps")]
    );
    let proof = to_hex(&hmac_sha256(b"app-SECRET", &[b"EAAG-token-SECRET"]));
    assert_eq!(calls[0].method, "GET");
    let query = form(&calls[0].query);
    assert_eq!(query["access_token"], "EAAG-token-SECRET");
    assert_eq!(query["appsecret_proof"], proof);
    assert_eq!(query["fields"], "id,name");
    assert_eq!(calls[1].method, "POST");
    let subscription = calls[1].form();
    assert_eq!(subscription["access_token"], "EAAG-token-SECRET");
    assert_eq!(subscription["appsecret_proof"], proof);
    assert_eq!(
        read_json(&dir.path().join("bots.json"))["receivers/whatsapp/shop"],
        json!({"app_secret": "app-SECRET", "verify_token": "verify-SECRET", "access_token": "EAAG-token-SECRET"})
    );
    for line in [
        format!("ok: WhatsApp Business Account Demo Shop (id {WABA})"),
        format!(
            "App Dashboard → WhatsApp → Configuration → Webhook: Callback URL {URL}/whatsapp/shop"
        ),
        "Verify token: the value you passed as --verify-token".to_owned(),
        "Webhook fields: subscribe messages".to_owned(),
    ] {
        assert!(
            run.stdout.contains(&line),
            "{line} missing:\n{}",
            run.stdout
        );
    }
    assert!(!run.output().contains("SECRET"), "{}", run.output());
    assert!(!run.output().contains(&proof), "{}", run.output());
}

#[tokio::test]
async fn a_generated_verify_token_is_stored_never_printed_and_the_way_to_read_it_is() {
    let fake = FakePlatform::start(&[account(), subscribed()]).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bots.json");
    let run = connect(&fake, dir.path(), &[]).await.ok();
    let secret = &read_json(&file)["receivers/whatsapp/shop"];
    let verify_token = secret["verify_token"].as_str().unwrap().to_owned();
    assert!(verify_token.len() >= 32, "{verify_token}");
    assert!(!run.output().contains(&verify_token), "{}", run.output());
    let read = format!(
        "jq -r '.\"receivers/whatsapp/shop\".verify_token' {}",
        file.display()
    );
    assert!(
        run.stdout.contains(&read),
        "{read} missing:\n{}",
        run.stdout
    );

    let again = connect(&fake, dir.path(), &[]).await.ok();
    assert!(
        again.stdout.contains("Replaced the secret"),
        "{}",
        again.stdout
    );
    assert_ne!(
        read_json(&file)["receivers/whatsapp/shop"]["verify_token"],
        verify_token
    );
}

#[tokio::test]
async fn a_refused_token_writes_nothing_and_shows_metas_message() {
    let fake = FakePlatform::start(&[(
        "/102290129340398",
        400,
        meta_error(
            "Error validating access token: Session has expired on Tuesday, 01-Dec-26.",
            190,
        ),
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect(&fake, dir.path(), &[]).await.failed();
    assert!(
        run.stderr.contains(
            "WhatsApp refused the credentials: Error validating access token: Session has \
             expired on Tuesday, 01-Dec-26. (OAuthException 190)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Nothing was written"), "{}", run.stderr);
    assert!(!dir.path().join("bots.json").exists());
    assert_eq!(fake.paths().len(), 1);
    assert!(!run.output().contains("SECRET"), "{}", run.output());
}

#[tokio::test]
async fn a_failed_subscription_says_what_is_left_and_how_to_finish_or_undo() {
    let fake = FakePlatform::start(&[
        account(),
        (
            "/102290129340398/subscribed_apps",
            403,
            meta_error(
                "(#200) Permissions error: whatsapp_business_management is missing",
                200,
            ),
        ),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bots.json");
    let run = connect(&fake, dir.path(), &[]).await.failed();
    for part in [
        "WhatsApp did not register the webhook: (#200) Permissions error: \
         whatsapp_business_management is missing (OAuthException 200)"
            .to_owned(),
        "State left: the secret receivers/whatsapp/shop is written in secrets file".to_owned(),
        "run the same command again".to_owned(),
        format!(
            "To undo: receivers bots remove whatsapp/shop --secrets-file {}",
            file.display()
        ),
    ] {
        assert!(
            run.stderr.contains(&part),
            "{part} missing:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        read_json(&file)["receivers/whatsapp/shop"]["access_token"],
        "EAAG-token-SECRET"
    );
    assert!(!run.output().contains("SECRET"), "{}", run.output());
}

#[tokio::test]
async fn dry_run_calls_nothing_writes_nothing_and_shows_no_credential() {
    let fake = FakePlatform::start(&[account(), subscribed()]).await;
    let dir = tempfile::tempdir().unwrap();
    let run = connect(
        &fake,
        dir.path(),
        &["--dry-run", "--verify-token", "verify-SECRET"],
    )
    .await
    .ok();
    assert!(fake.calls().is_empty(), "{:?}", fake.paths());
    assert!(!dir.path().join("bots.json").exists());
    let proof = to_hex(&hmac_sha256(b"app-SECRET", &[b"EAAG-token-SECRET"]));
    for part in [
        format!(
            "GET {}/{WABA}?fields=id%2Cname&access_token=***&appsecret_proof=***",
            fake.url
        ),
        format!(
            "POST {}/{WABA}/subscribed_apps access_token=***&appsecret_proof=***",
            fake.url
        ),
        format!("Callback URL {URL}/whatsapp/shop"),
    ] {
        assert!(
            run.stdout.contains(&part),
            "{part} missing:\n{}",
            run.stdout
        );
    }
    let plan = run
        .stdout
        .lines()
        .find(|line| line.starts_with("2. write the secret receivers/whatsapp/shop"))
        .unwrap_or_else(|| panic!("no write step:\n{}", run.stdout));
    for field in ["app_secret", "verify_token", "access_token"] {
        assert!(plan.contains(field), "{plan}");
    }
    assert!(!run.output().contains("SECRET"), "{}", run.output());
    assert!(!run.output().contains(&proof), "{}", run.output());
}

#[tokio::test]
async fn help_hides_the_credentials_and_a_bad_account_id_is_refused_before_any_call() {
    let fake = FakePlatform::start(&[account(), subscribed()]).await;
    let dir = tempfile::tempdir().unwrap();
    let help = connect(&fake, dir.path(), &["--help"]).await.ok();
    assert!(help.stdout.contains("--access-token"), "{}", help.stdout);
    assert!(help.stdout.contains("--waba-id"), "{}", help.stdout);
    for value in ["app-SECRET", "EAAG-token-SECRET", WABA] {
        assert!(!help.output().contains(value), "{}", help.output());
    }

    let bad = connect(&fake, dir.path(), &["--waba-id", "../me"])
        .await
        .failed();
    assert!(bad.stderr.contains("digits only"), "{}", bad.stderr);
    assert!(fake.calls().is_empty(), "{:?}", fake.paths());
    assert!(!dir.path().join("bots.json").exists());
}
