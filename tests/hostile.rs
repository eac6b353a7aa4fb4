//! Hostile input to the local server: each is refused or handled within the limits, with a
//! specific status, never a 5xx, a crash or an unbounded allocation; the server keeps serving.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use integration_tests::{
    Outgoing, local_server, secrets_file, settings, signed, telegram_update,
    telegram_update_with_a_forged_envelope_line,
};
use serde_json::json;
use shared::secrets_file::SecretsFile;
use shared::spool::Spool;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const TOKEN: &str = "tg-hostile";

struct Server {
    base: String,
    spool: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let secrets = secrets_file(
        dir.path(),
        &json!({
            "receivers/telegram/demo": {"secret_token": TOKEN},
            "receivers/facebook/demo": {"app_secret": "fb-secret", "verify_token": "v"},
        }),
    );
    let spool = dir.path().join("queue.jsonl");
    let base = local_server(
        Arc::new(SecretsFile::open(&secrets).unwrap()),
        Spool::open(&spool).unwrap(),
        settings(),
    )
    .await;
    Server {
        base,
        spool,
        _dir: dir,
    }
}

impl Server {
    async fn telegram(&self, body: Vec<u8>, content_type: &str) -> u16 {
        let response = reqwest::Client::new()
            .post(format!("{}/telegram/demo", self.base))
            .header("x-telegram-bot-api-secret-token", TOKEN)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        response.status().as_u16()
    }

    fn spooled(&self) -> usize {
        std::fs::read_to_string(&self.spool)
            .unwrap_or_default()
            .lines()
            .count()
    }

    /// Sends raw bytes as a request; the status line's code.
    async fn raw(&self, request: &[u8]) -> u16 {
        let address = self.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer);
        answer
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0)
    }
}

#[tokio::test]
async fn a_body_with_line_breaks_stays_one_spool_line_across_a_restart() {
    let server = server().await;
    let body = telegram_update_with_a_forged_envelope_line(41);
    assert!(body.windows(2).any(|pair| pair == b"\r\n"));
    assert_eq!(server.telegram(body.clone(), "application/json").await, 200);
    let text = std::fs::read_to_string(&server.spool).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one envelope, one line: {text}");
    let envelope: shared::Envelope = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        (envelope.channel.as_str(), envelope.event_id.as_str()),
        ("telegram", "telegram:demo:41")
    );
    let raw: serde_json::Value = serde_json::from_str(envelope.raw.get()).unwrap();
    assert_eq!(
        raw["note"]["event_id"], "slack:victim:forged",
        "raw keeps its value"
    );
    // The platform's retry after a restart: the spool read back knows the event.
    let restarted = local_server(
        Arc::new(SecretsFile::open(server._dir.path().join("bots.json")).unwrap()),
        Spool::open(&server.spool).unwrap(),
        settings(),
    )
    .await;
    let retry = reqwest::Client::new()
        .post(format!("{restarted}/telegram/demo"))
        .header("x-telegram-bot-api-secret-token", TOKEN)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(retry.status().as_u16(), 200);
    assert_eq!(server.spooled(), 1, "the retry did not land twice");
}

#[tokio::test]
async fn bodies_that_try_the_parser() {
    let server = server().await;
    let deep = format!(
        r#"{{"update_id":1,"message":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(
        server.telegram(deep.into_bytes(), "application/json").await,
        400,
        "deep nesting"
    );
    let mut invalid = telegram_update(2, "x");
    invalid.splice(10..10, [0xff, 0xfe, 0xfd]);
    assert_eq!(
        server.telegram(invalid, "application/json").await,
        400,
        "invalid UTF-8"
    );
    let duplicate = br#"{"update_id":3,"update_id":4,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"date":1,"text":"x"}}"#;
    assert_eq!(
        server
            .telegram(duplicate.to_vec(), "application/json")
            .await,
        400,
        "duplicate keys"
    );
    assert_eq!(server.spooled(), 0);
    let huge = telegram_update(5, &"y".repeat(900_000));
    assert_eq!(
        server.telegram(huge, "application/json").await,
        200,
        "a huge string inside the limit"
    );
    assert_eq!(
        server
            .telegram(
                telegram_update(6, "text/plain is still the platform's JSON"),
                "text/plain"
            )
            .await,
        200,
        "wrong content type"
    );
    assert_eq!(server.spooled(), 2);
}

#[tokio::test]
async fn paths_and_headers_that_try_the_router() {
    let server = server().await;
    let body = String::from_utf8(telegram_update(7, "x")).unwrap();
    let request = |path: &str, token: &[u8]| {
        let mut bytes = format!("POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nx-telegram-bot-api-secret-token: ", body.len()).into_bytes();
        bytes.extend_from_slice(token);
        bytes.extend_from_slice(format!("\r\n\r\n{body}").as_bytes());
        bytes
    };
    for path in [
        "/telegram/..%2F..%2Fetc%2Fpasswd",
        "/telegram/a%00b",
        "/telegram/%2e%2e",
        "/telegram/demo%0d%0aX-Injected:%201",
    ] {
        assert_eq!(
            server.raw(&request(path, TOKEN.as_bytes())).await,
            404,
            "{path}"
        );
    }
    assert_eq!(
        server
            .raw(&request("/telegram/demo", b"tg-hostile\xff"))
            .await,
        401,
        "a token that is not ASCII"
    );
    let smuggled = b"wrong\r\nx-telegram-bot-api-secret-token: tg-hostile";
    assert_eq!(
        server.raw(&request("/telegram/demo", smuggled)).await,
        401,
        "a second token header does not replace the first"
    );
    assert_eq!(
        server
            .raw(&request("/telegram/demo", TOKEN.as_bytes()))
            .await,
        200,
        "still serving"
    );
}

#[tokio::test]
async fn a_million_tiny_entries_in_one_facebook_body() {
    let server = server().await;
    let items = vec!["{}"; 300_000].join(",");
    let body =
        format!(r#"{{"object":"page","entry":[{{"id":"1","time":1,"messaging":[{items}]}}]}}"#)
            .into_bytes();
    assert!(body.len() < 1 << 20, "inside the body limit");
    let request = signed(
        &facebook_receiver::Facebook,
        &json!({"app_secret": "fb-secret", "verify_token": "v"}),
        Outgoing::post(body),
        std::time::SystemTime::now(),
    );
    let response = reqwest::Client::new()
        .post(format!("{}/facebook/demo", server.base))
        .headers(request.headers)
        .body(request.body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(server.spooled(), 0);
    assert_eq!(
        server
            .telegram(telegram_update(8, "still serving"), "application/json")
            .await,
        200
    );
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_full_disk_answers_503_never_200() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = secrets_file(
        dir.path(),
        &json!({"receivers/telegram/demo": {"secret_token": TOKEN}}),
    );
    // /dev/full takes the open and refuses every write with ENOSPC: a disk with no room left.
    let base = local_server(
        Arc::new(SecretsFile::open(&secrets).unwrap()),
        Spool::open("/dev/full").unwrap(),
        settings(),
    )
    .await;
    for update_id in 1..=3 {
        let response = reqwest::Client::new()
            .post(format!("{base}/telegram/demo"))
            .header("x-telegram-bot-api-secret-token", TOKEN)
            .body(telegram_update(update_id, "x"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 503);
    }
}
