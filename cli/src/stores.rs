//! The queue and the secret store every command uses, chosen from flags and the environment:
//! the local spool and secrets file by default, SQS with `QUEUE_URL`, Secrets Manager with
//! `SECRETS_SOURCE=aws`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use shared::aws::secrets_manager::SecretsManager;
use shared::aws::sqs::SqsQueue;
use shared::config::check_queue_url;
use shared::ports::{Queue, SecretStore};
use shared::secrets_file::SecretsFile;
use shared::spool::{Spool, SpoolOptions};

/// The default local secrets file.
pub const DEFAULT_SECRETS_FILE: &str = "bots.local.json";
/// The demo bots' secrets, committed; the default secrets file starts as a copy of it.
pub const EXAMPLE_SECRETS_FILE: &str = "bots.example.json";

/// The default spool.
pub const DEFAULT_SPOOL: &str = ".spool/queue.jsonl";

/// Flags shared by the commands that touch a store.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Local secrets file: a JSON object of secret name → secret document.
    #[arg(long, value_name = "PATH")]
    pub secrets_file: Option<PathBuf>,
    /// The embedded queue (JSON Lines), used when QUEUE_URL is not set.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_SPOOL)]
    pub spool: PathBuf,
}

/// Where the secrets are.
#[derive(Debug, Clone)]
pub enum SecretSource {
    File(SecretsFile),
    Aws(SecretsManager),
}

impl SecretSource {
    pub fn store(&self) -> Arc<dyn SecretStore> {
        match self {
            Self::File(file) => Arc::new(file.clone()),
            Self::Aws(manager) => Arc::new(manager.clone()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::File(file) => format!("secrets file {}", file.path().display()),
            Self::Aws(_) => "AWS Secrets Manager".to_owned(),
        }
    }
}

/// Where envelopes go.
#[derive(Debug, Clone)]
pub enum QueueTarget {
    Spool(Arc<Spool>),
    Sqs(SqsQueue),
}

impl QueueTarget {
    pub fn queue(&self) -> Arc<dyn Queue> {
        match self {
            Self::Spool(spool) => Arc::clone(spool) as Arc<dyn Queue>,
            Self::Sqs(sqs) => Arc::new(sqs.clone()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Spool(spool) => format!("spool {}", spool.path().display()),
            Self::Sqs(_) => format!(
                "SQS queue {}",
                std::env::var("QUEUE_URL").unwrap_or_default()
            ),
        }
    }

    /// Flushes and closes the spool; nothing to do for SQS.
    pub fn close(&self) {
        if let Self::Spool(spool) = self {
            spool.close();
        }
    }
}

impl StoreArgs {
    /// The secret store: Secrets Manager with `SECRETS_SOURCE=aws`, else the file. An explicit
    /// file must be readable; the default one may not exist yet (no bots yet).
    pub async fn secrets(&self, timeout: Duration) -> anyhow::Result<SecretSource> {
        match std::env::var("SECRETS_SOURCE").as_deref() {
            Ok("aws") => {
                let sdk = shared::aws::sdk_config(timeout).await;
                Ok(SecretSource::Aws(SecretsManager::with_config(&sdk)))
            }
            Ok("file") | Err(_) => {
                let file = match &self.secrets_file {
                    Some(path) => SecretsFile::open(path)?,
                    None => default_secrets_file()?,
                };
                Ok(SecretSource::File(file))
            }
            Ok(other) => {
                bail!("SECRETS_SOURCE={other:?} is not valid: expected \"aws\" or \"file\"")
            }
        }
    }

    /// The queue: SQS with `QUEUE_URL`, else the spool (with the default deduplication).
    pub async fn queue(&self, timeout: Duration) -> anyhow::Result<QueueTarget> {
        self.queue_with(timeout, SpoolOptions::default()).await
    }

    /// The queue: SQS with `QUEUE_URL`, else the spool, deduplicating as `spool` says.
    pub async fn queue_with(
        &self,
        timeout: Duration,
        spool: SpoolOptions,
    ) -> anyhow::Result<QueueTarget> {
        match std::env::var("QUEUE_URL") {
            Ok(url) => {
                check_queue_url(&url)?;
                let sdk = shared::aws::sdk_config(timeout).await;
                Ok(QueueTarget::Sqs(SqsQueue::with_config(&sdk, url)))
            }
            Err(_) => {
                let spool = Spool::open_with(&self.spool, spool)
                    .with_context(|| format!("cannot open the spool {}", self.spool.display()))?;
                Ok(QueueTarget::Spool(spool))
            }
        }
    }
}

/// `bots.local.json`; on first use, where it does not exist yet and `bots.example.json` does,
/// it starts as a copy of the example, so the demo bots work with no flags. A file that exists
/// must be well-formed.
fn default_secrets_file() -> anyhow::Result<SecretsFile> {
    let local = std::path::Path::new(DEFAULT_SECRETS_FILE);
    let example = std::path::Path::new(EXAMPLE_SECRETS_FILE);
    if !local.exists() && example.exists() {
        std::fs::copy(example, local).with_context(|| {
            format!("cannot create {DEFAULT_SECRETS_FILE} from {EXAMPLE_SECRETS_FILE}")
        })?;
        tracing::warn!(
            "created {DEFAULT_SECRETS_FILE} with the demo bots of {EXAMPLE_SECRETS_FILE}; `receivers connect` adds yours"
        );
    }
    if local.exists() {
        return Ok(SecretsFile::open(local)?);
    }
    Ok(SecretsFile::at(local))
}
