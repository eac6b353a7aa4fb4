//! The Secrets Manager adapter: `GetSecretValue` by name, a missing secret is `None`; and, for
//! the command line, writing, listing and deleting bot secrets.

use async_trait::async_trait;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::config::http::HttpResponse;
use aws_sdk_secretsmanager::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueError;
use aws_sdk_secretsmanager::types::{Filter, FilterNameStringType};

use crate::ports::{SecretStore, SecretStoreError};
use crate::secret::SecretDocument;

/// Bot secrets in AWS Secrets Manager.
#[derive(Debug, Clone)]
pub struct SecretsManager {
    client: Client,
}

impl SecretsManager {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A client with the shared SDK configuration ([`super::sdk_config`]).
    pub fn with_config(sdk: &super::SdkConfig) -> Self {
        Self::new(Client::new(sdk))
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// One cheap call that opens the connection: a lookup of a name no bot can have
    /// (`{prefix}{channel}/.warm-up`), allowed by the function's own read policy.
    pub async fn warm_up(&self, name: &str) -> Result<(), SecretStoreError> {
        self.fetch(name).await.map(|_| ())
    }

    /// Creates the secret, or puts a new version of it when it exists (restoring it first when
    /// it is scheduled for deletion).
    pub async fn store(
        &self,
        name: &str,
        document: &serde_json::Value,
    ) -> Result<Stored, SecretStoreError> {
        let text = document.to_string();
        let created = self
            .client
            .create_secret()
            .name(name)
            .secret_string(&text)
            .send()
            .await;
        match created {
            Ok(_) => return Ok(Stored::Created),
            Err(err)
                if !is_code(
                    &err,
                    &["ResourceExistsException", "InvalidRequestException"],
                ) =>
            {
                return Err(unavailable(err));
            }
            Err(_) => {}
        }
        // An existing secret may be scheduled for deletion: restore it before the new version.
        let described = self
            .client
            .describe_secret()
            .secret_id(name)
            .send()
            .await
            .map_err(unavailable)?;
        if described.deleted_date().is_some() {
            self.client
                .restore_secret()
                .secret_id(name)
                .send()
                .await
                .map_err(unavailable)?;
        }
        self.client
            .put_secret_value()
            .secret_id(name)
            .secret_string(text)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(Stored::Updated)
    }

    /// The names of the secrets that start with `prefix` (not those scheduled for deletion).
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, SecretStoreError> {
        let filter = Filter::builder()
            .key(FilterNameStringType::Name)
            .values(prefix)
            .build();
        let mut names = Vec::new();
        let mut next_token = None;
        loop {
            let page = self
                .client
                .list_secrets()
                .filters(filter.clone())
                .set_next_token(next_token)
                .send()
                .await
                .map_err(unavailable)?;
            names.extend(
                page.secret_list()
                    .iter()
                    .filter_map(|entry| entry.name())
                    .filter(|name| name.starts_with(prefix))
                    .map(str::to_owned),
            );
            next_token = page.next_token().map(str::to_owned);
            if next_token.is_none() {
                break;
            }
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Deletes the secret: at once with `without_recovery`, else after Secrets Manager's
    /// recovery window. Whether it was there.
    pub async fn delete(
        &self,
        name: &str,
        without_recovery: bool,
    ) -> Result<bool, SecretStoreError> {
        let deleted = self
            .client
            .delete_secret()
            .secret_id(name)
            .set_force_delete_without_recovery(without_recovery.then_some(true))
            .send()
            .await;
        match deleted {
            Ok(_) => Ok(true),
            Err(err) if is_code(&err, &["ResourceNotFoundException"]) => Ok(false),
            Err(err) => Err(unavailable(err)),
        }
    }
}

/// What [`SecretsManager::store`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Created,
    Updated,
}

fn is_code<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>, codes: &[&str]) -> bool {
    err.as_service_error()
        .and_then(ProvideErrorMetadata::code)
        .is_some_and(|code| codes.contains(&code))
}

fn unavailable<E: std::error::Error + 'static>(err: E) -> SecretStoreError {
    SecretStoreError::Unavailable(DisplayErrorContext(err).to_string())
}

#[async_trait]
impl SecretStore for SecretsManager {
    async fn fetch(&self, name: &str) -> Result<Option<SecretDocument>, SecretStoreError> {
        match self.client.get_secret_value().secret_id(name).send().await {
            Ok(output) => {
                let text = output.secret_string().unwrap_or_default();
                SecretDocument::parse(text)
                    .map(Some)
                    .ok_or_else(|| SecretStoreError::NotAnObject(name.to_owned()))
            }
            Err(SdkError::ServiceError(err))
                if matches!(err.err(), GetSecretValueError::ResourceNotFoundException(_)) =>
            {
                Ok(None)
            }
            Err(err) => Err(SecretStoreError::Unavailable(
                DisplayErrorContext(err).to_string(),
            )),
        }
    }
}
