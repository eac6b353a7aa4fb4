//! One module per way of downloading: what each platform needs, and how its failures read.

pub mod apple;
pub mod cdn;
pub mod slack;
pub mod telegram;
pub mod whatsapp;

use serde_json::{Map, Value};
use shared_core::envelope::Attachment;
use shared_core::secret::SecretDocument;

use crate::transfer::Http;
use crate::{Config, FetchError};

/// One download: the client, the limits, the attachment, the envelope's `context`, the secret.
/// No `Debug`: an Apple attachment holds its decryption key.
pub struct Job<'a> {
    pub http: Http<'a>,
    pub config: &'a Config,
    pub attachment: &'a Attachment,
    pub context: &'a Map<String, Value>,
    pub secret: &'a SecretDocument,
}

impl Job<'_> {
    /// A field of the attachment the download cannot do without.
    pub fn required(
        &self,
        field: &'static str,
        value: Option<&String>,
    ) -> Result<String, FetchError> {
        value
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
            .ok_or(FetchError::MissingField {
                channel: self.http.channel,
                field,
            })
    }

    /// The attachment's `url` as an http(s) URL.
    pub fn attachment_url(&self) -> Result<reqwest::Url, FetchError> {
        let text = self.required("url", self.attachment.url.as_ref())?;
        web_url(&text).ok_or(FetchError::InvalidField {
            channel: self.http.channel,
            field: "url",
            reason: "not an http(s) URL",
        })
    }
}

/// `text` as an http(s) URL.
pub fn web_url(text: &str) -> Option<reqwest::Url> {
    reqwest::Url::parse(text)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
}

/// A configured API base joined with `path`.
pub fn api_url(
    base: &str,
    path: &str,
    channel: crate::Channel,
) -> Result<reqwest::Url, FetchError> {
    web_url(&format!("{}/{}", base.trim_end_matches('/'), path))
        .ok_or(FetchError::BadBase { channel })
}
