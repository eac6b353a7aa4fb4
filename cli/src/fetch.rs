//! `receivers fetch ENVELOPE [--attachment N] [-o FILE]`: downloads a file a user sent, from
//! an envelope, with the bot's secret from the same store `serve` reads, and prints where it
//! went, its size and type. No URL is printed: Telegram's carry the bot token.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use messenger_files::{Channel, Config, DEFAULT_MAX_BYTES, Fetcher};
use shared::config::Settings;
use shared::envelope::{Envelope, VERSION};

use crate::platform_api::api_base;
use crate::stores::StoreArgs;

/// How long the secret store may take.
const STORE_TIMEOUT: Duration = Duration::from_secs(15);
/// The largest envelope read.
const ENVELOPE_LIMIT: u64 = 16 << 20;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  receivers fetch envelope.json
  receivers tail --json -n 1 | receivers fetch - --attachment 0 -o photo.jpg
  SECRETS_SOURCE=aws receivers fetch envelope.json -o downloads/

Per channel: Telegram getFile then the file; Slack url_private with the bot token; Viber and
Facebook the CDN link in the envelope (it expires); WhatsApp the media id through Graph; Apple
preDownload, then the file checked against its signature and decrypted.

Environment: TELEGRAM_API_URL (default https://api.telegram.org), GRAPH_API_URL (default
https://graph.facebook.com/v21.0), ABC_API_URL (default https://mspgw.push.apple.com/v1),
SLACK_FILE_HOSTS (hosts the Slack token may go to, comma-separated; default files.slack.com).")]
pub struct FetchArgs {
    /// The envelope: a JSON file, `-` for standard input, or the JSON itself.
    #[arg(value_name = "ENVELOPE_JSON")]
    pub envelope: String,
    /// Which attachment of `message.attachments`, from 0.
    #[arg(long, short = 'a', value_name = "N", default_value_t = 0)]
    pub attachment: usize,
    /// Where to write the file; a directory takes the attachment's name. Default: the
    /// attachment's name, made safe, in the current directory (never overwritten).
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Refuse a file larger than this many bytes (reading stops past it).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// The most one call to a platform may take, e.g. 30s or 2m.
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
    #[command(flatten)]
    pub stores: StoreArgs,
}

pub async fn run(args: FetchArgs) -> anyhow::Result<()> {
    let envelope = read_envelope(&args.envelope)?;
    if Channel::from_name(&envelope.channel).is_none() {
        bail!(
            "the envelope's channel {:?} has no files to fetch here",
            envelope.channel
        );
    }
    if !is_bot_name(&envelope.bot) {
        bail!("the envelope's bot is not a bot name ([A-Za-z0-9_-], 1 to 64)");
    }
    let settings = Settings::from_env()?;
    let secrets = args.stores.secrets(STORE_TIMEOUT).await?;
    let name = settings.secret_name(&envelope.channel, &envelope.bot);
    let secret = secrets
        .store()
        .fetch(&name)
        .await?
        .ok_or_else(|| anyhow!("no secret {name} in {}", secrets.describe()))?;

    let fetcher = Fetcher::new(config(&args))?;
    let download = fetcher
        .fetch(&envelope, args.attachment, &secret)
        .await
        .with_context(|| {
            format!(
                "cannot fetch attachment {} of {}",
                args.attachment, envelope.event_id
            )
        })?;
    let path = save(args.output.as_deref(), &download.file_name, &download.bytes)?;
    println!("path: {}", path.display());
    println!("size: {} bytes", download.bytes.len());
    println!("mime_type: {}", download.mime_type);
    Ok(())
}

/// The library's configuration from the flags and the environment.
fn config(args: &FetchArgs) -> Config {
    let defaults = Config::default();
    let slack_file_hosts = std::env::var("SLACK_FILE_HOSTS")
        .ok()
        .map(|hosts| {
            hosts
                .split(',')
                .map(|host| host.trim().to_owned())
                .filter(|host| !host.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|hosts| !hosts.is_empty())
        .unwrap_or(defaults.slack_file_hosts);
    Config {
        telegram_api: api_base("TELEGRAM_API_URL", &defaults.telegram_api),
        graph_api: api_base("GRAPH_API_URL", &defaults.graph_api),
        apple_api: api_base("ABC_API_URL", &defaults.apple_api),
        slack_file_hosts,
        max_bytes: args.max_bytes,
        timeout: args.timeout,
        connect_timeout: defaults.connect_timeout.min(args.timeout),
    }
}

/// The envelope from a file, standard input (`-`), or the argument itself when it is JSON.
fn read_envelope(source: &str) -> anyhow::Result<Envelope> {
    let text = if source.trim_start().starts_with('{') {
        source.to_owned()
    } else if source == "-" {
        read_limited(std::io::stdin().lock()).context("cannot read the envelope from stdin")?
    } else {
        let file = std::fs::File::open(source)
            .with_context(|| format!("cannot open the envelope {source}"))?;
        read_limited(file).with_context(|| format!("cannot read the envelope {source}"))?
    };
    let envelope: Envelope = serde_json::from_str(text.trim())
        .context("the input is not an envelope (one JSON object, as on the queue)")?;
    if envelope.version != VERSION {
        bail!(
            "envelope version {} is unknown (this reads {VERSION})",
            envelope.version
        );
    }
    Ok(envelope)
}

fn read_limited(source: impl std::io::Read) -> anyhow::Result<String> {
    let mut text = String::new();
    source.take(ENVELOPE_LIMIT + 1).read_to_string(&mut text)?;
    if text.len() as u64 > ENVELOPE_LIMIT {
        bail!("the envelope is over {ENVELOPE_LIMIT} bytes");
    }
    Ok(text)
}

/// `[A-Za-z0-9_-]{1,64}`, as the routes take it.
fn is_bot_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Writes the file: to `output` (a directory takes `file_name`), else to `file_name` here. A
/// file the user did not name is never overwritten.
fn save(output: Option<&Path>, file_name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let (path, named) = match output {
        Some(dir) if dir.is_dir() => (dir.join(file_name), false),
        Some(path) => (path.to_owned(), true),
        None => (PathBuf::from(file_name), false),
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if named {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(&path).with_context(|| {
        if !named && path.exists() {
            format!("{} exists already; name another with -o", path.display())
        } else {
            format!("cannot create {}", path.display())
        }
    })?;
    if let Err(err) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(&path);
        return Err(err).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(path)
}
