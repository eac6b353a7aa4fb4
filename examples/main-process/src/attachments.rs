//! The files users send: an envelope's attachments downloaded with `messenger-files` and the
//! bot's secret (read from Secrets Manager under the receivers' name for it), for the bot's logic.
//!
//! A download that can never succeed (an expired link, a file over the size cap, a wrong token)
//! is logged and skipped, since retrying would only carry the envelope to the dead-letter queue;
//! one that may succeed later (an outage, a time-out) fails the envelope, which returns to the
//! queue.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use aws_sdk_secretsmanager::error::DisplayErrorContext;
use messenger_files::{Download, FetchError, Fetcher};
use shared_core::envelope::Envelope;
use shared_core::secret::SecretDocument;
use tokio::sync::Mutex;

/// How long a secret read from Secrets Manager is used before it is read again.
pub const SECRET_TTL: Duration = Duration::from_secs(300);

/// Where a bot's secret document comes from.
pub trait BotSecrets {
    /// The secret of `channel`'s bot `bot`; `None` when it has none. The error never holds a
    /// secret value.
    fn secret(
        &self,
        channel: &str,
        bot: &str,
    ) -> impl Future<Output = Result<Option<SecretDocument>, String>>;
}

/// Why an envelope's files cannot be had now: it returns to the queue.
#[derive(Debug)]
pub enum Unavailable {
    /// The secret store did not answer.
    SecretStore(String),
    /// The platform is down, slow or throttling.
    Download(FetchError),
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SecretStore(err) => write!(f, "the bot's secret cannot be read now: {err}"),
            Self::Download(err) => write!(f, "an attachment cannot be downloaded now: {err}"),
        }
    }
}

impl std::error::Error for Unavailable {}

/// Every attachment of `envelope` that can be downloaded, in order.
pub async fn download_all(
    envelope: &Envelope,
    secrets: &impl BotSecrets,
    fetcher: &Fetcher,
) -> Result<Vec<Download>, Unavailable> {
    let attachments = &envelope.message.attachments;
    if attachments.is_empty() {
        return Ok(Vec::new());
    }
    let event_id = envelope.event_id.as_str();
    let Some(secret) = secrets
        .secret(&envelope.channel, &envelope.bot)
        .await
        .map_err(Unavailable::SecretStore)?
    else {
        tracing::error!(
            event_id,
            "no secret for the bot: its attachments are skipped"
        );
        return Ok(Vec::new());
    };
    let mut downloads = Vec::with_capacity(attachments.len());
    for index in 0..attachments.len() {
        match fetcher.fetch(envelope, index, &secret).await {
            Ok(download) => downloads.push(download),
            Err(err) if err.is_retryable() => return Err(Unavailable::Download(err)),
            Err(err) => tracing::warn!(event_id, index, error = %err, "attachment skipped"),
        }
    }
    Ok(downloads)
}

/// The bots' secrets in Secrets Manager, `{SECRETS_PREFIX}{channel}/{bot}` as the receivers name
/// them, each kept for [`SECRET_TTL`].
#[derive(Debug)]
pub struct SecretsManagerSecrets {
    client: aws_sdk_secretsmanager::Client,
    prefix: String,
    cache: Mutex<HashMap<String, (Instant, Option<SecretDocument>)>>,
}

impl SecretsManagerSecrets {
    /// From the Lambda's environment (region, credentials, `SECRETS_PREFIX`).
    pub async fn from_env() -> Self {
        let config = aws_config::load_from_env().await;
        Self {
            client: aws_sdk_secretsmanager::Client::new(&config),
            prefix: std::env::var("SECRETS_PREFIX").unwrap_or_else(|_| "receivers/".to_owned()),
            cache: Mutex::new(HashMap::new()),
        }
    }
}

