//! Writing, listing and removing bot secrets in the configured store (the local file or
//! Secrets Manager), for `connect` and `bots`.

use std::time::Duration;

use anyhow::Context as _;
use serde_json::Value;
use shared::aws::secrets_manager::Stored;
use shared::secret::SecretDocument;
use shared::secrets_file::{SecretsFile, SecretsFileError};

use crate::stores::{SecretSource, StoreArgs};

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    Replaced,
}

impl SecretSource {
    /// Creates or replaces the secret `name`.
    pub async fn write(&self, name: &str, document: &Value) -> anyhow::Result<Written> {
        match self {
            Self::File(file) => {
                let existed = load_or_empty(file)?.contains_key(name);
                file.store(name, document.clone())?;
                Ok(if existed {
                    Written::Replaced
                } else {
                    Written::Created
                })
            }
            Self::Aws(manager) => match manager.store(name, document).await? {
                Stored::Created => Ok(Written::Created),
                Stored::Updated => Ok(Written::Replaced),
            },
        }
    }

    /// The names of the secrets under `prefix`, sorted.
    pub async fn names(&self, prefix: &str) -> anyhow::Result<Vec<String>> {
        match self {
            Self::File(file) => {
                let mut names: Vec<String> = load_or_empty(file)?
                    .keys()
                    .filter(|name| name.starts_with(prefix))
                    .cloned()
                    .collect();
                names.sort();
                Ok(names)
            }
            Self::Aws(manager) => Ok(manager.list(prefix).await?),
        }
    }

    /// The secret's document; `None` when there is no secret by that name.
    pub async fn document(&self, name: &str) -> anyhow::Result<Option<SecretDocument>> {
        self.store()
            .fetch(name)
            .await
            .with_context(|| format!("cannot read the secret {name}"))
    }

    /// Removes the secret; whether it was there. Secrets Manager keeps it for its recovery
    /// window unless `without_recovery`.
    pub async fn remove(&self, name: &str, without_recovery: bool) -> anyhow::Result<bool> {
        match self {
            Self::File(file) => {
                if load_or_empty(file)?.is_empty() {
                    return Ok(false);
                }
                Ok(file.remove(name)?)
            }
            Self::Aws(manager) => Ok(manager.delete(name, without_recovery).await?),
        }
    }
}

fn load_or_empty(file: &SecretsFile) -> Result<serde_json::Map<String, Value>, SecretsFileError> {
    match file.load() {
        Err(SecretsFileError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Ok(serde_json::Map::new())
        }
        other => other,
    }
}

impl StoreArgs {
    /// The secret store to write to: like [`StoreArgs::secrets`], but a secrets file that does
    /// not exist yet is fine (the first write creates it).
    pub async fn writable_secrets(&self, timeout: Duration) -> anyhow::Result<SecretSource> {
        match (
            &self.secrets_file,
            std::env::var("SECRETS_SOURCE").as_deref(),
        ) {
            (Some(path), Ok("file") | Err(_)) if !path.exists() => {
                Ok(SecretSource::File(SecretsFile::at(path)))
            }
            _ => self.secrets(timeout).await,
        }
    }

    /// The flags and environment that select the same secret store again, for the commands
    /// this tool suggests (`SECRETS_SOURCE=aws receivers …`, `… --secrets-file PATH`).
    pub fn same_store(&self) -> (String, String) {
        if std::env::var("SECRETS_SOURCE").as_deref() == Ok("aws") {
            return ("SECRETS_SOURCE=aws ".to_owned(), String::new());
        }
        let flags = self
            .secrets_file
            .as_ref()
            .map(|path| format!(" --secrets-file {}", path.display()))
            .unwrap_or_default();
        (String::new(), flags)
    }
}
