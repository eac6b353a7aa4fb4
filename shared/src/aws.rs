//! The AWS adapters: the only code that talks to SQS, Secrets Manager and DynamoDB.

pub mod dynamodb;
pub mod queue_admin;
pub mod secrets_manager;
pub mod sqs;

use std::time::Duration;

pub use aws_config::SdkConfig;
use aws_config::timeout::TimeoutConfig;

/// The shared SDK configuration: the standard AWS environment (region, credentials,
/// `AWS_ENDPOINT_URL`), with timeouts inside the request deadline.
pub async fn sdk_config(upstream_timeout: Duration) -> aws_config::SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(800).min(upstream_timeout))
        .operation_timeout(upstream_timeout)
        .build();
    aws_config::from_env().timeout_config(timeouts).load().await
}