impl BotSecrets for SecretsManagerSecrets {
    async fn secret(&self, channel: &str, bot: &str) -> Result<Option<SecretDocument>, String> {
        let name = format!("{}{channel}/{bot}", self.prefix);
        if let Some((read_at, secret)) = self.cache.lock().await.get(&name)
            && read_at.elapsed() < SECRET_TTL
        {
            return Ok(secret.clone());
        }
        let secret = match self.client.get_secret_value().secret_id(&name).send().await {
            Ok(answer) => match answer.secret_string() {
                Some(text) => Some(
                    SecretDocument::parse(text)
                        .ok_or_else(|| format!("secret {name} is not a JSON object"))?,
                ),
                None => return Err(format!("secret {name} has no text value")),
            },
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|err| err.is_resource_not_found_exception()) =>
            {
                None
            }
            Err(err) => return Err(DisplayErrorContext(&err).to_string()),
        };
        self.cache
            .lock()
            .await
            .insert(name, (Instant::now(), secret.clone()));
        Ok(secret)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::{StatusCode, header};
    use messenger_files::Config;

    use super::*;

    /// Secrets from memory, counting the lookups.
    struct Memory {
        document: Option<SecretDocument>,
        down: bool,
        lookups: AtomicUsize,
    }

    impl Memory {
        fn new(down: bool) -> Self {
            Self {
                document: SecretDocument::parse(r#"{"token": "viber-demo-token"}"#),
                down,
                lookups: AtomicUsize::new(0),
            }
        }
    }

    impl BotSecrets for Memory {
        async fn secret(&self, _: &str, _: &str) -> Result<Option<SecretDocument>, String> {
            self.lookups.fetch_add(1, Ordering::SeqCst);
            if self.down {
                return Err("the store is down".to_owned());
            }
            Ok(self.document.clone())
        }
    }

    /// A CDN on a loopback port answering every path with `status` and `body`.
    async fn cdn(status: StatusCode, body: &'static [u8]) -> String {
        let router = axum::Router::new().fallback(move || async move {
            (status, [(header::CONTENT_TYPE, "image/jpeg")], body)
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        url
    }

    /// A loopback address nothing listens on.
    async fn closed_port() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        url
    }

    fn viber_envelope(urls: &[String]) -> Envelope {
        let attachments: Vec<_> = urls
            .iter()
            .map(|url| serde_json::json!({"type": "image", "url": url}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "version": 1, "channel": "viber", "bot": "demo", "chat_id": "u1", "event": "message",
            "message": {"type": "image", "attachments": attachments},
            "event_id": "viber:demo:7", "received_at": "2026-12-01T10:00:00.000Z", "raw": {}
        }))
        .unwrap()
    }

    fn fetcher() -> Fetcher {
        Fetcher::new(Config::default()).unwrap()
    }

    #[tokio::test]
    async fn each_attachment_is_downloaded_with_one_secret_lookup() {
        let url = cdn(StatusCode::OK, b"\xFF\xD8\xFFjpeg").await;
        let envelope = viber_envelope(&[format!("{url}/a.jpg"), format!("{url}/b.jpg")]);
        let secrets = Memory::new(false);
        let files = download_all(&envelope, &secrets, &fetcher()).await.unwrap();
        assert_eq!(files.len(), 2);
        assert!(files.iter().all(|file| file.bytes == b"\xFF\xD8\xFFjpeg"));
        assert_eq!(files[0].mime_type, "image/jpeg");
        assert_eq!(secrets.lookups.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_expired_link_is_skipped_rather_than_retried() {
        let url = cdn(StatusCode::FORBIDDEN, b"expired").await;
        let envelope = viber_envelope(&[format!("{url}/a.jpg")]);
        let files = download_all(&envelope, &Memory::new(false), &fetcher()).await;
        assert!(files.unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_outage_sends_the_envelope_back_to_the_queue() {
        let envelope = viber_envelope(&[format!("{}/a.jpg", closed_port().await)]);
        let outcome = download_all(&envelope, &Memory::new(false), &fetcher()).await;
        assert!(
            matches!(outcome, Err(Unavailable::Download(_))),
            "{outcome:?}"
        );
        let outcome = download_all(&envelope, &Memory::new(true), &fetcher()).await;
        assert!(
            matches!(outcome, Err(Unavailable::SecretStore(_))),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn an_envelope_without_files_reads_no_secret() {
        let secrets = Memory::new(true);
        let files = download_all(&viber_envelope(&[]), &secrets, &fetcher()).await;
        assert!(files.unwrap().is_empty());
        assert_eq!(secrets.lookups.load(Ordering::SeqCst), 0);
    }
}
