//! `receivers redrive`: the dead-letter queue back to its source queue with an SQS message move
//! task, followed until it ends with its progress (moved / to move).

use std::io::Write;
use std::time::Duration;

use anyhow::bail;
use shared::aws::queue_admin::{
    MoveRequest, MoveStatus, MoveTask, QueueAdmin, QueueAdminError, QueueInfo, SqsAdmin,
};
use shared::config::check_queue_url;

/// The SDK's deadline per call.
const CALL_TIMEOUT: Duration = Duration::from_secs(15);
/// How often the task is asked about.
const POLL: Duration = Duration::from_secs(2);
/// Failed status calls in a row before giving up on following (the task itself goes on).
const STATUS_ATTEMPTS: u32 = 5;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Run it once the Main process is fixed: messages it failed on moved to the
dead-letter queue after maxReceiveCount receives, and SQS moves them back (a FIFO queue keeps each
group's order). The dead-letter queue is the one of QUEUE_URL's RedrivePolicy, or --dlq-url; the
messages go to QUEUE_URL, or without it back to the queues they came from. Ctrl-C stops
following, not the task.

Examples:
  QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/events.fifo receivers redrive --dry-run
  QUEUE_URL=… receivers redrive --max-per-second 50
  receivers redrive --dlq-url https://sqs.us-east-1.amazonaws.com/123456789012/events-dlq.fifo"
)]
pub struct RedriveArgs {
    /// Print the dead-letter queue's depth and what would be moved; move nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The dead-letter queue; by default the one QUEUE_URL's RedrivePolicy names.
    #[arg(long, value_name = "URL")]
    pub dlq_url: Option<String>,
    /// Move at most N messages a second (1 to 500); by default SQS chooses the rate.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub max_per_second: Option<u32>,
}

/// What to move: from the dead-letter queue to the source queue (or, with no source known, to
/// where each message came from).
#[derive(Debug, Clone)]
pub struct Plan {
    pub dead_letter: QueueInfo,
    pub destination: Option<QueueInfo>,
}

impl Plan {
    fn destination(&self) -> String {
        self.destination.as_ref().map_or_else(
            || "the queues they came from".to_owned(),
            |queue| queue.url.clone(),
        )
    }
}

/// How a redrive ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redriven {
    /// The dead-letter queue had no visible message: no task was started.
    Nothing,
    /// The task completed, having moved this many.
    Moved(u64),
}

#[derive(Debug, thiserror::Error)]
pub enum RedriveError {
    #[error(transparent)]
    Sqs(#[from] QueueAdminError),
    #[error("no queue to redrive: set QUEUE_URL or pass --dlq-url")]
    NoQueue,
    #[error(
        "the queue {0} has no dead-letter queue (no RedrivePolicy): pass the one to redrive as --dlq-url"
    )]
    NoDeadLetterQueue(String),
    #[error(
        "a move task from this dead-letter queue is already running ({moved} moved so far): wait for it to end"
    )]
    AlreadyRunning { moved: u64 },
    #[error("the move task failed after moving {moved}: {reason}")]
    Failed { moved: u64, reason: String },
    #[error("the move task was cancelled after moving {moved}")]
    Cancelled { moved: u64 },
    #[error("SQS lists no move task for the dead-letter queue after starting one")]
    Lost,
    #[error("cannot print the progress: {0}")]
    Output(#[from] std::io::Error),
}

/// Finds the queues: the dead-letter queue given, or the source queue's.
pub async fn plan(
    admin: &dyn QueueAdmin,
    queue_url: Option<&str>,
    dlq_url: Option<&str>,
) -> Result<Plan, RedriveError> {
    let destination = match queue_url {
        Some(url) => Some(admin.info(url).await?),
        None => None,
    };
    let dlq_url = match (dlq_url, &destination) {
        (Some(url), _) => url.to_owned(),
        (None, Some(source)) => match &source.dead_letter_arn {
            Some(arn) => admin.url_of(arn).await?,
            None => return Err(RedriveError::NoDeadLetterQueue(source.url.clone())),
        },
        (None, None) => return Err(RedriveError::NoQueue),
    };
    Ok(Plan {
        dead_letter: admin.info(&dlq_url).await?,
        destination,
    })
}

/// Prints the dead-letter queue's depth and what a redrive would do.
pub fn show_plan(
    plan: &Plan,
    max_per_second: Option<u32>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let depth = plan.dead_letter.depth;
    writeln!(
        out,
        "Dead-letter queue {}: {} messages ({} visible, {} in flight, {} delayed).",
        plan.dead_letter.url,
        depth.total(),
        depth.visible,
        depth.in_flight,
        depth.delayed
    )?;
    let rate = max_per_second.map_or_else(
        || "at the rate SQS chooses".to_owned(),
        |rate| format!("at most {rate} a second"),
    );
    writeln!(
        out,
        "A redrive moves its {} visible messages to {}, {rate}.",
        depth.visible,
        plan.destination()
    )
}

