//! Viber, Facebook, Slack and Apple Messages through their Lambda handlers over moto: signatures
//! good, forged and stale, handshakes, every body shape, batches, gzip and JWT attacks.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use integration_tests::{Deployed, Outgoing, fixture, forged_apple_jwt, now_seconds, post, signed};
use serde_json::{Value, json};
use shared::testing::assert_value_matches_schema;

const VIBER_TOKEN: &str = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f";
const APP_SECRET: &str = "fb-app-secret";
const SIGNING_SECRET: &str = "slack-signing-secret";
const ABC_KEY: &[u8] = b"apple-messages-api-secret-bytes!";
const CSP: &str = "b6c3f0a2-7d8e-4b1a-9c3d-5e6f7a8b9c0d";

/// `body` as Viber posts it, signed with the bot token `token`.
fn viber_post(body: &[u8], token: &str) -> Outgoing {
    signed(
        &viber_receiver::Viber,
        &json!({"token": token}),
        post(body, "application/json"),
        SystemTime::now(),
    )
}

#[tokio::test]
async fn viber_signed_forged_webhook_and_a_token_above_two_to_the_53() {
    let viber = Deployed::new(viber_receiver::Viber, &json!({"token": VIBER_TOKEN})).await;
    let text = fixture("viber", "text.json");
    assert_eq!(viber.send(&viber_post(&text, "forged")).await.0, 401);
    assert_eq!(viber.invoke("POST", "/viber/demo", &[], &text).await.0, 401);
    let webhook = fixture("viber", "webhook.json");
    assert_eq!(viber.send(&viber_post(&webhook, VIBER_TOKEN)).await.0, 200);
    assert_eq!(viber.send(&viber_post(&text, VIBER_TOKEN)).await.0, 200);
    let seen = fixture("viber", "seen.json");
    assert_eq!(viber.send(&viber_post(&seen, VIBER_TOKEN)).await.0, 200);
    let envelopes = viber.envelopes(2).await;
    let ids: Vec<&str> = envelopes
        .iter()
        .map(|m| m.body["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "viber:demo:4912661846655238145",
            "viber:demo:seen:4912661846655238145"
        ],
        "exact, and the receipt apart"
    );
    assert_eq!(
        envelopes[0].deduplication_id.as_deref(),
        Some("viber:demo:4912661846655238145")
    );
    assert_eq!(
        envelopes[0].body["raw"]["message_token"].to_string(),
        "4912661846655238145",
        "raw keeps the integer"
    );
}

fn facebook_secret() -> Value {
    json!({"app_secret": APP_SECRET, "verify_token": "verify-me", "page_access_token": "EAAB"})
}

/// `request` signed as Meta signs it for an app with `app_secret` and `verify_token`.
fn facebook_signed(request: Outgoing, app_secret: &str, verify_token: &str) -> Outgoing {
    signed(
        &facebook_receiver::Facebook,
        &json!({"app_secret": app_secret, "verify_token": verify_token}),
        request,
        SystemTime::now(),
    )
}

/// `body` as Meta posts it, signed with `app_secret`.
fn facebook_post(body: &[u8], app_secret: &str) -> Outgoing {
    facebook_signed(post(body, "application/json"), app_secret, "verify-me")
}

/// A page entry with `count` text messages from one sender; `long` makes the last one large.
fn facebook_batch(first_mid: u32, count: u32, long: bool) -> Vec<u8> {
    let messaging: Vec<Value> = (0..count)
        .map(|n| {
            let text = if long && n + 1 == count { "x".repeat(4000) } else { format!("message {n}") };
            json!({"sender": {"id": "7381234567890123"}, "recipient": {"id": "104729178325631"}, "timestamp": 1_795_525_200_000_u64 + u64::from(n),
                   "message": {"mid": format!("m_{}", first_mid + n), "text": text}})
        })
        .collect();
    json!({"object": "page", "entry": [{"id": "104729178325631", "time": 1_795_525_200_500_u64, "messaging": messaging}]}).to_string().into_bytes()
}

