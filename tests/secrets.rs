//! A bot whose secret has an authenticating field set to "" (or blank) is unusable, as if the
//! field were missing: each Lambda handler answers 503 and enqueues nothing, also for a request
//! that carries the empty credential itself (an empty header, a signature keyed with "").
#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use integration_tests::{Deployed, fixture, hmac_hex, now_seconds, telegram_update};
use serde_json::{Value, json};
use shared::Channel;

const CSP: &str = "b6c3f0a2-7d8e-4b1a-9c3d-5e6f7a8b9c0d";
const ABC_KEY: &[u8] = b"apple-messages-api-secret-bytes!";

/// Deploys `channel` with `secret`, sends one request, and expects the generic 503 and an
/// empty queue.
async fn assert_unusable<C: Channel>(
    channel: C,
    secret: &Value,
    request: (&str, &str, Vec<(&'static str, String)>, Vec<u8>),
) {
    let deployed = Deployed::new(channel, secret).await;
    let (method, path, headers, body) = request;
    let answer = deployed.invoke(method, path, &headers, &body).await;
    assert_eq!(
        answer,
        (503, "service unavailable, retry later".to_owned()),
        "{} {method} {path} with {secret}",
        C::NAME
    );
    deployed.assert_queue_empty().await;
}

fn json_headers(
    extra: impl IntoIterator<Item = (&'static str, String)>,
) -> Vec<(&'static str, String)> {
    let mut headers: Vec<(&'static str, String)> = extra.into_iter().collect();
    headers.push(("content-type", "application/json".to_owned()));
    headers
}

#[tokio::test]
async fn telegram_an_empty_secret_token_accepts_no_empty_header() {
    let body = telegram_update(900_000_101, "hello");
    for token in ["", "   "] {
        let headers = json_headers([("x-telegram-bot-api-secret-token", token.to_owned())]);
        assert_unusable(
            telegram_receiver::Telegram,
            &json!({"secret_token": token, "token": "123456:ABC"}),
            ("POST", "/telegram/demo", headers, body.clone()),
        )
        .await;
    }
}

#[tokio::test]
async fn viber_an_empty_token_signs_nothing() {
    let body = fixture("viber", "text.json");
    let headers = json_headers([("x-viber-content-signature", hmac_hex(b"", &body))]);
    assert_unusable(
        viber_receiver::Viber,
        &json!({"token": ""}),
        ("POST", "/viber/demo", headers, body),
    )
    .await;
}

#[tokio::test]
async fn facebook_an_empty_app_secret_or_verify_token_is_unusable() {
    let body = fixture("facebook", "message_text.json");
    let signature = format!("sha256={}", hmac_hex(b"", &body));
    assert_unusable(
        facebook_receiver::Facebook,
        &json!({"app_secret": "", "verify_token": "verify-me", "page_access_token": "EAAB"}),
        (
            "POST",
            "/facebook/demo",
            json_headers([("x-hub-signature-256", signature)]),
            body,
        ),
    )
    .await;
    let handshake = "/facebook/demo?hub.mode=subscribe&hub.verify_token=&hub.challenge=1158201444";
    assert_unusable(
        facebook_receiver::Facebook,
        &json!({"app_secret": "fb-app-secret", "verify_token": "", "page_access_token": "EAAB"}),
        ("GET", handshake, Vec::new(), Vec::new()),
    )
    .await;
}

#[tokio::test]
async fn slack_an_empty_or_blank_signing_secret_signs_nothing() {
    let body = fixture("slack", "events/message.json");
    for signing_secret in ["", " \t "] {
        let timestamp = now_seconds();
        let base = [format!("v0:{timestamp}:").as_bytes(), &body].concat();
        let headers = json_headers([
            ("x-slack-request-timestamp", timestamp.to_string()),
            (
                "x-slack-signature",
                format!("v0={}", hmac_hex(signing_secret.as_bytes(), &base)),
            ),
        ]);
        assert_unusable(
            slack_receiver::Slack,
            &json!({"signing_secret": signing_secret, "bot_token": "xoxb"}),
            ("POST", "/slack/demo", headers, body.clone()),
        )
        .await;
    }
}

/// The headers Apple sends with a token for `audience`, signed with `key`.
fn apple_headers(audience: &str, key: &[u8]) -> Vec<(&'static str, String)> {
    let head = URL_SAFE_NO_PAD.encode(json!({"alg": "HS256", "typ": "JWT"}).to_string());
    let claims = URL_SAFE_NO_PAD.encode(json!({"aud": audience, "iat": now_seconds()}).to_string());
    let signature = shared::verify::hmac_sha256(key, &[format!("{head}.{claims}").as_bytes()]);
    let token = format!("{head}.{claims}.{}", URL_SAFE_NO_PAD.encode(signature));
    json_headers([
        ("authorization", format!("Bearer {token}")),
        ("id", integration_tests::unique("apple-message")),
        (
            "source-id",
            "urn:mbid:AQAAY8d9JZ3nQ2p7fGx3TnVxZ0lQb3dScmp0cG1vQ0xkc1F6".to_owned(),
        ),
        (
            "destination-id",
            "6c3e1a7b-2f4d-4e8a-9b1c-0d2e3f4a5b6c".to_owned(),
        ),
    ])
}

#[tokio::test]
async fn apple_an_empty_api_secret_or_csp_id_is_unusable() {
    let body = fixture("abc", "text.json");
    assert_unusable(
        abc_receiver::Abc::default(),
        &json!({"api_secret": "", "csp_id": CSP}),
        (
            "POST",
            "/abc/demo/message",
            apple_headers(CSP, b""),
            body.clone(),
        ),
    )
    .await;
    // An empty `csp_id` matches no audience, not even a token addressed to "" with the real key.
    assert_unusable(
        abc_receiver::Abc::default(),
        &json!({"api_secret": STANDARD.encode(ABC_KEY), "csp_id": ""}),
        (
            "POST",
            "/abc/demo/message",
            apple_headers("", ABC_KEY),
            body,
        ),
    )
    .await;
}