/// Starts the move task and follows it to its end, printing `moved N / M (STATUS)` as it
/// changes.
/// `poll`: the pause between status calls.
pub async fn redrive(
    admin: &dyn QueueAdmin,
    plan: &Plan,
    max_per_second: Option<u32>,
    poll: Duration,
    out: &mut dyn Write,
) -> Result<Redriven, RedriveError> {
    if plan.dead_letter.depth.visible == 0 {
        writeln!(
            out,
            "Nothing to move: no visible message in the dead-letter queue."
        )?;
        return Ok(Redriven::Nothing);
    }
    let source_arn = &plan.dead_letter.arn;
    let previous = admin.latest_move(source_arn).await?;
    if let Some(task) = previous.as_ref().filter(|task| !task.status.is_final()) {
        return Err(RedriveError::AlreadyRunning { moved: task.moved });
    }
    let previous_start = previous.and_then(|task| task.started_at);
    let request = MoveRequest {
        source_arn: source_arn.clone(),
        destination_arn: plan.destination.as_ref().map(|queue| queue.arn.clone()),
        max_per_second,
    };
    let handle = admin.start_move(&request).await?;
    writeln!(
        out,
        "Started moving {} messages to {} (task {handle}).",
        plan.dead_letter.depth.visible,
        plan.destination()
    )?;
    follow(admin, source_arn, previous_start, poll, out).await
}

/// Polls the latest move task until it is final; a task that started at `previous_start` is the
/// one before ours, not yet replaced in the listing.
async fn follow(
    admin: &dyn QueueAdmin,
    source_arn: &str,
    previous_start: Option<i64>,
    poll: Duration,
    out: &mut dyn Write,
) -> Result<Redriven, RedriveError> {
    let mut shown: Option<(u64, Option<u64>, MoveStatus)> = None;
    let mut failures = 0;
    let mut unlisted = 0;
    loop {
        tokio::time::sleep(poll).await;
        let task = match admin.latest_move(source_arn).await {
            Ok(task) => {
                failures = 0;
                task
            }
            Err(err) => {
                failures += 1;
                if failures >= STATUS_ATTEMPTS {
                    return Err(err.into());
                }
                continue;
            }
        };
        let Some(task) =
            task.filter(|task| previous_start.is_none() || task.started_at != previous_start)
        else {
            unlisted += 1;
            if unlisted >= STATUS_ATTEMPTS {
                return Err(RedriveError::Lost);
            }
            continue;
        };
        let progress = (task.moved, task.to_move, task.status.clone());
        if shown.as_ref() != Some(&progress) {
            writeln!(out, "  {}", progress_line(&task))?;
            shown = Some(progress);
        }
        match task.status {
            MoveStatus::Completed => {
                writeln!(out, "Done: moved {} messages.", task.moved)?;
                return Ok(Redriven::Moved(task.moved));
            }
            MoveStatus::Failed => {
                return Err(RedriveError::Failed {
                    moved: task.moved,
                    reason: task
                        .failure_reason
                        .unwrap_or_else(|| "no reason given".to_owned()),
                });
            }
            MoveStatus::Cancelled => return Err(RedriveError::Cancelled { moved: task.moved }),
            MoveStatus::Running | MoveStatus::Cancelling | MoveStatus::Other(_) => {}
        }
    }
}

/// `moved 3 / 10 (RUNNING)`.
pub fn progress_line(task: &MoveTask) -> String {
    let to_move = task
        .to_move
        .map_or_else(|| "?".to_owned(), |count| count.to_string());
    format!(
        "moved {} / {to_move} ({})",
        task.moved,
        task.status.as_str()
    )
}

pub async fn run(args: RedriveArgs) -> anyhow::Result<()> {
    let queue_url = std::env::var("QUEUE_URL")
        .ok()
        .filter(|url| !url.is_empty());
    if queue_url.is_none() && args.dlq_url.is_none() {
        bail!(
            "redrive needs SQS: set QUEUE_URL (its RedrivePolicy names the dead-letter queue) or \
             pass --dlq-url; the local spool has no dead-letter queue"
        );
    }
    for url in queue_url.iter().chain(&args.dlq_url) {
        check_queue_url(url)?;
    }
    let admin = SqsAdmin::with_config(&shared::aws::sdk_config(CALL_TIMEOUT).await);
    let plan = plan(&admin, queue_url.as_deref(), args.dlq_url.as_deref()).await?;
    let mut out = std::io::stdout();
    show_plan(&plan, args.max_per_second, &mut out)?;
    if args.dry_run {
        match admin.latest_move(&plan.dead_letter.arn).await {
            Ok(Some(task)) => println!("Latest move task: {}.", progress_line(&task)),
            Ok(None) => println!("No move task has run from it."),
            Err(err) => println!("Its move tasks could not be listed: {err}"),
        }
        println!("Dry run: nothing was moved.");
        return Ok(());
    }
    let redriven = tokio::select! {
        result = redrive(&admin, &plan, args.max_per_second, POLL, &mut out) => result?,
        _ = tokio::signal::ctrl_c() => {
            println!(
                "Stopped following; the move task goes on in SQS. `receivers redrive --dry-run` \
                 shows its progress."
            );
            return Ok(());
        }
    };
    if redriven == Redriven::Nothing && plan.dead_letter.depth.in_flight > 0 {
        println!(
            "{} messages are in flight (being read): run it again once they are visible.",
            plan.dead_letter.depth.in_flight
        );
    }
    Ok(())
}