#[tokio::test]
async fn facebook_handshake_signatures_and_a_batch_in_order() {
    let facebook = Deployed::new(facebook_receiver::Facebook, &facebook_secret()).await;
    let handshake = || Outgoing::get("hub.mode=subscribe&hub.challenge=1158201444");
    assert_eq!(
        facebook
            .send(&facebook_signed(handshake(), APP_SECRET, "verify-me"))
            .await,
        (200, "1158201444".into())
    );
    let wrong = facebook_signed(handshake(), APP_SECRET, "nope");
    assert_eq!(facebook.send(&wrong).await.0, 403);
    let batch = fixture("facebook", "batch.json");
    assert_eq!(facebook.send(&facebook_post(&batch, "forged")).await.0, 401);
    assert_eq!(
        facebook.send(&facebook_post(&batch, APP_SECRET)).await,
        (200, "EVENT_RECEIVED".into())
    );
    let envelopes = facebook.envelopes(3).await;
    let items: usize = serde_json::from_slice::<Value>(&batch).unwrap()["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["messaging"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(envelopes.len(), items, "one envelope per messaging item");
    for envelope in &envelopes {
        assert_value_matches_schema(&envelope.body);
        assert_eq!(envelope.attributes["channel"], "facebook");
    }
}

#[tokio::test]
async fn facebook_a_batch_that_fails_half_way_is_a_503_and_its_retry_lands_each_event_once() {
    let aws = integration_tests::Aws::new().await;
    let queue_url = aws.fifo_queue().await;
    // The queue takes messages up to 2 KiB for now: the last event of the request does not fit.
    let limit = |bytes: &str| {
        aws.sqs
            .set_queue_attributes()
            .queue_url(&queue_url)
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::MaximumMessageSize,
                bytes,
            )
            .send()
    };
    limit("2048").await.unwrap();
    let facebook = Deployed::on_queue(
        facebook_receiver::Facebook,
        &facebook_secret(),
        aws,
        queue_url.clone(),
    )
    .await;
    let request = facebook_post(&facebook_batch(100, 15, true), APP_SECRET);
    assert_eq!(
        facebook.send(&request).await.0,
        503,
        "the second batch of ten failed"
    );
    let limit = |bytes: &str| {
        facebook
            .aws
            .sqs
            .set_queue_attributes()
            .queue_url(&queue_url)
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::MaximumMessageSize,
                bytes,
            )
            .send()
    };
    limit("262144").await.unwrap();
    // Meta retries the same request: the first ten are deduplicated, the last five go in.
    assert_eq!(facebook.send(&request).await.0, 200);
    let envelopes = facebook.envelopes(15).await;
    let mids: Vec<String> = envelopes
        .iter()
        .map(|m| m.body["message"]["id"].as_str().unwrap().to_owned())
        .collect();
    let want: Vec<String> = (100..115).map(|n| format!("m_{n}")).collect();
    assert_eq!(mids, want, "each event exactly once, in order");
}

/// `body` as Slack posts it, signed with `signing_secret` at `at`.
fn slack_post(body: &[u8], content_type: &str, signing_secret: &str, at: SystemTime) -> Outgoing {
    signed(
        &slack_receiver::Slack,
        &json!({"signing_secret": signing_secret}),
        post(body, content_type),
        at,
    )
}

#[tokio::test]
async fn slack_every_body_shape_and_its_signature() {
    let slack = Deployed::new(
        slack_receiver::Slack,
        &json!({"signing_secret": SIGNING_SECRET, "bot_token": "xoxb", "bot_id": "B0DEMOBOT"}),
    )
    .await;
    let now = SystemTime::now();
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let verification = fixture("slack", "events/url_verification.json");
    let (status, body) = slack
        .send(&slack_post(&verification, json, SIGNING_SECRET, now))
        .await;
    let challenge = serde_json::from_slice::<Value>(&verification).unwrap()["challenge"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!((status, body), (200, challenge));

    let message = fixture("slack", "events/message.json");
    let ten_minutes_ago = now - Duration::from_secs(600);
    assert_eq!(
        slack
            .send(&slack_post(&message, json, SIGNING_SECRET, ten_minutes_ago))
            .await
            .0,
        401,
        "stale"
    );
    let forged = slack_post(&message, json, "another secret", now);
    assert_eq!(slack.send(&forged).await.0, 401);
    assert_eq!(
        slack
            .send(&slack_post(&message, json, SIGNING_SECRET, now))
            .await
            .0,
        200
    );

    let payload: Value =
        serde_json::from_slice(&fixture("slack", "interactivity/block_actions_button.json"))
            .unwrap();
    let interaction = serde_urlencoded_pairs(&[("payload", payload.to_string())]);
    assert_eq!(
        slack
            .send(&slack_post(&interaction, form, SIGNING_SECRET, now))
            .await
            .0,
        200
    );

    let fields: serde_json::Map<String, Value> =
        serde_json::from_slice(&fixture("slack", "commands/slash_command.json")).unwrap();
    let pairs: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap().to_owned()))
        .collect();
    let command = serde_urlencoded_pairs(&pairs);
    let mut retried = slack_post(&command, form, SIGNING_SECRET, now);
    retried.set_header("x-slack-retry-num", "1").unwrap();
    assert_eq!(slack.send(&retried).await.0, 200);

    let echo = fixture("slack", "events/message_echo_bot_id.json");
    assert_eq!(
        slack
            .send(&slack_post(&echo, json, SIGNING_SECRET, now))
            .await
            .0,
        200
    );

    let envelopes = slack.envelopes(3).await;
    let events: Vec<&str> = envelopes
        .iter()
        .map(|m| m.body["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        ["message", "callback", "command"],
        "the bot's own message is not enqueued"
    );
    assert_eq!(envelopes[2].body["message"]["payload"], "/weather");
    assert_eq!(envelopes[2].body["context"]["retry_num"], 1);
}

