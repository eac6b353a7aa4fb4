//! Viber, Facebook, Slack and Apple Messages through their Lambda handlers over moto: signatures
//! good, forged and stale, handshakes, every body shape, batches, gzip and JWT attacks.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use integration_tests::{Deployed, fixture, hmac_hex, now_seconds};
use serde_json::{Value, json};
use shared::testing::assert_value_matches_schema;

const VIBER_TOKEN: &str = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f";
const APP_SECRET: &str = "fb-app-secret";
const SIGNING_SECRET: &str = "slack-signing-secret";
const ABC_KEY: &[u8] = b"apple-messages-api-secret-bytes!";
const CSP: &str = "b6c3f0a2-7d8e-4b1a-9c3d-5e6f7a8b9c0d";

fn viber_headers(body: &[u8], key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("x-viber-content-signature", hmac_hex(key.as_bytes(), body)),
        ("content-type", "application/json".into()),
    ]
}

#[tokio::test]
async fn viber_signed_forged_webhook_and_a_token_above_two_to_the_53() {
    let viber = Deployed::new(viber_receiver::Viber, &json!({"token": VIBER_TOKEN})).await;
    let text = fixture("viber", "text.json");
    assert_eq!(
        viber
            .invoke(
                "POST",
                "/viber/demo",
                &viber_headers(&text, "forged"),
                &text
            )
            .await
            .0,
        401
    );
    assert_eq!(viber.invoke("POST", "/viber/demo", &[], &text).await.0, 401);
    let webhook = fixture("viber", "webhook.json");
    assert_eq!(
        viber
            .invoke(
                "POST",
                "/viber/demo",
                &viber_headers(&webhook, VIBER_TOKEN),
                &webhook
            )
            .await
            .0,
        200
    );
    assert_eq!(
        viber
            .invoke(
                "POST",
                "/viber/demo",
                &viber_headers(&text, VIBER_TOKEN),
                &text
            )
            .await
            .0,
        200
    );
    let seen = fixture("viber", "seen.json");
    assert_eq!(
        viber
            .invoke(
                "POST",
                "/viber/demo",
                &viber_headers(&seen, VIBER_TOKEN),
                &seen
            )
            .await
            .0,
        200
    );
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

fn facebook_headers(body: &[u8], key: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "x-hub-signature-256",
            format!("sha256={}", hmac_hex(key.as_bytes(), body)),
        ),
        ("content-type", "application/json".into()),
    ]
}

