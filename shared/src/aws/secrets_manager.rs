//! The Secrets Manager adapter: `GetSecretValue` by name, a missing secret is `None`.

use async_trait::async_trait;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::error::{DisplayErrorContext, SdkError};
use aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueError;

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
