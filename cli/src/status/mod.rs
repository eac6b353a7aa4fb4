//! `receivers status`: each bot's webhook as its platform sees it, and the queue's depth; exits
//! non-zero when a webhook is unhealthy.

mod judge;
mod platforms;
mod queue;
mod render;

use std::time::{Duration, SystemTime};

use anyhow::{anyhow, bail};
use serde::Serialize;
use shared::aws::queue_admin::SqsAdmin;
use shared::config::{Settings, check_queue_url};

pub use self::judge::Rules;
use self::platforms::{Apis, Asking};
pub use self::platforms::{Bot, BotStatus, State};
pub use self::queue::QueueStatus;
use crate::platform_api::PlatformClient;
use crate::stores::{SecretSource, StoreArgs};

/// How long a secret store or queue call may take here.
const CALL_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, clap::Args)]
#[command(after_help = "A webhook is unhealthy, and the exit code 1, when:
  - the platform refused the bot's credentials or could not be reached;
  - no webhook is registered, or its URL is not the bot's route: it must end with
    /{channel}/{bot}, or be exactly {URL}/{channel}/{bot} with --url;
  - Telegram: a delivery error within --error-window (default 1h), more than --max-pending
    updates waiting (default 100), or allowed_updates lacking a kind the receiver normalizes;
  - Viber: event_types lacking a kind the receiver normalizes;
  - Facebook, WhatsApp: no app subscribed (Facebook: or a page field the receiver normalizes
    not subscribed).
  - Slack: auth.test refusing the bot token (its Request URLs live in the app's settings, which
    no API shows).
Apple Messages for Business is console only; it, and bots whose secret lacks what asking needs
(a Telegram secret without `token`, a WhatsApp one without `waba_id` and no --waba-id), are
`unchecked`, which does not fail the run. A queue that cannot be read fails it too.

The queue: with QUEUE_URL, the SQS queue's and its dead-letter queue's depth (SQS tells the age
of the oldest message only as a CloudWatch metric); else the spool's envelopes and size.

Examples:
  receivers status --secrets-file bots.local.json
  SECRETS_SOURCE=aws QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/events.fifo \\
      receivers status --bot telegram/mybot --url https://api.example.com
  receivers status --json | jq '.bots[] | select(.state == \"unhealthy\")'
Environment: TELEGRAM_API_URL, VIBER_API_URL, GRAPH_API_URL, SLACK_API_URL (the platforms' APIs).")]
pub struct StatusArgs {
    /// One bot, as CHANNEL/NAME; every bot of the secret store by default.
    #[arg(long, value_name = "CHANNEL/NAME")]
    pub bot: Option<String>,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
    /// The receivers' public base URL: each webhook must then be exactly {URL}/{channel}/{bot}.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// More updates than this waiting at Telegram is unhealthy.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_pending: u64,
    /// A delivery error more recent than this is unhealthy (e.g. 30m, 1h, 1d).
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = humantime::parse_duration)]
    pub error_window: Duration,
    /// The dead-letter queue to show; by default the one of QUEUE_URL's RedrivePolicy.
    #[arg(long, value_name = "URL")]
    pub dlq_url: Option<String>,
    /// The WhatsApp Business Account id, for WhatsApp bots whose secret has no `waba_id`.
    #[arg(long, value_name = "ID")]
    pub waba_id: Option<String>,
    #[command(flatten)]
    pub stores: StoreArgs,
}

/// Everything `status` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub healthy: bool,
    pub bots: Vec<BotStatus>,
    pub queue: QueueStatus,
}

pub async fn run(args: StatusArgs) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let queue_url = std::env::var("QUEUE_URL").ok();
    if let Some(url) = &queue_url {
        check_queue_url(url)?;
    }
    let secrets = args.stores.secrets(CALL_TIMEOUT).await?;
    let bots = match &args.bot {
        Some(given) => vec![parse_bot(given)?],
        None => every_bot(&secrets, &settings).await?,
    };
    let asking = Asking {
        client: PlatformClient::new()?,
        apis: Apis::from_env(),
        rules: Rules {
            base_url: args.url.clone(),
            max_pending: args.max_pending,
            error_window: args.error_window,
            now: SystemTime::now(),
        },
        waba_id: args.waba_id.clone(),
    };
    let mut checks = tokio::task::JoinSet::new();
    for bot in bots {
        let secret = secrets
            .document(&settings.secret_name(&bot.channel, &bot.name))
            .await;
        let asking = asking.clone();
        checks.spawn(async move {
            match secret {
                Ok(Some(secret)) => platforms::check(&bot, &secret, &asking).await,
                Ok(None) => BotStatus::failed(&bot, "no secret for this bot".to_owned()),
                Err(err) => BotStatus::failed(&bot, format!("{err:#}")),
            }
        });
    }
    let mut rows = Vec::new();
    while let Some(row) = checks.join_next().await {
        rows.push(row.map_err(|err| anyhow!("a check stopped: {err}"))?);
    }
    rows.sort_by(|a, b| (&a.channel, &a.bot).cmp(&(&b.channel, &b.bot)));
    let queue = match &queue_url {
        Some(url) => {
            let admin = SqsAdmin::with_config(&shared::aws::sdk_config(CALL_TIMEOUT).await);
            queue::sqs(&admin, url, args.dlq_url.as_deref()).await
        }
        None => queue::spool(&args.stores.spool),
    };
    let unhealthy: Vec<String> = rows
        .iter()
        .filter(|row| row.state == State::Unhealthy)
        .map(|row| format!("{}/{}", row.channel, row.bot))
        .collect();
    let report = Report {
        healthy: unhealthy.is_empty() && !queue.failed(),
        bots: rows,
        queue,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render::table(&report, &secrets.describe()));
    }
    if !unhealthy.is_empty() {
        bail!(
            "{} of {} webhooks unhealthy: {}",
            unhealthy.len(),
            report.bots.len(),
            unhealthy.join(", ")
        );
    }
    if report.queue.failed() {
        bail!("the queue could not be read");
    }
    Ok(())
}

/// `CHANNEL/NAME` of a channel the registry knows.
fn parse_bot(given: &str) -> anyhow::Result<Bot> {
    let Some((channel, name)) = given.split_once('/') else {
        bail!("--bot takes CHANNEL/NAME, e.g. telegram/{given}");
    };
    if messengers::find(channel).is_none() {
        bail!(
            "unknown channel {channel:?}: expected one of {}",
            channel_names()
        );
    }
    let name = crate::connect::parse_bot_name(name).map_err(|err| anyhow!("--bot: {err}"))?;
    Ok(Bot {
        channel: channel.to_owned(),
        name,
    })
}

fn channel_names() -> String {
    messengers::all()
        .iter()
        .map(|messenger| messenger.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every bot whose secret the store holds, as `receivers bots list` shows them.
async fn every_bot(secrets: &SecretSource, settings: &Settings) -> anyhow::Result<Vec<Bot>> {
    let prefix = &settings.secrets_prefix;
    let mut bots: Vec<Bot> = secrets
        .names(prefix)
        .await?
        .iter()
        .filter_map(|name| name.strip_prefix(prefix.as_str())?.split_once('/'))
        .filter(|(channel, name)| messengers::find(channel).is_some() && !name.contains('/'))
        .map(|(channel, name)| Bot {
            channel: channel.to_owned(),
            name: name.to_owned(),
        })
        .collect();
    bots.sort();
    Ok(bots)
}
