//! `receivers tail`: prints the envelopes on the configured queue: the spool file, or SQS with
//! `QUEUE_URL` (read without deleting unless `--delete`). One readable line each, or `--json`.

mod format;
mod sqs;

use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::stores::{QueueTarget, StoreArgs};

/// How often a followed spool is looked at.
const POLL: Duration = Duration::from_millis(250);

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  receivers tail                      the last 10 envelopes of .spool/queue.jsonl
  receivers tail --follow             and every new one, until Ctrl-C
  receivers tail --json -n all | jq .event_id
  QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/events.fifo receivers tail -n 50

From SQS without --delete, messages are hidden from other readers for a moment and then made
visible again; a FIFO queue shows at most 10 messages of one chat that way.")]
pub struct TailArgs {
    /// Keep printing envelopes as they arrive, until Ctrl-C.
    #[arg(long, short)]
    pub follow: bool,
    /// Print each envelope as one line of JSON, as queued.
    #[arg(long)]
    pub json: bool,
    /// SQS only: delete the messages once printed.
    #[arg(long)]
    pub delete: bool,
    /// How many: the spool's last N, or up to N from SQS; `all` for every one.
    #[arg(long, short = 'n', value_name = "N", default_value = "10", value_parser = parse_count)]
    pub lines: Count,
    #[command(flatten)]
    pub stores: StoreArgs,
}

/// How many envelopes to print first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    All,
    Last(usize),
}

fn parse_count(text: &str) -> Result<Count, String> {
    match text {
        "all" => Ok(Count::All),
        _ => text
            .parse()
            .map(Count::Last)
            .map_err(|_| "expected a number or `all`".to_owned()),
    }
}

/// Prints envelopes, readable or as JSON lines.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    json: bool,
}

impl Printer {
    /// Prints one queued envelope (its JSON text); anything that is not one whole envelope is
    /// reported and skipped. Each spool line is one envelope: `raw` never holds a line break.
    pub fn print(self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if let Err(err) = serde_json::from_str::<shared::Envelope>(text) {
            eprintln!("receivers: skipping a line that is not an envelope ({err})");
            return;
        }
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(_) if self.json => println!("{text}"),
            Ok(envelope) => println!("{}", format::readable(&envelope)),
            Err(err) => eprintln!("receivers: skipping a line that is not JSON ({err})"),
        }
    }
}

pub async fn run(args: TailArgs) -> anyhow::Result<()> {
    let printer = Printer { json: args.json };
    if std::env::var_os("QUEUE_URL").is_some() {
        let QueueTarget::Sqs(queue) = args.stores.queue(sqs::CALL_TIMEOUT).await? else {
            bail!("QUEUE_URL is set but no SQS queue was configured");
        };
        return sqs::tail(&queue, &args, printer).await;
    }
    if args.delete {
        bail!("--delete applies to SQS (QUEUE_URL); the spool is kept as it is");
    }
    tail_spool(&args.stores.spool, &args, printer).await
}

async fn tail_spool(path: &Path, args: &TailArgs, printer: Printer) -> anyhow::Result<()> {
    let mut offset = 0;
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let complete = text.rfind('\n').map_or("", |end| &text[..end]);
            let lines: Vec<&str> = complete.lines().filter(|l| !l.trim().is_empty()).collect();
            let skip = match args.lines {
                Count::All => 0,
                Count::Last(count) => lines.len().saturating_sub(count),
            };
            for line in &lines[skip..] {
                printer.print(line);
            }
            offset = complete.len() as u64 + u64::from(!complete.is_empty());
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "receivers: no spool at {} yet (`receivers serve` creates it)",
                path.display()
            );
        }
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
    if !args.follow {
        return Ok(());
    }
    let follow = async {
        let mut partial = Vec::new();
        loop {
            offset = read_new(path, offset, &mut partial, printer)?;
            tokio::time::sleep(POLL).await;
        }
    };
    tokio::select! {
        result = follow => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// Prints the complete lines written after `offset`; the new offset. A spool cut shorter (a
/// new file) is read from its start.
fn read_new(
    path: &Path,
    mut offset: u64,
    partial: &mut Vec<u8>,
    printer: Printer,
) -> anyhow::Result<u64> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let length = file.metadata()?.len();
    if length < offset {
        offset = 0;
        partial.clear();
    }
    if length == offset {
        return Ok(offset);
    }
    file.seek(SeekFrom::Start(offset))?;
    let mut fresh = Vec::new();
    file.take(length - offset).read_to_end(&mut fresh)?;
    partial.extend_from_slice(&fresh);
    if let Some(end) = partial.iter().rposition(|byte| *byte == b'\n') {
        let complete: Vec<u8> = partial.drain(..=end).collect();
        for line in String::from_utf8_lossy(&complete).lines() {
            printer.print(line);
        }
    }
    Ok(length)
}
