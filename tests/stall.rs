//! Clients that stall: `receivers serve` closes a stalled header, body or idle connection within
//! its timeouts, holds bodies in flight to its byte budget and connections to its cap, and keeps
//! answering complete requests meanwhile.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use clap::Parser as _;
use integration_tests::{limited_server, secrets_file, settings, telegram_update};
use serde_json::json;
use shared::secrets_file::SecretsFile;
use shared::spool::Spool;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

const TOKEN: &str = "tg-stall";
/// How long a test waits for what must happen before calling it hung.
const DEADLINE: Duration = Duration::from_secs(30);

struct Server {
    address: String,
    spool: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// The server with the limits these `receivers serve` flags set.
async fn server(flags: &[&str]) -> Server {
    let command = std::iter::once("receivers")
        .chain(["serve"])
        .chain(flags.iter().copied());
    let receivers::Command::Serve(args) = receivers::Cli::try_parse_from(command).unwrap().command
    else {
        unreachable!("parsed as serve");
    };
    let settings = settings();
    let limits = receivers::serve::Limits::from_args(&args.limits, settings.body_limit).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secrets = secrets_file(
        dir.path(),
        &json!({"receivers/telegram/demo": {"secret_token": TOKEN}}),
    );
    let spool = dir.path().join("queue.jsonl");
    let base = limited_server(
        Arc::new(SecretsFile::open(&secrets).unwrap()),
        Spool::open(&spool).unwrap(),
        settings,
        limits,
    )
    .await;
    Server {
        address: base.trim_start_matches("http://").to_owned(),
        spool,
        _dir: dir,
    }
}

impl Server {
    async fn connect(&self) -> TcpStream {
        TcpStream::connect(&self.address).await.unwrap()
    }

    /// A connection that sent `bytes` and then nothing more.
    async fn stalled(&self, bytes: &[u8]) -> TcpStream {
        let mut stream = self.connect().await;
        // A server that refuses the request may close before all of it is written.
        let _ = stream.write_all(bytes).await;
        stream
    }

    fn spooled(&self) -> String {
        std::fs::read_to_string(&self.spool).unwrap_or_default()
    }
}

/// A signed Telegram update carrying `text`.
fn signed(update_id: u64, text: &str, connection: &str) -> Vec<u8> {
    let body = telegram_update(update_id, text);
    let mut request = format!(
        "POST /telegram/demo HTTP/1.1\r\nhost: stall\r\nx-telegram-bot-api-secret-token: {TOKEN}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: {connection}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    request
}

/// A request to an unknown bot that declares `declared` body bytes and sends `sent` of them.
fn half_body(declared: usize, sent: usize) -> Vec<u8> {
    let mut request = format!(
        "POST /telegram/ghost HTTP/1.1\r\nhost: stall\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
    )
    .into_bytes();
    request.resize(request.len() + sent, b' ');
    request
}

const HALF_HEADER: &[u8] = b"POST /telegram/demo HTTP/1.1\r\nhost: stall\r\nx-telegram-bot-api-sec";

/// Reads until the server closes the connection (end of stream or reset); what it sent. Panics
/// if the connection is still open at the deadline.
async fn until_closed(mut stream: TcpStream) -> Vec<u8> {
    let deadline = Instant::now() + DEADLINE;
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        match timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return received,
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => panic!("the server kept the connection open for {DEADLINE:?}"),
        }
    }
}

