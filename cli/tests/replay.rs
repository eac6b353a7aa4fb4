//! `receivers replay`: the envelopes of a spool (made by a running `receivers serve` from
//! simulated events of every channel) sent again, to another running server, whose receivers
//! find the same events, and to an SQS queue on moto; the window and filters; `--dry-run`.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use integration_tests::Aws;
use serde_json::Value;
use support::{Server, directory_with_demo_bots, env_pairs, moto_env, receivers};

/// Events of every channel, in the shapes whose requests differ (batches, standby, forms,
/// interactions, gzip, statuses).
const SIMULATED: &[(&str, &str)] = &[
    ("telegram", "message"),
    ("telegram", "callback_query"),
    ("viber", "message-text"),
    ("viber", "seen"),
    ("facebook", "batch"),
    ("facebook", "standby"),
    ("facebook", "instagram"),
    ("slack", "message"),
    ("slack", "slash_command"),
    ("slack", "block_actions"),
    ("slack", "view_submission"),
    ("abc", "text_gzip"),
    ("abc", "list_picker_reply"),
    ("whatsapp", "message_text"),
    ("whatsapp", "status_failed"),
];

/// A spool written by `receivers serve` from the simulated events; its path.
async fn source_spool(dir: &Path) -> std::path::PathBuf {
    let server = Server::start(
        dir,
        &["--secrets-file", "bots.json", "--spool", "source.jsonl"],
        &[],
    )
    .await;
    for (channel, kind) in SIMULATED {
        let args = [
            "simulate",
            channel,
            kind,
            "--bot",
            "demo",
            "--to",
            &server.url,
            "--secrets-file",
            "bots.json",
        ];
        receivers(dir, &args, &[]).await.ok();
    }
    server.stop().await;
    dir.join("source.jsonl")
}

fn envelopes(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The envelopes by event id, without the time each was received.
fn by_event_id(envelopes: Vec<Value>) -> BTreeMap<String, Value> {
    envelopes
        .into_iter()
        .map(|mut envelope| {
            envelope.as_object_mut().unwrap().remove("received_at");
            (envelope["event_id"].as_str().unwrap().to_owned(), envelope)
        })
        .collect()
}

#[tokio::test]
async fn a_replay_to_a_running_server_gives_it_the_same_events() {
    let (dir, _) = directory_with_demo_bots();
    let source = source_spool(dir.path()).await;
    let original = by_event_id(envelopes(&source));
    assert!(original.len() > SIMULATED.len(), "{}", original.len());
    let target = Server::start(
        dir.path(),
        &["--secrets-file", "bots.json", "--spool", "target.jsonl"],
        &[],
    )
    .await;
    let run = receivers(
        dir.path(),
        &[
            "replay",
            "--from",
            "1h",
            "--to",
            &target.url,
            "--spool",
            "source.jsonl",
            "--secrets-file",
            "bots.json",
        ],
        &[],
    )
    .await
    .ok();
    target.stop().await;
    let count = original.len();
    assert!(
        run.stdout
            .contains(&format!("sent {count}, skipped 0, failed 0")),
        "{}",
        run.output()
    );
    assert!(run.stdout.contains("remember event ids"), "{}", run.stdout);
    let replayed = by_event_id(envelopes(&dir.path().join("target.jsonl")));
    assert_eq!(
        replayed.keys().collect::<Vec<_>>(),
        original.keys().collect::<Vec<_>>()
    );
    for (id, envelope) in &original {
        assert_eq!(&replayed[id], envelope, "{id}");
    }
}

#[tokio::test]
async fn the_window_and_the_filters_choose_the_envelopes() {
    let (dir, _) = directory_with_demo_bots();
    let source = source_spool(dir.path()).await;
    let written = envelopes(&source).len();
    let mut text = std::fs::read_to_string(&source).unwrap();
    let mut old: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    old["received_at"] = Value::from("2020-01-01T00:00:00.000Z");
    text.push_str(&format!("{old}\nnot an envelope\n"));
    std::fs::write(&source, text).unwrap();
    let dry_run = |extra: Vec<&'static str>| {
        let dir = dir.path().to_owned();
        async move {
            let mut args = vec![
                "replay",
                "--spool",
                "source.jsonl",
                "--to",
                "http://127.0.0.1:9",
                "--dry-run",
            ];
            args.extend(extra);
            receivers(&dir, &args, &[]).await.ok().stdout
        }
    };
    let total = written + 1;
    let recent = dry_run(vec!["--from", "1h"]).await;
    assert!(
        recent.starts_with(&format!("{written} of {total} envelopes")),
        "{recent}"
    );
    assert!(
        recent.contains("1 spool lines are not envelopes"),
        "{recent}"
    );
    assert!(recent.contains("nothing was sent"));
    let old_only = dry_run(vec![
        "--from",
        "2019-12-31T00:00:00Z",
        "--to",
        "2020-01-01T00:00:00.001Z",
    ])
    .await;
    assert!(
        old_only.starts_with(&format!("1 of {total} envelopes")),
        "{old_only}"
    );
    assert!(old_only.contains("  telegram/demo: 1\n"), "{old_only}");
    // The end is excluded.
    let before = dry_run(vec![
        "--from",
        "2019-12-31T00:00:00Z",
        "--to",
        "2020-01-01T00:00:00Z",
    ])
    .await;
    assert!(
        before.starts_with(&format!("0 of {total} envelopes")),
        "{before}"
    );
    let slack = dry_run(vec!["--from", "1h", "--channel", "slack", "--bot", "demo"]).await;
    assert!(slack.contains("(channel slack, bot demo)"), "{slack}");
    let per_bot: Vec<&str> = slack
        .lines()
        .filter(|line| line.starts_with("  ") && !line.contains("spool lines"))
        .collect();
    assert_eq!(per_bot, ["  slack/demo: 4"]);
    let run = receivers(
        dir.path(),
        &["replay", "--from", "1h", "--spool", "source.jsonl"],
        &[],
    )
    .await
    .failed();
    assert!(run.stderr.contains("choose a target"), "{}", run.stderr);
}