fn serde_urlencoded_pairs(pairs: &[(&str, String)]) -> Vec<u8> {
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&format!("{}={}", encode(key), encode(value)));
    }
    out.into_bytes()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The secret of an Apple bot with this API key and CSP id, as stored.
fn apple_secret(key: &[u8], csp: &str) -> Value {
    json!({"api_secret": STANDARD.encode(key), "csp_id": csp})
}

/// `body` with the headers Apple sends besides its token.
fn apple_post(body: &[u8]) -> Outgoing {
    let mut request = Outgoing::post(body.to_vec());
    for (name, value) in [
        ("id", integration_tests::unique("apple-message")),
        (
            "source-id",
            "urn:mbid:AQAAY8d9JZ3nQ2p7fGx3TnVxZ0lQb3dScmp0cG1vQ0xkc1F6".into(),
        ),
        (
            "destination-id",
            "6c3e1a7b-2f4d-4e8a-9b1c-0d2e3f4a5b6c".into(),
        ),
        ("capability-list", "LIST,TIME,QUICK".into()),
    ] {
        request.set_header(name, &value).unwrap();
    }
    request
}

/// `request` signed by Apple for the bot whose secret is `secret`, at `at`.
fn apple_signed(request: Outgoing, secret: &Value, at: SystemTime) -> Outgoing {
    signed(&abc_receiver::Abc::default(), secret, request, at)
}

/// `body` with Apple's headers and `token` as its bearer token.
fn apple_post_with_token(body: &[u8], token: &str) -> Outgoing {
    let mut request = apple_post(body);
    request
        .set_header("authorization", &format!("Bearer {token}"))
        .unwrap();
    request
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn apple_gzip_bombs_and_jwt_attacks() {
    let abc = Deployed::new(abc_receiver::Abc::default(), &apple_secret(ABC_KEY, CSP)).await;
    let secret = apple_secret(ABC_KEY, CSP);
    let now = SystemTime::now();
    let seconds = now_seconds();
    let text = fixture("abc", "text.json");
    let hs256 = json!({"alg": "HS256", "typ": "JWT"}).to_string();
    let attacks = [
        (
            "none",
            apple_post_with_token(
                &text,
                &format!(
                    "{}.{}.",
                    URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
                    URL_SAFE_NO_PAD.encode(json!({"aud": CSP}).to_string())
                ),
            ),
        ),
        (
            "HS512 header",
            apple_post_with_token(
                &text,
                &forged_apple_jwt(
                    json!({"alg": "HS512"}).to_string().as_bytes(),
                    json!({"aud": CSP, "iat": seconds}).to_string().as_bytes(),
                    ABC_KEY,
                ),
            ),
        ),
        (
            "wrong audience",
            apple_signed(
                apple_post(&text),
                &apple_secret(ABC_KEY, "someone-else"),
                now,
            ),
        ),
        (
            "expired",
            apple_post_with_token(
                &text,
                &forged_apple_jwt(
                    hs256.as_bytes(),
                    json!({"aud": [CSP], "iat": seconds - 7200, "exp": seconds - 3600})
                        .to_string()
                        .as_bytes(),
                    ABC_KEY,
                ),
            ),
        ),
        (
            "issued in the future",
            apple_signed(apple_post(&text), &secret, now + Duration::from_secs(3600)),
        ),
        (
            "another key",
            apple_signed(
                apple_post(&text),
                &apple_secret(b"not-the-api-secret", CSP),
                now,
            ),
        ),
    ];
    for (attack, request) in attacks {
        assert_eq!(abc.send(&request).await.0, 401, "{attack}");
    }
    assert_eq!(
        abc.send(&apple_signed(apple_post(&text), &secret, now))
            .await
            .0,
        200
    );
    let mut gzipped = apple_post(&gzip(&text));
    gzipped.path_suffix = "/message".to_owned();
    gzipped.set_header("content-encoding", "gzip").unwrap();
    let gzipped = apple_signed(gzipped, &secret, now);
    assert_eq!(
        abc.send(&gzipped).await.0,
        200,
        "gzip, on Apple's /message path"
    );
    let bomb = gzip(&vec![b'{'; 64 << 20]);
    let bomb = Outgoing {
        path_suffix: String::new(),
        body: bomb,
        ..gzipped
    };
    assert_eq!(abc.send(&bomb).await.0, 413);
    let envelopes = abc.envelopes(2).await;
    assert_eq!(envelopes.len(), 2);
    for envelope in &envelopes {
        assert_eq!(envelope.body["message"]["text"], "Where is my order?");
        assert_eq!(
            envelope.body["context"]["capabilities"],
            json!(["LIST", "TIME", "QUICK"])
        );
    }
}