/// The status code of the response at the start of `received`; 0 if there is none.
fn status(received: &[u8]) -> u16 {
    String::from_utf8_lossy(received)
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// Reads one response (headers and a `content-length` body) from a connection left open; its
/// status.
async fn response(stream: &mut TcpStream) -> u16 {
    let deadline = Instant::now() + DEADLINE;
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length: "))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if body.len() >= length {
                return status(&received);
            }
        }
        match timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(n)) if n > 0 => received.extend_from_slice(&buffer[..n]),
            other => panic!("no complete response: {other:?}, got {text:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_or_half_sent_header_is_closed_after_the_header_timeout() {
    let server = server(&["--header-timeout", "1s"]).await;
    let silent = server.connect().await;
    let half = server.stalled(HALF_HEADER).await;
    assert_eq!(status(&until_closed(silent).await), 0);
    assert_eq!(status(&until_closed(half).await), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_over_32_kib_is_answered_431() {
    let server = server(&[]).await;
    let padding = "a".repeat(40 << 10);
    let request = format!("GET /health HTTP/1.1\r\nhost: stall\r\nx-padding: {padding}\r\n\r\n");
    let stream = server.stalled(request.as_bytes()).await;
    assert_eq!(status(&until_closed(stream).await), 431);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complete_request_is_answered_while_300_connections_stall() {
    let server = server(&["--header-timeout", "3s", "--body-timeout", "3s"]).await;
    let mut stalled = Vec::new();
    for n in 0..300 {
        let bytes = if n % 2 == 0 {
            HALF_HEADER.to_vec()
        } else {
            half_body(1000, 400)
        };
        stalled.push(server.stalled(&bytes).await);
    }
    let mut good = server.connect().await;
    good.write_all(&signed(7_000_001, "while 300 stall", "close"))
        .await
        .unwrap();
    assert_eq!(status(&until_closed(good).await), 200);
    assert!(server.spooled().contains("while 300 stall"));
    for (n, stream) in stalled.into_iter().enumerate() {
        let expected = if n % 2 == 0 { 0 } else { 408 };
        assert_eq!(
            status(&until_closed(stream).await),
            expected,
            "connection {n}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let server = server(&["--header-timeout", "1s", "--idle-timeout", "4s"]).await;
    let mut stream = server.connect().await;
    stream
        .write_all(&signed(7_000_101, "first on the connection", "keep-alive"))
        .await
        .unwrap();
    assert_eq!(response(&mut stream).await, 200);
    // Idle for longer than the header timeout: the idle timeout is what applies.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stream
        .write_all(&signed(7_000_102, "second on the connection", "keep-alive"))
        .await
        .unwrap();
    assert_eq!(response(&mut stream).await, 200);
    assert_eq!(
        until_closed(stream).await,
        b"",
        "closed without another word"
    );
    assert!(server.spooled().contains("second on the connection"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_is_answered_408_and_closed_after_the_body_timeout() {
    let server = server(&["--body-timeout", "1s"]).await;
    let stream = server.stalled(&half_body(1_000_000, 500_000)).await;
    assert_eq!(status(&until_closed(stream).await), 408);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_bodies_hold_no_more_than_the_budget_and_give_it_back() {
    const BUDGET: usize = 2 << 20;
    const SENT: usize = 500_000;
    let server = server(&[
        "--body-timeout",
        "2s",
        "--max-body-bytes-in-flight",
        &BUDGET.to_string(),
    ])
    .await;
    let mut stalled = Vec::new();
    for _ in 0..12 {
        stalled.push(server.stalled(&half_body(1_000_000, SENT)).await);
    }
    // A complete request of the usual size is still taken.
    let mut small = server.connect().await;
    small
        .write_all(&signed(7_000_200, "while the budget is held", "close"))
        .await
        .unwrap();
    assert_eq!(status(&until_closed(small).await), 200);
    let mut timed_out = 0;
    for stream in stalled {
        match status(&until_closed(stream).await) {
            408 => timed_out += 1,
            // Refused past the budget: the answer may be lost to a reset, as the server closes
            // a connection whose body it did not read.
            503 | 0 => {}
            other => panic!("a stalled body answered {other}"),
        }
    }
    // Each body that waited for its timeout held all it was sent.
    assert!(
        timed_out <= BUDGET / SENT,
        "{timed_out} bodies held at once"
    );
    assert!(timed_out >= 1, "the budget takes some stalled bodies");
    // The budget is whole again: a body near the limit fits.
    let mut big = server.connect().await;
    big.write_all(&signed(7_000_201, &"y".repeat(900_000), "close"))
        .await
        .unwrap();
    assert_eq!(status(&until_closed(big).await), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_max_connections_a_connection_waits_until_one_closes() {
    let server = server(&["--max-connections", "4", "--header-timeout", "60s"]).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(server.connect().await);
    }
    let mut waiting = server.connect().await;
    waiting
        .write_all(&signed(7_000_301, "past the cap", "close"))
        .await
        .unwrap();
    let mut byte = [0_u8; 1];
    let early = tokio::time::timeout(Duration::from_secs(1), waiting.read(&mut byte)).await;
    assert!(early.is_err(), "served past the cap: {early:?}");
    assert!(!server.spooled().contains("past the cap"));
    drop(held);
    assert_eq!(status(&until_closed(waiting).await), 200);
    let mut next = server.connect().await;
    next.write_all(&signed(7_000_302, "after the cap freed", "close"))
        .await
        .unwrap();
    assert_eq!(status(&until_closed(next).await), 200);
    assert!(server.spooled().contains("past the cap"));
}
