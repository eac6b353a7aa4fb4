//! The local secret store: a JSON file mapping secret names to their documents.
//!
//! `{"receivers/telegram/demo": {"secret_token": "…", "token": "…"}}`. The file is read again
//! on every lookup the cache lets through, so a bot added while the server runs is found.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::ports::{SecretStore, SecretStoreError};
use crate::secret::SecretDocument;

#[derive(Debug, thiserror::Error)]
pub enum SecretsFileError {
    #[error("cannot read or write the secrets file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the secrets file {path} is not a JSON object of objects: {reason}")]
    Format { path: PathBuf, reason: String },
}

/// Secrets from a local JSON file.
#[derive(Debug, Clone)]
pub struct SecretsFile {
    path: PathBuf,
}

impl SecretsFile {
    /// Opens the file, checking now that it is readable and well-formed.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, SecretsFileError> {
        let file = Self { path: path.into() };
        file.load()?;
        Ok(file)
    }

    /// A store at `path` that may not exist yet (a missing file holds no secrets).
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every secret in the file, by name.
    pub fn load(&self) -> Result<Map<String, Value>, SecretsFileError> {
        let text = std::fs::read_to_string(&self.path).map_err(|source| SecretsFileError::Io {
            path: self.path.clone(),
            source,
        })?;
        let format = |reason: String| SecretsFileError::Format {
            path: self.path.clone(),
            reason,
        };
        let Value::Object(map) =
            serde_json::from_str::<Value>(&text).map_err(|err| format(err.to_string()))?
        else {
            return Err(format("the top level is not an object".into()));
        };
        if let Some((name, _)) = map.iter().find(|(_, value)| !value.is_object()) {
            return Err(format(format!("the value of {name} is not an object")));
        }
        Ok(map)
    }

    /// Writes `document` under `name` (creating the file if needed), atomically, mode 0600.
    pub fn store(&self, name: &str, document: Value) -> Result<(), SecretsFileError> {
        let mut map = match self.load() {
            Ok(map) => map,
            Err(SecretsFileError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Map::new()
            }
            Err(err) => return Err(err),
        };
        map.insert(name.to_owned(), document);
        self.write(&map)
    }

    /// Removes `name`; whether it was there.
    pub fn remove(&self, name: &str) -> Result<bool, SecretsFileError> {
        let mut map = self.load()?;
        let removed = map.remove(name).is_some();
        if removed {
            self.write(&map)?;
        }
        Ok(removed)
    }

    fn write(&self, map: &Map<String, Value>) -> Result<(), SecretsFileError> {
        let io = |source| SecretsFileError::Io {
            path: self.path.clone(),
            source,
        };
        let text = serde_json::to_string_pretty(map).map_err(|err| SecretsFileError::Format {
            path: self.path.clone(),
            reason: err.to_string(),
        })?;
        let partial = self.path.with_extension("json.partial");
        write_private(&partial, text.as_bytes()).map_err(io)?;
        std::fs::rename(&partial, &self.path).map_err(io)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[async_trait]
impl SecretStore for SecretsFile {
    async fn fetch(&self, name: &str) -> Result<Option<SecretDocument>, SecretStoreError> {
        let file = self.clone();
        let loaded = tokio::task::spawn_blocking(move || file.load())
            .await
            .map_err(|err| SecretStoreError::Unavailable(err.to_string()))?;
        let map = match loaded {
            Ok(map) => map,
            // No file yet: no bots yet (`receivers connect` creates it).
            Err(SecretsFileError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return Ok(None);
            }
            Err(err) => return Err(SecretStoreError::Unavailable(err.to_string())),
        };
        Ok(map.get(name).cloned().and_then(SecretDocument::from_value))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn reads_stores_and_removes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bots.json");
        std::fs::write(&path, r#"{"receivers/telegram/demo": {"token": "t"}}"#).unwrap();
        let file = SecretsFile::open(&path).unwrap();
        assert!(
            file.fetch("receivers/telegram/demo")
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            file.fetch("receivers/telegram/other")
                .await
                .unwrap()
                .is_none()
        );
        file.store("receivers/telegram/other", json!({"token": "u"}))
            .unwrap();
        assert!(
            file.fetch("receivers/telegram/other")
                .await
                .unwrap()
                .is_some()
        );
        assert!(file.remove("receivers/telegram/other").unwrap());
        assert!(!file.remove("receivers/telegram/other").unwrap());
    }

    #[test]
    fn bad_files_fail_at_open_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let missing = SecretsFile::open(dir.path().join("nope.json")).unwrap_err();
        assert!(
            missing.to_string().contains("cannot read or write"),
            "{missing}"
        );
        let path = dir.path().join("bad.json");
        std::fs::write(&path, r#"{"a": "not an object"}"#).unwrap();
        let bad = SecretsFile::open(&path).unwrap_err();
        assert!(
            bad.to_string().contains("the value of a is not an object"),
            "{bad}"
        );
    }
}
