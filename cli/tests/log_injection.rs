//! What a request carries cannot write a log line of its own: the `{bot}` segment and the
//! `X-Request-Id` header are escaped in the server's log.
#![allow(clippy::unwrap_used)]

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_receivers");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Sends raw request bytes; the answer's status line.
fn send(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_forged_log_line_in_the_path_or_request_id_stays_inside_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("bots.json");
    std::fs::write(
        &secrets,
        r#"{"receivers/telegram/demo": {"secret_token": "tg"}}"#,
    )
    .unwrap();
    let log = dir.path().join("serve.log");
    let port = free_port();
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--secrets-file")
        .arg(&secrets)
        .arg("--spool")
        .arg(dir.path().join("queue.jsonl"))
        .env_remove("QUEUE_URL")
        .env_remove("SECRETS_SOURCE")
        .env("RUST_LOG", "info")
        .stderr(std::fs::File::create(&log).unwrap())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }

    let forged_path = "/telegram/x%0aINFO%20request%7bchannel=telegram%7d:%20enqueued%20event_id=telegram:demo:666%1b%5b2J%00";
    let request = format!(
        "POST {forged_path} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
    );
    assert!(send(port, request.as_bytes()).contains("404"));
    let mut with_request_id = b"POST /telegram/demo HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\nx-request-id: r1\\\x1b[2J forged=".to_vec();
    with_request_id.extend_from_slice(b"\r\n\r\n{}");
    let status = send(port, &with_request_id);
    assert!(status.contains("401") || status.contains("400"), "{status}");
    child.kill().unwrap();
    child.wait().unwrap();

    let written = std::fs::read(&log).unwrap();
    let text = String::from_utf8_lossy(&written);
    assert!(
        text.contains("x\\nINFO request{channel=telegram}: enqueued event_id=telegram:demo:666"),
        "the refused request is logged, escaped: {text}"
    );
    for line in text.lines() {
        assert!(
            !line
                .trim_start()
                .starts_with("INFO request{channel=telegram}: enqueued"),
            "a request wrote a log line of its own: {line}"
        );
    }
    assert!(
        !written.iter().any(|byte| matches!(byte, 0x00 | 0x1b)),
        "raw NUL or ESC bytes reached the log: {text}"
    );
}
