//! The spool end to end on a real file: once-only appends, group commit, restarts.

use std::time::SystemTime;

use super::*;
use crate::testing::sample_envelope;

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn appends_each_envelope_once_within_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.jsonl");
    let spool = Spool::open(&path).unwrap();
    let a = sample_envelope("telegram", "demo", "1", "telegram:demo:1");
    let b = sample_envelope("telegram", "demo", "1", "telegram:demo:2");
    spool.send(&[a.clone(), b.clone()]).await.unwrap();
    spool.send(std::slice::from_ref(&a)).await.unwrap();
    spool.close();
    let ids: Vec<_> = lines(&path)
        .iter()
        .map(|l| l["event_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["telegram:demo:1", "telegram:demo:2"]);
}

#[tokio::test]
async fn concurrent_sends_all_land_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.jsonl");
    let spool = Spool::open(&path).unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let spool = spool.clone();
            tokio::spawn(async move {
                let envelope = sample_envelope("viber", "demo", "u", &format!("viber:demo:{i}"));
                spool.send(&[envelope]).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    spool.close();
    assert_eq!(lines(&path).len(), 200);
}

#[tokio::test]
async fn a_restart_remembers_recent_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.jsonl");
    let mut envelope = sample_envelope("telegram", "demo", "1", "telegram:demo:7");
    envelope.received_at = crate::time::rfc3339_millis(SystemTime::now());
    let old = sample_envelope("telegram", "demo", "1", "telegram:demo:old");
    // Lines are appended in the order they were received: the old one first.
    let first = Spool::open(&path).unwrap();
    first.send(&[old.clone(), envelope.clone()]).await.unwrap();
    first.close();
    let second = Spool::open(&path).unwrap();
    second.send(&[envelope, old]).await.unwrap();
    second.close();
    assert_eq!(
        event_ids(&path),
        ["telegram:demo:old", "telegram:demo:7", "telegram:demo:old"],
        "only the recent id is remembered"
    );
}

#[tokio::test]
async fn a_closed_spool_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let spool = Spool::open(dir.path().join("q.jsonl")).unwrap();
    spool.close();
    let envelope = sample_envelope("telegram", "demo", "1", "telegram:demo:1");
    assert!(spool.send(&[envelope]).await.is_err());
}

fn event_ids(path: &Path) -> Vec<String> {
    lines(path)
        .iter()
        .map(|l| l["event_id"].as_str().unwrap().to_owned())
        .collect()
}

/// An envelope received just now, with a `raw` of about `raw_bytes`.
fn recent_envelope(event_id: &str, raw_bytes: usize) -> Envelope {
    let mut envelope = sample_envelope("telegram", "demo", "1", event_id);
    envelope.received_at = crate::time::rfc3339_millis(SystemTime::now());
    let padding = "p".repeat(raw_bytes);
    envelope.raw =
        serde_json::value::RawValue::from_string(format!(r#"{{"padding":"{padding}"}}"#)).unwrap();
    envelope
}

#[tokio::test]
async fn a_torn_last_line_is_cut_back_before_the_next_append() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.jsonl");
    let first = Spool::open(&path).unwrap();
    first
        .send(&[recent_envelope("telegram:demo:1", 10)])
        .await
        .unwrap();
    first.close();
    // What a crash in the middle of an append leaves: a line without its end.
    let mut torn = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut torn, br#"{"version":1,"channel":"tele"#).unwrap();
    drop(torn);
    let second = Spool::open(&path).unwrap();
    second
        .send(&[recent_envelope("telegram:demo:2", 10)])
        .await
        .unwrap();
    second.close();
    assert_eq!(event_ids(&path), ["telegram:demo:1", "telegram:demo:2"]);
}

#[tokio::test]
async fn a_restart_remembers_the_whole_window_whatever_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.jsonl");
    let first = Spool::open(&path).unwrap();
    // 12 MiB of envelopes, all within the window.
    let envelopes: Vec<Envelope> = (0..3000)
        .map(|n| recent_envelope(&format!("telegram:demo:{n}"), 4096))
        .collect();
    for chunk in envelopes.chunks(100) {
        first.send(chunk).await.unwrap();
    }
    first.close();
    assert!(std::fs::metadata(&path).unwrap().len() > 12 << 20);
    let second = Spool::open(&path).unwrap();
    second.send(&envelopes[..10]).await.unwrap();
    second
        .send(&[recent_envelope("telegram:demo:new", 10)])
        .await
        .unwrap();
    second.close();
    let ids = event_ids(&path);
    assert_eq!(
        ids.len(),
        3001,
        "the retries of the oldest events were dropped"
    );
    assert_eq!(ids.last().unwrap(), "telegram:demo:new");
}

#[tokio::test]
async fn an_envelope_that_would_span_two_lines_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.jsonl");
    let spool = Spool::open(&path).unwrap();
    let mut envelope = recent_envelope("telegram:demo:1", 1);
    envelope.raw = serde_json::value::RawValue::from_string("{\n\"a\": 1}".to_owned()).unwrap();
    assert!(spool.send(&[envelope]).await.is_err());
    spool.close();
    assert!(event_ids(&path).is_empty());
}
