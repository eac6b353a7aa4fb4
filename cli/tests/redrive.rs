//! `receivers redrive`: the SQS adapter's calls that moto serves (depth, dead-letter queue, URL
//! of an ARN), `--dry-run` as a process on moto, and the move task's progress loop over a
//! scripted implementation of the `QueueAdmin` trait (moto has no message move tasks).
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use integration_tests::Aws;
use receivers::redrive::{Plan, RedriveError, Redriven, redrive};
use shared::aws::queue_admin::{
    MoveRequest, MoveStatus, MoveTask, QueueAdmin, QueueAdminError, QueueDepth, QueueInfo, SqsAdmin,
};
use support::{env_pairs, moto_env, put_messages, queue_with_dead_letter, receivers};

#[tokio::test]
async fn the_adapter_reads_depths_and_finds_the_dead_letter_queue_on_moto() {
    let aws = Aws::new().await;
    let (queue, dlq) = queue_with_dead_letter(&aws).await;
    put_messages(&aws, &dlq, 3).await;
    // One received and not deleted: in flight.
    aws.sqs
        .receive_message()
        .queue_url(&dlq)
        .max_number_of_messages(1)
        .visibility_timeout(300)
        .send()
        .await
        .unwrap();
    let admin = SqsAdmin::with_config(&aws.sdk);
    let source = admin.info(&queue).await.unwrap();
    assert_eq!(source.depth, QueueDepth::default());
    let dead_letter_arn = source.dead_letter_arn.clone().unwrap();
    assert!(dead_letter_arn.ends_with(dlq.rsplit('/').next().unwrap()));
    assert_eq!(admin.url_of(&dead_letter_arn).await.unwrap(), dlq);
    let dead_letter = admin.info(&dlq).await.unwrap();
    assert_eq!(dead_letter.arn, dead_letter_arn);
    assert_eq!(dead_letter.dead_letter_arn, None);
    assert_eq!(
        dead_letter.depth,
        QueueDepth {
            visible: 2,
            in_flight: 1,
            delayed: 0
        }
    );
    let standard = aws.standard_queue().await;
    aws.sqs
        .send_message()
        .queue_url(&standard)
        .message_body("later")
        .delay_seconds(600)
        .send()
        .await
        .unwrap();
    assert_eq!(admin.info(&standard).await.unwrap().depth.delayed, 1);
    let missing = admin
        .info(&format!("{standard}-missing"))
        .await
        .unwrap_err();
    assert!(
        missing.to_string().contains("GetQueueAttributes"),
        "{missing}"
    );
}

#[tokio::test]
async fn dry_run_shows_the_dead_letter_queue_and_moves_nothing() {
    let aws = Aws::new().await;
    let (queue, dlq) = queue_with_dead_letter(&aws).await;
    put_messages(&aws, &dlq, 4).await;
    let dir = tempfile::tempdir().unwrap();
    let mut env = moto_env();
    env.push(("QUEUE_URL", queue.clone()));
    let run = receivers(
        dir.path(),
        &["redrive", "--dry-run", "--max-per-second", "20"],
        &env_pairs(&env),
    )
    .await
    .ok();
    assert!(
        run.stdout
            .contains(&format!("Dead-letter queue {dlq}: 4 messages (4 visible")),
        "{}",
        run.output()
    );
    assert!(
        run.stdout
            .contains(&format!("to {queue}, at most 20 a second"))
    );
    assert!(run.stdout.contains("Dry run: nothing was moved."));
    let admin = SqsAdmin::with_config(&aws.sdk);
    assert_eq!(admin.info(&dlq).await.unwrap().depth.visible, 4);
    assert_eq!(admin.info(&queue).await.unwrap().depth.visible, 0);
}

#[tokio::test]
async fn without_a_dead_letter_queue_it_says_what_to_pass() {
    let aws = Aws::new().await;
    let queue = aws.fifo_queue().await;
    let dir = tempfile::tempdir().unwrap();
    let mut env = moto_env();
    env.push(("QUEUE_URL", queue.clone()));
    let run = receivers(dir.path(), &["redrive"], &env_pairs(&env))
        .await
        .failed();
    assert!(
        run.stderr.contains("no dead-letter queue") && run.stderr.contains("--dlq-url"),
        "{}",
        run.output()
    );
    let run = receivers(dir.path(), &["redrive", "--dry-run"], &[])
        .await
        .failed();
    assert!(run.stderr.contains("QUEUE_URL"), "{}", run.output());
}

/// A `QueueAdmin` that plays a script: the answers of `latest_move`, in order.
#[derive(Debug, Default)]
struct Scripted {
    listings: Mutex<VecDeque<Result<Option<MoveTask>, QueueAdminError>>>,
    started: Mutex<Vec<MoveRequest>>,
}

impl Scripted {
    fn new(listings: Vec<Result<Option<MoveTask>, QueueAdminError>>) -> Self {
        Self {
            listings: Mutex::new(listings.into()),
            started: Mutex::default(),
        }
    }
}

#[async_trait]
impl QueueAdmin for Scripted {
    async fn info(&self, _: &str) -> Result<QueueInfo, QueueAdminError> {
        unreachable!("the plan is given")
    }