#[tokio::test]
async fn a_replay_to_the_queue_sends_the_envelopes_themselves() {
    let (dir, _) = directory_with_demo_bots();
    let source = source_spool(dir.path()).await;
    let original = envelopes(&source);
    let aws = Aws::new().await;
    let queue = aws.fifo_queue().await;
    let mut env = moto_env();
    env.push(("QUEUE_URL", queue.clone()));
    let args = [
        "replay",
        "--from",
        "1h",
        "--to-queue",
        "--spool",
        "source.jsonl",
    ];
    let run = receivers(dir.path(), &args, &env_pairs(&env)).await.ok();
    assert!(
        run.stdout
            .contains(&format!("sent {}, skipped 0, failed 0", original.len())),
        "{}",
        run.output()
    );
    assert!(run.stdout.contains("last 5 minutes"), "{}", run.stdout);
    let received = aws
        .drain(&queue, original.len(), Duration::from_secs(10))
        .await;
    let bodies = by_event_id(
        received
            .iter()
            .map(|message| message.body.clone())
            .collect(),
    );
    assert_eq!(bodies, by_event_id(original.clone()));
    for message in &received {
        assert_eq!(message.attributes["channel"], message.body["channel"]);
        assert_eq!(message.attributes["event"], message.body["event"]);
    }
}

/// `bots.json` without one channel's demo bot, written as `name`.
fn secrets_without(dir: &Path, channel: &str, name: &str) {
    let mut secrets = support::read_json(&dir.join("bots.json"));
    secrets
        .as_object_mut()
        .unwrap()
        .remove(&format!("receivers/{channel}/demo"))
        .unwrap();
    std::fs::write(dir.join(name), secrets.to_string()).unwrap();
}

#[tokio::test]
async fn events_without_a_secret_are_skipped_and_refused_ones_fail_the_run() {
    let (dir, _) = directory_with_demo_bots();
    let source = source_spool(dir.path()).await;
    let count = envelopes(&source).len();
    secrets_without(dir.path(), "telegram", "target-bots.json");
    secrets_without(dir.path(), "viber", "replay-bots.json");
    let target = Server::start(
        dir.path(),
        &[
            "--secrets-file",
            "target-bots.json",
            "--spool",
            "target.jsonl",
        ],
        &[],
    )
    .await;
    let run = receivers(
        dir.path(),
        &[
            "replay",
            "--from",
            "1h",
            "--to",
            &target.url,
            "--spool",
            "source.jsonl",
            "--secrets-file",
            "replay-bots.json",
        ],
        &[],
    )
    .await
    .failed();
    target.stop().await;
    assert!(
        run.stdout
            .contains(&format!("sent {}, skipped 2, failed 2", count - 4)),
        "{}",
        run.output()
    );
    assert!(
        run.stderr.contains("skipped: viber:demo:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("failed: telegram:demo:") && run.stderr.contains("404"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2 envelopes could not be sent"));
    assert_eq!(envelopes(&dir.path().join("target.jsonl")).len(), count - 4);
}
