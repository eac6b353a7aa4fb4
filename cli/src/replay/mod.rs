//! `receivers replay`: the spool's envelopes of a time window sent again, to the SQS queue as they
//! are or to a receivers URL as their platforms sent them, with a summary (sent, skipped, failed).

mod rebuild;
mod send;
mod window;

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use anyhow::{Context as _, bail};
use indicatif::{ProgressBar, ProgressStyle};
use shared::Envelope;
use shared::aws::sqs::SqsQueue;
use shared::config::{Settings, check_queue_url};

pub use self::send::Tally;
pub use self::window::{Selection, ToValue, parse_time, parse_to};
use crate::stores::{DEFAULT_SPOOL, StoreArgs};

/// The SDK's deadline per call.
const CALL_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, clap::Args)]
#[command(
    after_help = "--to takes the window's end (a time) or the receivers' URL (anything with ://);
give it twice for both. The window is [--from, --to): RFC 3339 times (2026-11-24T13:00:00Z) or
times ago (30m, 2h, 1d); it ends now by default.

--to-queue sends the envelopes themselves to QUEUE_URL. A FIFO queue's deduplication id comes
from event_id, so SQS drops an envelope it took less than 5 minutes before: replay a window older
than that, or wait.

--to URL posts each event to URL/{channel}/{bot} as its platform sent it, signed anew with the
bot's secret (the store `receivers serve` uses: --secrets-file, or SECRETS_SOURCE=aws). The
receivers find the same event_id; those that remember ids (a ledger, LEDGER_TABLE, or the spool
of `receivers serve`) answer 200 to one they already took and do not enqueue it again.

Examples:
  QUEUE_URL=… receivers replay --from 2h --to-queue --dry-run
  QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/events.fifo \\
      receivers replay --from 2026-11-24T13:00:00Z --to 2026-11-24T14:00:00Z --to-queue
  receivers replay --from 1d --channel telegram --bot demo --to http://127.0.0.1:3000 \\
      --secrets-file bots.local.json"
)]
pub struct ReplayArgs {
    /// The window's start (included): an RFC 3339 time or a time ago (2h).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub from: SystemTime,
    /// The window's end (excluded), and/or the receivers' base URL to post to.
    #[arg(long = "to", value_name = "TIME|URL", value_parser = parse_to, action = clap::ArgAction::Append)]
    pub to: Vec<ToValue>,
    /// Only this channel's envelopes.
    #[arg(long)]
    pub channel: Option<String>,
    /// Only this bot's envelopes.
    #[arg(long)]
    pub bot: Option<String>,
    /// Send the envelopes to QUEUE_URL.
    #[arg(long)]
    pub to_queue: bool,
    /// Say what would be sent; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The spool to read the envelopes from.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_SPOOL)]
    pub spool: PathBuf,
    /// With --to URL: the local secrets file whose bot secrets sign the events.
    #[arg(long, value_name = "PATH")]
    pub secrets_file: Option<PathBuf>,
}

/// Where to send.
#[derive(Debug, Clone)]
enum Target {
    Queue(String),
    Url(String),
}

impl ReplayArgs {
    /// The window and the target, checked.
    fn parts(&self) -> anyhow::Result<(Selection, Target)> {
        let mut end = None;
        let mut url = None;
        for value in &self.to {
            match value {
                ToValue::Time(time) if end.is_none() => end = Some(*time),
                ToValue::Url(base) if url.is_none() => url = Some(base.clone()),
                ToValue::Time(_) => bail!("--to gives the window's end twice"),
                ToValue::Url(_) => bail!("--to gives two URLs"),
            }
        }
        let target = match (url, self.to_queue) {
            (Some(_), true) => bail!("choose one target: --to-queue or --to URL"),
            (None, false) => bail!("choose a target: --to-queue (QUEUE_URL) or --to URL"),
            (Some(url), false) => Target::Url(url),
            (None, true) => match std::env::var("QUEUE_URL") {
                Ok(queue) if !queue.is_empty() => {
                    check_queue_url(&queue)?;
                    Target::Queue(queue)
                }
                _ => bail!("--to-queue sends to QUEUE_URL, which is not set"),
            },
        };
        let to = end.unwrap_or_else(SystemTime::now);
        if to <= self.from {
            bail!("the window is empty: --from must be before --to");
        }
        let selection = Selection {
            from: self.from,
            to,
            channel: self.channel.clone(),
            bot: self.bot.clone(),
        };
        Ok((selection, target))
    }
}

