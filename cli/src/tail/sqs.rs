//! Tailing SQS: each round receives what is there (hidden from other readers meanwhile), prints
//! what was not printed before, then deletes it (`--delete`) or makes it visible again.

use std::collections::HashSet;
use std::time::Duration;

use shared::aws::sqs::SqsQueue;

use super::{Count, Printer, TailArgs};

/// The SDK's deadline per call: above the longest poll.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long received messages stay hidden while a round reads on (released at its end).
const HOLD: Duration = Duration::from_secs(30);
/// A round's receives wait this long for messages.
const SCAN_WAIT: Duration = Duration::from_secs(1);
/// With `--delete --follow`, a receive waits this long (long polling).
const LONG_POLL: Duration = Duration::from_secs(10);
/// Pause between rounds when following without deleting.
const ROUND_PAUSE: Duration = Duration::from_secs(1);

pub async fn tail(queue: &SqsQueue, args: &TailArgs, printer: Printer) -> anyhow::Result<()> {
    let mut printed: HashSet<String> = HashSet::new();
    let mut limit = match args.lines {
        Count::All => None,
        Count::Last(count) => Some(count),
    };
    let rounds = async {
        loop {
            round(queue, args, printer, &mut printed, limit).await?;
            if !args.follow {
                return anyhow::Ok(());
            }
            limit = None;
            if !args.delete {
                tokio::time::sleep(ROUND_PAUSE).await;
            }
        }
    };
    tokio::select! {
        result = rounds => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// Reads until the queue has nothing more (or `limit` messages were printed).
async fn round(
    queue: &SqsQueue,
    args: &TailArgs,
    printer: Printer,
    printed: &mut HashSet<String>,
    limit: Option<usize>,
) -> anyhow::Result<()> {
    let mut held = Vec::new();
    let mut count = 0;
    let wait = if args.follow && args.delete {
        LONG_POLL
    } else {
        SCAN_WAIT
    };
    let outcome = async {
        while limit.is_none_or(|limit| count < limit) {
            let want = limit.map_or(10, |limit| (limit - count).min(10));
            let batch = queue
                .receive(i32::try_from(want).unwrap_or(10), wait, HOLD)
                .await?;
            if batch.is_empty() {
                break;
            }
            let mut done = Vec::new();
            for message in batch {
                if printed.insert(message.id.clone()) {
                    printer.print(&message.body);
                    count += 1;
                }
                if args.delete {
                    done.push(message.receipt_handle);
                } else {
                    held.push(message.receipt_handle);
                }
            }
            queue.delete(&done).await?;
        }
        anyhow::Ok(())
    }
    .await;
    // Whatever happened, the messages held back go back to the consumer.
    let released = queue.release(&held).await;
    outcome?;
    released?;
    Ok(())
}
