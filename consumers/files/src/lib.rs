//! Downloads the files users send (an envelope's `message.attachments[]`) for the Main process,
//! whatever the messenger: give it the envelope, the attachment's index and the bot's secret
//! document (the JSON object stored for the bot, DESIGN.md §3), get the file's bytes back.
//!
//! | channel | how | secret field |
//! | --- | --- | --- |
//! | `telegram` | `getFile` with the attachment's `file_id`, then the file URL (it embeds the token) | `token` |
//! | `slack` | the attachment's `url` (`url_private`) with `Authorization: Bearer` | `bot_token` |
//! | `viber`, `facebook` | the CDN `url` in the envelope, which expires | none |
//! | `whatsapp` | Graph `GET /{media id}` → `url`, then that URL, both with the token | `access_token` |
//! | `abc` (Apple) | `GET /preDownload` with a JWT → `download-url`; checksum, then AES-256-CTR | `api_secret`, `csp_id` |
//!
//! Every download stops at [`Config::max_bytes`] (default [`DEFAULT_MAX_BYTES`]), every call at
//! [`Config::timeout`]. A platform that answers a web page where a file was due (Slack does, with
//! 200, for a wrong token) is an error. No credential and no URL reaches an error, a `Debug`
//! output or a log line: URLs are never shown at all, since Telegram's file URL carries the bot
//! token and the CDNs' carry signatures.

pub mod apple_crypto;
mod channels;
mod credentials;
mod error;
pub mod file_name;
mod transfer;

use std::fmt;
use std::time::Duration;

use shared_core::envelope::{Attachment, Envelope};
use shared_core::secret::SecretDocument;

pub use error::FetchError;
pub use file_name::safe_file_name;

/// The default size cap: 100 MiB, the largest file Apple Messages for Business carries.
pub const DEFAULT_MAX_BYTES: u64 = 100 * 1024 * 1024;
/// The Telegram Bot API.
pub const TELEGRAM_API: &str = "https://api.telegram.org";
/// Meta's Graph API (WhatsApp media).
pub const GRAPH_API: &str = "https://graph.facebook.com/v21.0";
/// Apple's Messages for Business gateway.
pub const APPLE_API: &str = "https://mspgw.push.apple.com/v1";
/// The host Slack serves `url_private` from.
pub const SLACK_FILE_HOST: &str = "files.slack.com";

/// The messengers whose files this library downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Telegram,
    Viber,
    Facebook,
    Slack,
    Apple,
    WhatsApp,
}

impl Channel {
    /// From the envelope's `channel`; `None` for a name this library does not know.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "telegram" => Self::Telegram,
            "viber" => Self::Viber,
            "facebook" => Self::Facebook,
            "slack" => Self::Slack,
            "abc" => Self::Apple,
            "whatsapp" => Self::WhatsApp,
            _ => return None,
        })
    }

    /// The platform's own name, for messages.
    pub fn platform(self) -> &'static str {
        match self {
            Self::Telegram => "Telegram",
            Self::Viber => "Viber",
            Self::Facebook => "Facebook",
            Self::Slack => "Slack",
            Self::Apple => "Apple",
            Self::WhatsApp => "WhatsApp",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.platform())
    }
}

/// Where the platforms are and how far a download may go. The defaults are the real platforms;
/// tests point the base URLs at a fake one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The Telegram Bot API base, without the trailing slash.
    pub telegram_api: String,
    /// The Graph API base with its version (WhatsApp media).
    pub graph_api: String,
    /// Apple's Messages for Business API base (`…/v1`).
    pub apple_api: String,
    /// The hosts (and their subdomains) the Slack bot token may be sent to with `url_private`.
    pub slack_file_hosts: Vec<String>,
    /// The largest file taken, in bytes; reading stops past it.
    pub max_bytes: u64,
    /// The most one call may take, its body included.
    pub timeout: Duration,
    /// The most connecting may take.
    pub connect_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            telegram_api: TELEGRAM_API.to_owned(),
            graph_api: GRAPH_API.to_owned(),
            apple_api: APPLE_API.to_owned(),
            slack_file_hosts: vec![SLACK_FILE_HOST.to_owned()],
            max_bytes: DEFAULT_MAX_BYTES,
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// A downloaded file.
#[derive(Clone, PartialEq, Eq)]
pub struct Download {
    /// The file itself (for Apple: decrypted and checked).
    pub bytes: Vec<u8>,
    /// The attachment's MIME type, else the one the platform served it with, else
    /// `application/octet-stream`.
    pub mime_type: String,
    /// A name safe to create in any directory (see [`safe_file_name`]).
    pub file_name: String,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("bytes", &self.bytes.len())
            .field("mime_type", &self.mime_type)
            .field("file_name", &self.file_name)
            .finish()
    }
}

/// Downloads attachments; one is enough for a process (it keeps its connections).
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    config: Config,
}

impl Fetcher {
    /// A fetcher with its own HTTP client (rustls, the timeouts of `config`, at most 5 redirects).
    pub fn new(config: Config) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .user_agent(concat!("messenger-files/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| FetchError::Client(transfer::describe(&err.without_url(), &[])))?;
        Ok(Self { client, config })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Downloads attachment `index` of `envelope` with the bot's `secret`.
    pub async fn fetch(
        &self,
        envelope: &Envelope,
        index: usize,
        secret: &SecretDocument,
    ) -> Result<Download, FetchError> {
        let channel = Channel::from_name(&envelope.channel)
            .ok_or_else(|| FetchError::UnknownChannel(shorten(&envelope.channel)))?;
        let attachments = &envelope.message.attachments;
        let attachment = attachments.get(index).ok_or(FetchError::NoSuchAttachment {
            index,
            count: attachments.len(),
        })?;
        if attachment
            .size
            .is_some_and(|size| size > self.config.max_bytes)
        {
            return Err(FetchError::TooLarge {
                limit: self.config.max_bytes,
            });
        }
        let job = channels::Job {
            http: transfer::Http::new(&self.client, channel, self.config.max_bytes),
            config: &self.config,
            attachment,
            context: &envelope.context,
            secret,
        };
        let fetched = match channel {
            Channel::Telegram => channels::telegram::fetch(&job).await?,
            Channel::Viber | Channel::Facebook => channels::cdn::fetch(&job).await?,
            Channel::Slack => channels::slack::fetch(&job).await?,
            Channel::WhatsApp => channels::whatsapp::fetch(&job).await?,
            Channel::Apple => channels::apple::fetch(&job).await?,
        };
        Ok(Download {
            mime_type: mime_type(attachment, fetched.content_type),
            file_name: safe_file_name(attachment, index),
            bytes: fetched.bytes,
        })
    }
}

/// What the attachment says, else what the platform served, else the generic type.
fn mime_type(attachment: &Attachment, served: Option<String>) -> String {
    attachment
        .mime_type
        .as_deref()
        .map(str::trim)
        .filter(|mime| !mime.is_empty())
        .map(str::to_owned)
        .or(served)
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}

/// A value from the envelope, short enough for a message and with no control characters.
fn shorten(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(40).collect()
}
