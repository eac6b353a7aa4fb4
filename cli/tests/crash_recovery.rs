//! `receivers serve` killed with SIGKILL while 20 clients send: after a restart every event
//! answered 200 is a readable spool line, the next append is not glued to a torn one, and the
//! platforms' retries of what was taken before the crash do not land twice.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_receivers");
const CLIENTS: u64 = 20;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(port: u16, secrets: &Path, spool: &Path) -> Child {
    let child = Command::new(BIN)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--secrets-file")
        .arg(secrets)
        .arg("--spool")
        .arg(spool)
        .env_remove("QUEUE_URL")
        .env_remove("SECRETS_SOURCE")
        .env("RUST_LOG", "off")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// Posts one Telegram update; whether it was answered 200 (false on any connection error).
fn post_update(port: u16, update_id: u64) -> bool {
    let body = format!(
        r#"{{"update_id":{update_id},"message":{{"message_id":1,"chat":{{"id":42,"type":"private"}},"date":1795525200,"text":"{}"}}}}"#,
        "x".repeat(400)
    );
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "POST /telegram/demo HTTP/1.1\r\nhost: x\r\nx-telegram-bot-api-secret-token: tg\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    stream.read_to_string(&mut answer).is_ok() && answer.starts_with("HTTP/1.1 200")
}

fn spooled_ids(spool: &Path) -> Vec<String> {
    std::fs::read_to_string(spool)
        .unwrap()
        .lines()
        .map(|line| {
            let envelope: shared::Envelope = serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("an unreadable spool line ({err}): {line}"));
            envelope.event_id
        })
        .collect()
}

#[test]
fn a_kill_mid_write_loses_no_answered_event_and_glues_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("bots.json");
    std::fs::write(
        &secrets,
        r#"{"receivers/telegram/demo": {"secret_token": "tg"}}"#,
    )
    .unwrap();
    let spool = dir.path().join("queue.jsonl");
    let port = free_port();
    let mut first = start(port, &secrets, &spool);

    let answered = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (answered, stop) = (Arc::clone(&answered), Arc::clone(&stop));
            std::thread::spawn(move || {
                for n in 0..100_000 {
                    let update_id = 970_000_000 + client * 100_000 + n;
                    if stop.load(Ordering::Relaxed) || !post_update(port, update_id) {
                        return;
                    }
                    answered.lock().unwrap().push(update_id);
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while answered.lock().unwrap().len() < 300 {
        assert!(Instant::now() < deadline, "the clients got too few answers");
        std::thread::sleep(Duration::from_millis(10));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    // Whatever the kill left, also leave what a crash inside an append leaves: a torn line.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&spool)
        .unwrap();
    file.write_all(br#"{"version":1,"channel":"telegram","bot":"de"#)
        .unwrap();
    drop(file);

    let mut second = start(port, &secrets, &spool);
    assert!(post_update(port, 1), "the first event after the restart");
    let answered = answered.lock().unwrap().clone();
    for update_id in answered.iter().take(200) {
        assert!(post_update(port, *update_id), "the platform's retry");
    }
    second.kill().unwrap();
    second.wait().unwrap();

    let ids = spooled_ids(&spool);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a retry landed twice");
    for update_id in answered.iter().chain([&1]) {
        let id = format!("telegram:demo:{update_id}");
        assert!(
            unique.contains(&id),
            "{id} was answered 200 but is not readable"
        );
    }
}
