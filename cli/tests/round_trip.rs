//! `simulate` → `serve` → `tail`, through the real binary: every sample kind of every channel
//! through the spool, and one of each channel through SQS on moto.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashSet;

use serde_json::Value;
use shared::testing::assert_value_matches_schema;
use support::{Server, directory_with_demo_bots, moto_env, receivers};

fn envelopes(run: &support::Run) -> Vec<Value> {
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[tokio::test]
async fn every_kind_of_every_channel_goes_from_simulate_through_serve_to_tail() {
    let (dir, secrets) = directory_with_demo_bots();
    let secrets = secrets.to_str().unwrap().to_owned();
    let spool = dir.path().join("spool/queue.jsonl");
    let spool = spool.to_str().unwrap();
    let server = Server::start(
        dir.path(),
        &["--secrets-file", &secrets, "--spool", spool],
        &[],
    )
    .await;

    let listed = receivers(dir.path(), &["simulate", "--list"], &[])
        .await
        .ok();
    let kinds: Vec<(String, String)> = listed
        .stdout
        .lines()
        .map(|line| {
            let (channel, kind) = line.split_once(' ').unwrap();
            (channel.to_owned(), kind.trim().to_owned())
        })
        .collect();
    assert!(kinds.len() >= 50, "{}", listed.stdout);
    let flags = [
        "--bot",
        "demo",
        "--to",
        &server.url,
        "--secrets-file",
        &secrets,
    ];
    for (channel, kind) in &kinds {
        let mut args = vec!["simulate", channel.as_str(), kind.as_str()];
        args.extend_from_slice(&flags);
        let run = receivers(dir.path(), &args, &[]).await;
        assert!(run.success, "{channel} {kind}:\n{}", run.output());
        assert!(
            run.stdout.contains("200 OK"),
            "{channel} {kind}:\n{}",
            run.stdout
        );
    }
    // The same kind twice is two events: every simulation has fresh ids.
    for _ in 0..2 {
        let mut args = vec!["simulate", "telegram", "message"];
        args.extend_from_slice(&flags);
        receivers(dir.path(), &args, &[]).await.ok();
    }

    let tail = receivers(
        dir.path(),
        &["tail", "--json", "-n", "all", "--spool", spool],
        &[],
    )
    .await
    .ok();
    let envelopes = envelopes(&tail);
    let ids: HashSet<&str> = envelopes
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), envelopes.len(), "event ids repeat");
    for envelope in &envelopes {
        assert_value_matches_schema(envelope);
        assert_eq!(envelope["bot"], "demo");
    }
    for channel in messengers::all().iter().map(|messenger| messenger.name) {
        let count = envelopes.iter().filter(|e| e["channel"] == channel).count();
        assert!(count >= 5, "{channel}: {count} envelopes");
    }
    let hello = envelopes
        .iter()
        .filter(|e| e["channel"] == "telegram" && e["message"]["text"] == "hello there")
        .count();
    assert_eq!(hello, 3, "the kind's own run and the two repeats");

    let readable = receivers(dir.path(), &["tail", "-n", "1", "--spool", spool], &[])
        .await
        .ok();
    assert_eq!(readable.stdout.lines().count(), 1, "{}", readable.stdout);
    assert!(
        readable.stdout.contains("telegram/demo"),
        "{}",
        readable.stdout
    );
    assert!(
        readable.stdout.contains("message") && readable.stdout.contains("\"hello there\""),
        "{}",
        readable.stdout
    );
    server.stop().await;
}

