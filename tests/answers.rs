//! When several answers apply, the first of 405, 413, 404 (unknown bot), 401, 404 (another
//! Apple business), 400 wins (DESIGN.md §6). Checked over HTTP on the local server.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use integration_tests::{Outgoing, header_pairs, local_server, secrets_file, settings, signed};
use serde_json::json;
use shared::secrets_file::SecretsFile;
use shared::spool::Spool;

const ABC_KEY: &[u8] = b"answers-apple-api-secret-bytes!!";
const CSP: &str = "csp-answers";
const SLACK_SECRET: &str = "slack-secret";

/// The `authorization` header Apple sends, signed with `key`, now.
fn apple_token(key: &[u8]) -> (&'static str, String) {
    let secret = json!({"api_secret": STANDARD.encode(key), "csp_id": CSP});
    let request = signed(
        &abc_receiver::Abc::default(),
        &secret,
        Outgoing::post(Vec::new()),
        SystemTime::now(),
    );
    let token = request.header("authorization").unwrap().to_owned();
    ("authorization", token)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

async fn server() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let secrets = json!({
        "receivers/telegram/demo": {"secret_token": "tg"},
        "receivers/abc/demo": {"api_secret": STANDARD.encode(ABC_KEY), "csp_id": CSP},
        "receivers/abc/shop": {"api_secret": STANDARD.encode(ABC_KEY), "csp_id": CSP, "business_id": "biz-1"},
        "receivers/slack/demo": {"signing_secret": SLACK_SECRET},
    });
    let path = secrets_file(dir.path(), &secrets);
    let spool = Spool::open(dir.path().join("queue.jsonl")).unwrap();
    let base = local_server(
        Arc::new(SecretsFile::open(&path).unwrap()),
        spool,
        settings(),
    )
    .await;
    (base, dir)
}

async fn send(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> u16 {
    let mut request = reqwest::Client::new()
        .request(method.parse().unwrap(), format!("{base}{path}"))
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn method_then_size_then_bot() {
    let (base, _dir) = server().await;
    let huge = vec![b'x'; 2 << 20];
    assert_eq!(
        send(&base, "PUT", "/telegram/demo", &[], huge.clone()).await,
        405,
        "405 before 413"
    );
    assert_eq!(
        send(&base, "POST", "/telegram/ghost", &[], huge).await,
        413,
        "413 before 404"
    );
    assert_eq!(
        send(&base, "POST", "/telegram/ghost", &[], b"not json".to_vec()).await,
        404,
        "404 before 401 and 400"
    );
    assert_eq!(
        send(&base, "POST", "/telegram/demo", &[], b"not json".to_vec()).await,
        401,
        "401 before 400"
    );
    let token = [("x-telegram-bot-api-secret-token", "tg".to_owned())];
    assert_eq!(
        send(
            &base,
            "POST",
            "/telegram/demo",
            &token,
            b"not json".to_vec()
        )
        .await,
        400
    );
}

#[tokio::test]
async fn apple_bombs_tokens_businesses_and_bodies() {
    let (base, _dir) = server().await;
    let good = apple_token(ABC_KEY);
    let forged = apple_token(b"another key");
    let gzipped = ("content-encoding", "gzip".to_owned());
    let source = ("source-id", "urn:mbid:customer".to_owned());
    let id = ("id", "msg-1".to_owned());
    let bomb = gzip(&vec![b' '; 8 << 20]);
    assert!(
        bomb.len() < 64 << 10,
        "a small body that inflates past the limit"
    );
    assert_eq!(
        send(
            &base,
            "POST",
            "/abc/demo",
            &[forged.clone(), gzipped.clone()],
            bomb
        )
        .await,
        413,
        "413 before 401"
    );
    let corrupt = b"\x1f\x8b\x08\x00garbage".to_vec();
    assert_eq!(
        send(
            &base,
            "POST",
            "/abc/demo",
            &[forged.clone(), gzipped.clone()],
            corrupt.clone()
        )
        .await,
        401,
        "401 before 400"
    );
    assert_eq!(
        send(
            &base,
            "POST",
            "/abc/demo",
            &[good.clone(), gzipped],
            corrupt
        )
        .await,
        400
    );
    let other_business = ("destination-id", "biz-2".to_owned());
    let malformed = b"{\"not\": \"a message\"".to_vec();
    assert_eq!(
        send(
            &base,
            "POST",
            "/abc/shop/message",
            &[forged, other_business.clone()],
            malformed.clone()
        )
        .await,
        401,
        "401 before the business check"
    );
    assert_eq!(
        send(
            &base,
            "POST",
            "/abc/shop/message",
            &[good.clone(), other_business],
            malformed.clone()
        )
        .await,
        404,
        "another business before 400"
    );
    let right_business = ("destination-id", "biz-1".to_owned());
    assert_eq!(
        send(
            &base,
            "POST",
            "/abc/shop/message",
            &[
                good.clone(),
                right_business.clone(),
                source.clone(),
                id.clone()
            ],
            malformed
        )
        .await,
        400
    );
    let text = json!({"v": 1, "type": "text", "id": "msg-1", "sourceId": "urn:mbid:customer", "destinationId": "biz-1", "body": "hi"}).to_string().into_bytes();
    assert_eq!(
        send(
            &base,
            "POST",
            "/abc/shop/message",
            &[good, right_business, source, id],
            text
        )
        .await,
        200
    );
}

#[tokio::test]
async fn slack_stale_timestamps_are_401_whatever_the_body() {
    let (base, _dir) = server().await;
    // Signed with the bot's own secret, ten minutes ago: only the timestamp is wrong.
    let stale = signed(
        &slack_receiver::Slack,
        &json!({"signing_secret": SLACK_SECRET}),
        Outgoing::post(b"garbage".to_vec()),
        SystemTime::now() - Duration::from_secs(600),
    );
    assert_eq!(
        send(
            &base,
            "POST",
            "/slack/demo",
            &header_pairs(&stale),
            stale.body.clone()
        )
        .await,
        401
    );
}