    async fn url_of(&self, _: &str) -> Result<String, QueueAdminError> {
        unreachable!("the plan is given")
    }

    async fn start_move(&self, request: &MoveRequest) -> Result<String, QueueAdminError> {
        self.started.lock().unwrap().push(request.clone());
        Ok("handle-1".to_owned())
    }

    async fn latest_move(&self, _: &str) -> Result<Option<MoveTask>, QueueAdminError> {
        self.listings
            .lock()
            .unwrap()
            .pop_front()
            .expect("the script ran out: the loop asked too often")
    }
}

fn task(status: &str, moved: u64, to_move: Option<u64>, started_at: i64) -> MoveTask {
    MoveTask {
        status: MoveStatus::parse(status),
        moved,
        to_move,
        failure_reason: (status == "FAILED")
            .then(|| "AWS.SimpleQueueService.NonExistentQueue".to_owned()),
        started_at: Some(started_at),
    }
}

fn plan(visible: u64) -> Plan {
    let queue = |name: &str, visible| QueueInfo {
        url: format!("https://sqs.us-east-1.amazonaws.com/1/{name}"),
        arn: format!("arn:aws:sqs:us-east-1:1:{name}"),
        depth: QueueDepth {
            visible,
            in_flight: 0,
            delayed: 0,
        },
        dead_letter_arn: None,
    };
    Plan {
        dead_letter: queue("events-dlq.fifo", visible),
        destination: Some(queue("events.fifo", 0)),
    }
}

async fn play(admin: &Scripted, visible: u64) -> (Result<Redriven, RedriveError>, String) {
    let mut out = Vec::new();
    let result = redrive(
        admin,
        &plan(visible),
        Some(25),
        Duration::from_millis(1),
        &mut out,
    )
    .await;
    (result, String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn progress_is_printed_as_it_changes_until_the_task_completes() {
    let admin = Scripted::new(vec![
        Ok(None),
        Ok(Some(task("RUNNING", 0, None, 2000))),
        Ok(Some(task("RUNNING", 4, Some(10), 2000))),
        Ok(Some(task("RUNNING", 4, Some(10), 2000))),
        Ok(Some(task("COMPLETED", 10, Some(10), 2000))),
    ]);
    let (result, out) = play(&admin, 10).await;
    assert_eq!(result.unwrap(), Redriven::Moved(10));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "Started moving 10 messages to https://sqs.us-east-1.amazonaws.com/1/events.fifo (task handle-1).",
            "  moved 0 / ? (RUNNING)",
            "  moved 4 / 10 (RUNNING)",
            "  moved 10 / 10 (COMPLETED)",
            "Done: moved 10 messages.",
        ]
    );
    let started = admin.started.lock().unwrap().clone();
    assert_eq!(
        started,
        [MoveRequest {
            source_arn: "arn:aws:sqs:us-east-1:1:events-dlq.fifo".to_owned(),
            destination_arn: Some("arn:aws:sqs:us-east-1:1:events.fifo".to_owned()),
            max_per_second: Some(25),
        }]
    );
}

#[tokio::test]
async fn an_earlier_task_still_listed_is_not_taken_for_ours() {
    let admin = Scripted::new(vec![
        Ok(Some(task("COMPLETED", 7, Some(7), 1000))),
        Ok(Some(task("COMPLETED", 7, Some(7), 1000))),
        Ok(Some(task("COMPLETED", 3, Some(3), 5000))),
    ]);
    let (result, out) = play(&admin, 3).await;
    assert_eq!(result.unwrap(), Redriven::Moved(3));
    assert!(!out.contains("moved 7"), "{out}");
}

#[tokio::test]
async fn a_failed_task_is_an_error_with_its_reason_and_passing_errors_are_retried() {
    let unavailable = || {
        Err(QueueAdminError::Call {
            operation: "ListMessageMoveTasks",
            detail: "throttled".to_owned(),
        })
    };
    let admin = Scripted::new(vec![
        Ok(None),
        unavailable(),
        Ok(Some(task("RUNNING", 2, Some(5), 10))),
        unavailable(),
        Ok(Some(task("FAILED", 2, Some(5), 10))),
    ]);
    let (result, out) = play(&admin, 5).await;
    match result {
        Err(RedriveError::Failed { moved: 2, reason }) => {
            assert_eq!(reason, "AWS.SimpleQueueService.NonExistentQueue");
        }
        other => panic!("{other:?}"),
    }
    assert!(out.contains("moved 2 / 5 (FAILED)"), "{out}");
}

#[tokio::test]
async fn an_empty_queue_or_a_running_task_starts_nothing() {
    let admin = Scripted::new(Vec::new());
    let (result, out) = play(&admin, 0).await;
    assert_eq!(result.unwrap(), Redriven::Nothing);
    assert!(out.starts_with("Nothing to move"), "{out}");
    let admin = Scripted::new(vec![Ok(Some(task("RUNNING", 1, Some(9), 10)))]);
    let (result, _) = play(&admin, 9).await;
    assert!(
        matches!(result, Err(RedriveError::AlreadyRunning { moved: 1 })),
        "{result:?}"
    );
    assert!(admin.started.lock().unwrap().is_empty());
}