fn facebook_secret() -> Value {
    json!({"app_secret": APP_SECRET, "verify_token": "verify-me", "page_access_token": "EAAB"})
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
    let handshake =
        "/facebook/demo?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444";
    assert_eq!(
        facebook.invoke("GET", handshake, &[], b"").await,
        (200, "1158201444".into())
    );
    let wrong = "/facebook/demo?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444";
    assert_eq!(facebook.invoke("GET", wrong, &[], b"").await.0, 403);
    let batch = fixture("facebook", "batch.json");
    assert_eq!(
        facebook
            .invoke(
                "POST",
                "/facebook/demo",
                &facebook_headers(&batch, "forged"),
                &batch
            )
            .await
            .0,
        401
    );
    assert_eq!(
        facebook
            .invoke(
                "POST",
                "/facebook/demo",
                &facebook_headers(&batch, APP_SECRET),
                &batch
            )
            .await,
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
    let body = facebook_batch(100, 15, true);
    let headers = facebook_headers(&body, APP_SECRET);
    assert_eq!(
        facebook
            .invoke("POST", "/facebook/demo", &headers, &body)
            .await
            .0,
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
    assert_eq!(
        facebook
            .invoke("POST", "/facebook/demo", &headers, &body)
            .await
            .0,
        200
    );
    let envelopes = facebook.envelopes(15).await;
    let mids: Vec<String> = envelopes
        .iter()
        .map(|m| m.body["message"]["id"].as_str().unwrap().to_owned())
        .collect();
    let want: Vec<String> = (100..115).map(|n| format!("m_{n}")).collect();
    assert_eq!(mids, want, "each event exactly once, in order");
}

fn slack_headers(body: &[u8], timestamp: u64, content_type: &str) -> Vec<(&'static str, String)> {
    let base = [format!("v0:{timestamp}:").as_bytes(), body].concat();
    vec![
        ("x-slack-request-timestamp", timestamp.to_string()),
        (
            "x-slack-signature",
            format!("v0={}", hmac_hex(SIGNING_SECRET.as_bytes(), &base)),
        ),
        ("content-type", content_type.into()),
    ]
}

#[tokio::test]
async fn slack_every_body_shape_and_its_signature() {
    let slack = Deployed::new(
        slack_receiver::Slack,
        &json!({"signing_secret": SIGNING_SECRET, "bot_token": "xoxb", "bot_id": "B0DEMOBOT"}),
    )
    .await;
    let now = now_seconds();
    let verification = fixture("slack", "events/url_verification.json");
    let (status, body) = slack
        .invoke(
            "POST",
            "/slack/demo",
            &slack_headers(&verification, now, "application/json"),
            &verification,
        )
        .await;
    let challenge = serde_json::from_slice::<Value>(&verification).unwrap()["challenge"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!((status, body), (200, challenge));

    let message = fixture("slack", "events/message.json");
    assert_eq!(
        slack
            .invoke(
                "POST",
                "/slack/demo",
                &slack_headers(&message, now - 600, "application/json"),
                &message
            )
            .await
            .0,
        401,
        "stale"
    );
    let mut forged = slack_headers(&message, now, "application/json");
    forged[1].1 = format!("v0={}", hmac_hex(b"another secret", &message));
    assert_eq!(
        slack
            .invoke("POST", "/slack/demo", &forged, &message)
            .await
            .0,
        401
    );
    assert_eq!(
        slack
            .invoke(
                "POST",
                "/slack/demo",
                &slack_headers(&message, now, "application/json"),
                &message
            )
            .await
            .0,
        200
    );

    let payload: Value =
        serde_json::from_slice(&fixture("slack", "interactivity/block_actions_button.json"))
            .unwrap();
    let form = serde_urlencoded_pairs(&[("payload", payload.to_string())]);
    assert_eq!(
        slack
            .invoke(
                "POST",
                "/slack/demo",
                &slack_headers(&form, now, "application/x-www-form-urlencoded"),
                &form
            )
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
    let mut retried = slack_headers(&command, now, "application/x-www-form-urlencoded");
    retried.push(("x-slack-retry-num", "1".into()));
    assert_eq!(
        slack
            .invoke("POST", "/slack/demo", &retried, &command)
            .await
            .0,
        200
    );

    let echo = fixture("slack", "events/message_echo_bot_id.json");
    assert_eq!(
        slack
            .invoke(
                "POST",
                "/slack/demo",
                &slack_headers(&echo, now, "application/json"),
                &echo
            )
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

fn jwt(header: &Value, claims: &Value, key: &[u8]) -> String {
    let head = URL_SAFE_NO_PAD.encode(header.to_string());
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signature = shared::verify::hmac_sha256(key, &[format!("{head}.{body}").as_bytes()]);
    format!("{head}.{body}.{}", URL_SAFE_NO_PAD.encode(signature))
}

fn apple_headers(token: &str) -> Vec<(&'static str, String)> {
    vec![
        ("authorization", format!("Bearer {token}")),
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
    ]
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn apple_gzip_bombs_and_jwt_attacks() {
    let abc = Deployed::new(
        abc_receiver::Abc::default(),
        &json!({"api_secret": STANDARD.encode(ABC_KEY), "csp_id": CSP}),
    )
    .await;
    let hs256 = json!({"alg": "HS256", "typ": "JWT"});
    let now = now_seconds();
    let good = jwt(&hs256, &json!({"aud": CSP, "iat": now}), ABC_KEY);
    let text = fixture("abc", "text.json");
    let attacks = [
        (
            "none",
            format!(
                "{}.{}.",
                URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
                URL_SAFE_NO_PAD.encode(json!({"aud": CSP}).to_string())
            ),
        ),
        (
            "HS512 header",
            jwt(
                &json!({"alg": "HS512"}),
                &json!({"aud": CSP, "iat": now}),
                ABC_KEY,
            ),
        ),
        (
            "wrong audience",
            jwt(&hs256, &json!({"aud": "someone-else", "iat": now}), ABC_KEY),
        ),
        (
            "expired",
            jwt(
                &hs256,
                &json!({"aud": [CSP], "iat": now - 7200, "exp": now - 3600}),
                ABC_KEY,
            ),
        ),
        (
            "issued in the future",
            jwt(&hs256, &json!({"aud": CSP, "iat": now + 3600}), ABC_KEY),
        ),
        (
            "another key",
            jwt(
                &hs256,
                &json!({"aud": CSP, "iat": now}),
                b"not-the-api-secret",
            ),
        ),
    ];
    for (attack, token) in attacks {
        assert_eq!(
            abc.invoke("POST", "/abc/demo", &apple_headers(&token), &text)
                .await
                .0,
            401,
            "{attack}"
        );
    }
    assert_eq!(
        abc.invoke("POST", "/abc/demo", &apple_headers(&good), &text)
            .await
            .0,
        200
    );
    let mut gzipped = apple_headers(&good);
    gzipped.push(("content-encoding", "gzip".into()));
    assert_eq!(
        abc.invoke("POST", "/abc/demo/message", &gzipped, &gzip(&text))
            .await
            .0,
        200,
        "gzip, on Apple's /message path"
    );
    let bomb = gzip(&vec![b'{'; 64 << 20]);
    assert_eq!(
        abc.invoke("POST", "/abc/demo", &gzipped, &bomb).await.0,
        413
    );
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
