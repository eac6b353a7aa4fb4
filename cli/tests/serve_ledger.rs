//! `receivers serve` keeps platform retries out across restarts: the spool's own index for
//! `--dedup-hours` (the clock moved with `faketime`), and DynamoDB when `LEDGER_TABLE` is set.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_receivers");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The multithreaded libfaketime of the Debian package `faketime` (which scripts/test installs).
fn libfaketime() -> PathBuf {
    let found = std::fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .map(|arch| arch.path().join("faketime/libfaketimeMT.so.1"))
        .find(|library| library.exists());
    found
        .expect("libfaketimeMT.so.1 under /usr/lib/*/faketime: install the Debian package faketime")
}

/// The server, its clock moved by `offset` (a `faketime` offset such as `+10m`), with `env`.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(dir: &Path, offset: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Self {
        let secrets = dir.join("bots.json");
        std::fs::write(
            &secrets,
            r#"{"receivers/telegram/demo": {"secret_token": "tg"}}"#,
        )
        .unwrap();
        let port = free_port();
        // libfaketime preloaded into the server itself (not the `faketime` wrapper, which forks
        // and would leave the server running when killed).
        let mut command = Command::new(BIN);
        if let Some(offset) = offset {
            command
                .env("LD_PRELOAD", libfaketime())
                .env("FAKETIME", offset)
                .env("FAKETIME_DONT_RESET", "1");
        }
        command
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--secrets-file")
            .arg(&secrets)
            .arg("--spool")
            .arg(dir.join("queue.jsonl"))
            .args(args)
            .env_remove("QUEUE_URL")
            .env_remove("LEDGER_TABLE")
            .env_remove("SECRETS_SOURCE")
            .env("RUST_LOG", "off")
            .envs(env.iter().copied())
            .stderr(Stdio::null());
        let child = command.spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "serve did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, port }
    }

    fn post(&self, update_id: u64) -> u16 {
        post(self.port, update_id)
    }

    fn stop(self) {
        drop(self);
    }
}

/// Stops the server, on a failed assertion too.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Posts one Telegram update to the server on `port`; the status line's code.
fn post(port: u16, update_id: u64) -> u16 {
    let body = format!(
        r#"{{"update_id":{update_id},"message":{{"message_id":1,"chat":{{"id":42,"type":"private"}},"date":1795525200,"text":"hi"}}}}"#
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
            stream,
            "POST /telegram/demo HTTP/1.1\r\nhost: x\r\nx-telegram-bot-api-secret-token: tg\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer[9..12].parse().unwrap()
}

fn spooled(dir: &Path, update_id: u64) -> usize {
    let id = format!("\"event_id\":\"telegram:demo:{update_id}\"");
    std::fs::read_to_string(dir.join("queue.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter(|line| line.contains(&id))
        .count()
}

#[test]
fn the_spool_keeps_a_retry_out_after_a_restart_ten_minutes_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), None, &[], &[]);
    assert_eq!(server.post(940_000_001), 200);
    server.stop();

    // Ten minutes on: past SQS FIFO's five, inside the default week.
    let later = Server::start(dir.path(), Some("+10m"), &[], &[]);
    assert_eq!(later.post(940_000_001), 200, "a duplicate is answered 200");
    assert_eq!(later.post(940_000_002), 200);
    later.stop();
    assert_eq!(spooled(dir.path(), 940_000_001), 1);
    assert_eq!(spooled(dir.path(), 940_000_002), 1);

    // With the queue's five minutes only, the same retry ten minutes on gets in again.
    let five_minutes = Server::start(dir.path(), Some("+10m"), &["--dedup-hours", "0"], &[]);
    assert_eq!(five_minutes.post(940_000_001), 200);
    five_minutes.stop();
    assert_eq!(spooled(dir.path(), 940_000_001), 2);
}

#[test]
fn the_spool_lets_a_retry_in_again_after_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let hour = ["--dedup-hours", "1"];
    let server = Server::start(dir.path(), None, &hour, &[]);
    assert_eq!(server.post(941_000_001), 200);
    assert_eq!(server.post(941_000_001), 200);
    server.stop();
    assert_eq!(spooled(dir.path(), 941_000_001), 1);

    let inside = Server::start(dir.path(), Some("+50m"), &hour, &[]);
    assert_eq!(inside.post(941_000_001), 200);
    inside.stop();
    assert_eq!(
        spooled(dir.path(), 941_000_001),
        1,
        "kept out within the hour"
    );

    let after = Server::start(dir.path(), Some("+2h"), &hour, &[]);
    assert_eq!(after.post(941_000_001), 200);
    after.stop();
    assert_eq!(spooled(dir.path(), 941_000_001), 2, "let in after the hour");
}

#[tokio::test]
async fn with_ledger_table_set_a_retry_after_a_restart_reaches_sqs_once() {
    let aws = integration_tests::Aws::new().await;
    let queue = aws.standard_queue().await;
    let table = aws.ledger_table().await;
    let env = [
        ("AWS_ENDPOINT_URL", integration_tests::moto_endpoint()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("QUEUE_URL", queue.as_str()),
        ("LEDGER_TABLE", table.as_str()),
    ];
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let server = Server::start(dir.path(), None, &[], &env);
        let port = server.port;
        let status = tokio::task::spawn_blocking(move || post(port, 942_000_001))
            .await
            .unwrap();
        assert_eq!(status, 200);
        server.stop();
    }
    let received = aws.drain(&queue, 2, Duration::from_secs(2)).await;
    let ids: Vec<&str> = received
        .iter()
        .map(|r| r.body["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["telegram:demo:942000001"]);
    assert!(
        aws.ledger_expiry(&table, "telegram:demo:942000001")
            .await
            .is_some()
    );
    assert!(!dir.path().join("queue.jsonl").exists() || spooled(dir.path(), 942_000_001) == 0);
}