#[tokio::test]
async fn tail_follow_prints_envelopes_as_they_arrive() {
    use tokio::io::AsyncBufReadExt as _;

    let (dir, secrets) = directory_with_demo_bots();
    let secrets = secrets.to_str().unwrap().to_owned();
    let spool = dir.path().join("queue.jsonl");
    let spool = spool.to_str().unwrap();
    let server = Server::start(
        dir.path(),
        &["--secrets-file", &secrets, "--spool", spool],
        &[],
    )
    .await;
    let mut follower = tokio::process::Command::new(support::BINARY)
        .current_dir(dir.path())
        .args(["tail", "--follow", "--json", "--spool", spool])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(follower.stdout.take().unwrap()).lines();
    for kind in ["message", "callback_query"] {
        let args = [
            "simulate",
            "telegram",
            kind,
            "--bot",
            "demo",
            "--to",
            &server.url,
            "--secrets-file",
            &secrets,
        ];
        receivers(dir.path(), &args, &[]).await.ok();
        // A safety net for a hung follower, not a measure of speed.
        let line = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
            .await
            .expect("tail --follow printed nothing")
            .unwrap()
            .unwrap();
        let envelope: Value = serde_json::from_str(&line).unwrap();
        let expected = if kind == "message" {
            "message"
        } else {
            "callback"
        };
        assert_eq!(envelope["event"], expected, "{line}");
    }
    follower.kill().await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn simulate_refuses_an_unknown_bot_and_reports_a_missing_receiver() {
    let (dir, secrets) = directory_with_demo_bots();
    let secrets = secrets.to_str().unwrap();
    let unknown = receivers(
        dir.path(),
        &[
            "simulate",
            "viber",
            "seen",
            "--bot",
            "nobody",
            "--secrets-file",
            secrets,
        ],
        &[],
    )
    .await
    .failed();
    assert!(
        unknown.stderr.contains("no secret receivers/viber/nobody"),
        "{}",
        unknown.stderr
    );
    let closed = format!("http://127.0.0.1:{}", integration_tests::free_port());
    let missing = receivers(
        dir.path(),
        &[
            "simulate",
            "slack",
            "message",
            "--bot",
            "demo",
            "--secrets-file",
            secrets,
            "--to",
            &closed,
        ],
        &[],
    )
    .await
    .failed();
    assert!(
        missing.stderr.contains("no receiver answers at"),
        "{}",
        missing.stderr
    );
}

#[tokio::test]
async fn through_sqs_tail_peeks_without_deleting_until_asked() {
    let aws = integration_tests::Aws::new().await;
    let queue = aws.fifo_queue().await;
    let (dir, secrets) = directory_with_demo_bots();
    let secrets = secrets.to_str().unwrap().to_owned();
    let mut env: Vec<(&str, String)> = moto_env();
    env.push(("QUEUE_URL", queue));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Server::start(dir.path(), &["--secrets-file", &secrets], &env).await;
    let every: Vec<&str> = messengers::all().iter().map(|m| m.name).collect();
    for channel in every.iter().copied() {
        let args = [
            "simulate",
            channel,
            "message",
            "--bot",
            "demo",
            "--to",
            &server.url,
            "--secrets-file",
            &secrets,
        ];
        receivers(dir.path(), &args, &env).await.ok();
    }
    let channels = |run: &support::Run| {
        let mut channels: Vec<String> = envelopes(run)
            .iter()
            .map(|e| e["channel"].as_str().unwrap().to_owned())
            .collect();
        channels.sort();
        channels
    };
    let mut all = every.clone();
    all.sort_unstable();
    let peek = receivers(dir.path(), &["tail", "--json", "-n", "all"], &env)
        .await
        .ok();
    assert_eq!(channels(&peek), all, "{}", peek.output());
    let again = receivers(dir.path(), &["tail", "--json", "-n", "all"], &env)
        .await
        .ok();
    assert_eq!(channels(&again), all, "still there:\n{}", again.output());
    let taken = receivers(dir.path(), &["tail", "-n", "all", "--delete"], &env)
        .await
        .ok();
    assert_eq!(
        taken.stdout.lines().count(),
        every.len(),
        "{}",
        taken.stdout
    );
    let empty = receivers(dir.path(), &["tail", "--json", "-n", "all"], &env)
        .await
        .ok();
    assert!(empty.stdout.is_empty(), "{}", empty.stdout);
    server.stop().await;
}
