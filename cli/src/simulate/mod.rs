//! `receivers simulate <channel> <kind> --bot NAME`: sends a realistic event, signed the
//! platform's way with the bot's secret, to a running receiver and prints its answer.

use std::time::{Duration, SystemTime};

use anyhow::{anyhow, bail};
use messengers::samples;
use shared::config::Settings;
use shared::sample::{Fresh, Outgoing};

use crate::stores::StoreArgs;

/// Tries before an unreachable receiver is reported.
const ATTEMPTS: u32 = 3;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  receivers simulate telegram message --bot demo --secrets-file bots.example.json
  receivers simulate slack slash_command --bot demo --secrets-file bots.example.json
  SECRETS_SOURCE=aws receivers simulate viber seen --bot shop --to https://api.example.com
  receivers simulate --list")]
pub struct SimulateArgs {
    /// The messenger: telegram, viber, facebook, slack, abc, whatsapp.
    #[arg(required_unless_present = "list")]
    pub channel: Option<String>,
    /// The kind of event (a file of events/<channel>/); `message` finds each channel's text.
    #[arg(required_unless_present = "list")]
    pub kind: Option<String>,
    /// The bot whose secret signs the event.
    #[arg(long, required_unless_present = "list", value_parser = crate::connect::parse_bot_name)]
    pub bot: Option<String>,
    /// The receivers' base URL: `receivers serve`, or a deployed API.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:3000")]
    pub to: String,
    /// List the kinds of every channel (or of CHANNEL) and exit.
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub stores: StoreArgs,
}

pub async fn run(args: SimulateArgs) -> anyhow::Result<()> {
    let (Some(channel), Some(kind), Some(bot), false) =
        (&args.channel, &args.kind, &args.bot, args.list)
    else {
        return list(args.channel.as_deref());
    };
    let settings = Settings::from_env()?;
    let (kind, mut request) = samples::find(channel, kind)?;
    let secrets = args.stores.secrets(settings.upstream_timeout).await?;
    let name = settings.secret_name(channel, bot);
    let secret = secrets.store().fetch(&name).await?.ok_or_else(|| {
        anyhow!(
            "no secret {name} in {}: attach the bot with `receivers connect {channel} --bot {bot} …`{}",
            secrets.describe(),
            if bot == "demo" {
                ", or use the demo bots with --secrets-file bots.example.json"
            } else {
                ""
            }
        )
    })?;
    let messenger =
        messengers::find(channel).ok_or_else(|| anyhow!("no messenger is named {channel:?}"))?;
    let mut fresh = Fresh::new(SystemTime::now(), crate::random::number(0, u64::MAX));
    messenger.prepare(&mut request, &secret, &mut fresh)?;
    let mut url = format!(
        "{}/{channel}/{bot}{}",
        args.to.trim_end_matches('/'),
        request.path_suffix
    );
    if let Some(query) = request.query.as_deref().filter(|query| !query.is_empty()) {
        url = format!("{url}?{query}");
    }
    println!(
        "{} {url}  ({channel} {kind}, signed with {name})",
        request.method
    );
    let response = send(&url, &request).await?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    println!("{status}");
    if !body.is_empty() {
        println!("{}", body.chars().take(2000).collect::<String>());
    }
    if !status.is_success() {
        bail!("the receiver answered {status}");
    }
    Ok(())
}

/// Posts the request; an unreachable receiver is tried again, then reported plainly.
async fn send(url: &str, request: &Outgoing) -> anyhow::Result<reqwest::Response> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let mut attempt = 1;
    loop {
        let mut builder = client
            .request(request.method.clone(), url)
            .headers(request.headers.clone());
        if request.method != http::Method::GET {
            builder = builder.body(request.body.clone());
        }
        match builder.send().await {
            Ok(response) => return Ok(response),
            Err(err) if err.is_connect() && attempt < ATTEMPTS => {
                tokio::time::sleep(Duration::from_millis(300) * attempt).await;
                attempt += 1;
            }
            Err(err) => bail!(
                "no receiver answers at {url} ({attempt} tries): {}. Is `receivers serve` running?",
                err.without_url()
            ),
        }
    }
}

fn list(channel: Option<&str>) -> anyhow::Result<()> {
    let channels = match channel {
        Some(channel) if samples::channels().contains(&channel) => vec![channel],
        Some(channel) => bail!(
            "no sample events for {channel:?}: channels are {}",
            samples::channels().join(", ")
        ),
        None => samples::channels(),
    };
    for channel in channels {
        for kind in samples::kinds(channel) {
            println!("{channel:<9} {kind}");
        }
    }
    Ok(())
}