pub async fn run(args: ReplayArgs) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let (selection, target) = args.parts()?;
    let spool = &args.spool;
    let taken = window::read(spool, &selection)
        .with_context(|| format!("cannot read the spool {}", spool.display()))?;
    let shown_target = match &target {
        Target::Queue(url) => format!("the queue {url}"),
        Target::Url(base) => format!("{base}/{{channel}}/{{bot}}"),
    };
    println!(
        "{} of {} envelopes of {} in [{}, {}){}.",
        taken.envelopes.len(),
        taken.lines - taken.unreadable,
        spool.display(),
        humantime::format_rfc3339_millis(selection.from),
        humantime::format_rfc3339_millis(selection.to),
        filters(&selection)
    );
    if taken.unreadable > 0 {
        println!(
            "  {} spool lines are not envelopes: skipped.",
            taken.unreadable
        );
    }
    if args.dry_run {
        for ((channel, bot), count) in per_bot(&taken.envelopes) {
            println!("  {channel}/{bot}: {count}");
        }
        println!("Dry run: would send them to {shown_target}; nothing was sent.");
        return Ok(());
    }
    match &target {
        Target::Queue(url) if url.ends_with(".fifo") => {
            println!("Note: SQS drops an envelope whose event_id it took in the last 5 minutes.")
        }
        Target::Url(_) => println!(
            "Note: receivers that remember event ids (a ledger, or `receivers serve`'s spool) \
             answer 200 to an event they already took and do not enqueue it again."
        ),
        Target::Queue(_) => {}
    }
    let progress = progress_bar(taken.envelopes.len() as u64);
    let mut tally = match &target {
        Target::Queue(url) => {
            let sdk = shared::aws::sdk_config(CALL_TIMEOUT).await;
            let queue = SqsQueue::with_config(&sdk, url.clone());
            send::to_queue(&queue, &taken.envelopes, &progress).await
        }
        Target::Url(base) => {
            let stores = StoreArgs {
                secrets_file: args.secrets_file.clone(),
                spool: args.spool.clone(),
            };
            let secrets = stores.secrets(CALL_TIMEOUT).await?;
            send::to_url(base, &taken.envelopes, &secrets, &settings, &progress).await?
        }
    };
    progress.finish_and_clear();
    tally.skipped += taken.unreadable;
    println!(
        "Replayed to {shown_target}: sent {}, skipped {}, failed {}.",
        tally.sent, tally.skipped, tally.failed
    );
    if tally.failed > 0 {
        bail!("{} envelopes could not be sent", tally.failed);
    }
    Ok(())
}

/// ` (channel telegram, bot demo)`, or nothing.
fn filters(selection: &Selection) -> String {
    let parts: Vec<String> = [("channel", &selection.channel), ("bot", &selection.bot)]
        .into_iter()
        .filter_map(|(name, value)| Some(format!("{name} {}", value.as_ref()?)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn per_bot(envelopes: &[Envelope]) -> BTreeMap<(&str, &str), usize> {
    let mut counts = BTreeMap::new();
    for envelope in envelopes {
        *counts
            .entry((envelope.channel.as_str(), envelope.bot.as_str()))
            .or_default() += 1;
    }
    counts
}

/// A bar on stderr when it is a terminal; hidden otherwise (logs and pipes stay clean).
fn progress_bar(length: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} envelopes, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}
