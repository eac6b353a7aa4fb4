//! A bot whose secret has an authenticating field set to "" (or blank) is unusable, as if the
//! field were missing: each Lambda handler answers 503 and enqueues nothing, also for a request
//! that carries the empty credential itself (an empty header, a signature keyed with "").
#![allow(clippy::unwrap_used)]

use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use integration_tests::{
    Deployed, fixture, forged_apple_jwt, header_pairs, now_seconds, post, signed, telegram_update,
};
use serde_json::{Value, json};
use shared::Channel;
use shared::sample::Outgoing;

const CSP: &str = "b6c3f0a2-7d8e-4b1a-9c3d-5e6f7a8b9c0d";
const ABC_KEY: &[u8] = b"apple-messages-api-secret-bytes!";

/// Deploys `channel` with `secret`, sends one request, and expects the generic 503 and an
/// empty queue.
async fn assert_unusable<C: Channel>(
    channel: C,
    secret: &Value,
    request: (&str, &str, Vec<(&str, String)>, Vec<u8>),
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

/// `body` as the platform posts it for a bot with `secret`, signed by the channel itself (with
/// the empty key, where the secret has one).
fn signed_post<C: Channel>(channel: &C, secret: &Value, body: &[u8]) -> Outgoing {
    signed(
        channel,
        secret,
        post(body, "application/json"),
        SystemTime::now(),
    )
}

#[tokio::test]
async fn viber_an_empty_token_signs_nothing() {
    let secret = json!({"token": ""});
    let request = signed_post(
        &viber_receiver::Viber,
        &secret,
        &fixture("viber", "text.json"),
    );
    assert_unusable(
        viber_receiver::Viber,
        &secret,
        (
            "POST",
            "/viber/demo",
            header_pairs(&request),
            request.body.clone(),
        ),
    )
    .await;
}

#[tokio::test]
async fn facebook_an_empty_app_secret_or_verify_token_is_unusable() {
    let secret =
        json!({"app_secret": "", "verify_token": "verify-me", "page_access_token": "EAAB"});
    let request = signed_post(
        &facebook_receiver::Facebook,
        &secret,
        &fixture("facebook", "message_text.json"),
    );
    assert_unusable(
        facebook_receiver::Facebook,
        &secret,
        (
            "POST",
            "/facebook/demo",
            header_pairs(&request),
            request.body.clone(),
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
async fn whatsapp_an_empty_app_secret_or_verify_token_is_unusable() {
    let secret = json!({"app_secret": "", "verify_token": "verify-me", "access_token": "EAAG"});
    let request = signed_post(
        &whatsapp_receiver::WhatsApp,
        &secret,
        &fixture("whatsapp", "text.json"),
    );
    assert_unusable(
        whatsapp_receiver::WhatsApp,
        &secret,
        (
            "POST",
            "/whatsapp/demo",
            header_pairs(&request),
            request.body.clone(),
        ),
    )
    .await;
    let handshake = "/whatsapp/demo?hub.mode=subscribe&hub.verify_token=&hub.challenge=1904338216";
    assert_unusable(
        whatsapp_receiver::WhatsApp,
        &json!({"app_secret": "wa-app-secret", "verify_token": " ", "access_token": "EAAG"}),
        ("GET", handshake, Vec::new(), Vec::new()),
    )
    .await;
}

#[tokio::test]
async fn slack_an_empty_or_blank_signing_secret_signs_nothing() {
    let message = fixture("slack", "events/message.json");
    for signing_secret in ["", " \t "] {
        let secret = json!({"signing_secret": signing_secret, "bot_token": "xoxb"});
        let request = signed_post(&slack_receiver::Slack, &secret, &message);
        assert_unusable(
            slack_receiver::Slack,
            &secret,
            (
                "POST",
                "/slack/demo",
                header_pairs(&request),
                request.body.clone(),
            ),
        )
        .await;
    }
}

/// Apple's headers for a message, with this `authorization`.
fn apple_headers(authorization: String) -> Vec<(&'static str, String)> {
    json_headers([
        ("authorization", authorization),
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
            // An empty key cannot be read as a secret, so no `sign` can make this token.
            apple_headers(format!(
                "Bearer {}",
                forged_apple_jwt(
                    json!({"alg": "HS256", "typ": "JWT"}).to_string().as_bytes(),
                    json!({"aud": CSP, "iat": now_seconds()})
                        .to_string()
                        .as_bytes(),
                    b"",
                )
            )),
            body.clone(),
        ),
    )
    .await;
    // An empty `csp_id` matches no audience, not even a token addressed to "" with the real key.
    let secret = json!({"api_secret": STANDARD.encode(ABC_KEY), "csp_id": ""});
    let request = signed_post(&abc_receiver::Abc::default(), &secret, &body);
    let authorization = request.header("authorization").unwrap().to_owned();
    assert_unusable(
        abc_receiver::Abc::default(),
        &secret,
        (
            "POST",
            "/abc/demo/message",
            apple_headers(authorization),
            body,
        ),
    )
    .await;
}
