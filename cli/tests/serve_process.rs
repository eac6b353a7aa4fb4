//! `receivers serve` as a process: one-line start-up errors, and a graceful stop on SIGTERM
//! that leaves every accepted event in the spool.
#![allow(clippy::unwrap_used)]

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_receivers");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `receivers serve` with `args` until it exits by itself (start-up failures do).
fn serve_fails(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .arg("serve")
        .args(args)
        .env_remove("QUEUE_URL")
        .env_remove("SECRETS_SOURCE")
        .env("RUST_LOG", "off");
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "serve kept running with {args:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn one_error_line(output: &Output) -> String {
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line, got: {stderr}");
    lines[0].to_owned()
}

#[test]
fn an_unreadable_secrets_file_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let line = one_error_line(&serve_fails(
        &[
            "--secrets-file",
            missing.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ],
        &[],
    ));
    assert!(
        line.contains("cannot read or write the secrets file") && line.contains("missing.json"),
        "{line}"
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let line = one_error_line(&serve_fails(
        &[
            "--secrets-file",
            bad.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ],
        &[],
    ));
    assert!(line.contains("is not a JSON object of objects"), "{line}");
}

#[test]
fn a_port_in_use_is_one_line() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let spool = dir.path().join("q.jsonl");
    let line = one_error_line(&serve_fails(
        &["--addr", &addr, "--spool", spool.to_str().unwrap()],
        &[],
    ));
    assert!(line.contains(&format!("cannot listen on {addr}")), "{line}");
}

#[test]
fn a_bad_queue_url_or_setting_is_one_line() {
    let line = one_error_line(&serve_fails(
        &["--addr", "127.0.0.1:0"],
        &[("QUEUE_URL", "sqs://nowhere")],
    ));
    assert!(
        line.contains("QUEUE_URL") && line.contains("not valid"),
        "{line}"
    );
    let line = one_error_line(&serve_fails(
        &["--addr", "127.0.0.1:0"],
        &[("UPSTREAM_TIMEOUT_MS", "soon")],
    ));
    assert!(line.contains("UPSTREAM_TIMEOUT_MS"), "{line}");
}

fn start(port: u16, secrets: &std::path::Path, spool: &std::path::Path) -> Child {
    let child = Command::new(BIN)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--secrets-file",
            secrets.to_str().unwrap(),
            "--spool",
            spool.to_str().unwrap(),
        ])
        .env_remove("QUEUE_URL")
        .env_remove("SECRETS_SOURCE")
        .env("RUST_LOG", "warn")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn post_update(port: u16, update_id: u64) -> String {
    let body = format!(
        r#"{{"update_id":{update_id},"message":{{"message_id":1,"chat":{{"id":42,"type":"private"}},"date":1795525200,"text":"hi"}}}}"#
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "POST /telegram/demo HTTP/1.1\r\nhost: x\r\nx-telegram-bot-api-secret-token: tg\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly_with_every_accepted_event_in_the_spool() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("bots.json");
    std::fs::write(
        &secrets,
        r#"{"receivers/telegram/demo": {"secret_token": "tg"}}"#,
    )
    .unwrap();
    let spool = dir.path().join("queue.jsonl");
    let port = free_port();
    let mut child = start(port, &secrets, &spool);
    let accepted = (1..=20)
        .filter(|n| post_update(port, 960_000_000 + n).starts_with("HTTP/1.1 200"))
        .count();
    assert_eq!(accepted, 20);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    let lines = std::fs::read_to_string(&spool).unwrap().lines().count();
    assert_eq!(lines, accepted);
}
