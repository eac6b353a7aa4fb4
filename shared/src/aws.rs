//! The AWS adapters: the only code that talks to SQS, Secrets Manager and DynamoDB.

pub mod dynamodb;
pub mod queue_admin;
pub mod secrets_manager;
pub mod sqs;

use std::time::Duration;

pub use aws_config::SdkConfig;
use aws_config::stalled_stream_protection::StalledStreamProtectionConfig;
use aws_config::timeout::TimeoutConfig;
use aws_smithy_http_client::tls::Provider;
use aws_smithy_http_client::tls::rustls_provider::CryptoMode;

/// The shared SDK configuration: the standard AWS environment (region, credentials,
/// `AWS_ENDPOINT_URL`), with timeouts inside the request deadline.
pub async fn sdk_config(upstream_timeout: Duration) -> aws_config::SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(connect_timeout(upstream_timeout))
        .operation_timeout(upstream_timeout)
        .build();
    load(timeouts).await
}

/// [`sdk_config`] without the operation timeout, for clients whose every call the caller
/// bounds by its own deadline (the Lambda's pipeline): each call then arms one timer, not two.
pub async fn sdk_config_under_deadline(upstream_timeout: Duration) -> aws_config::SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(connect_timeout(upstream_timeout))
        .build();
    load(timeouts).await
}

fn connect_timeout(upstream_timeout: Duration) -> Duration {
    Duration::from_millis(800).min(upstream_timeout)
}

/// Stalled-stream protection is off: the operation timeout, or the caller's deadline, ends a
/// call whose upload or download stalls well before the protection's grace period would, and
/// the protection costs every call a throughput monitor (timers, allocations) on both bodies.
async fn load(timeouts: TimeoutConfig) -> aws_config::SdkConfig {
    aws_config::from_env()
        .http_client(https_client())
        .timeout_config(timeouts)
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        .load()
        .await
}

/// The HTTPS client of every SDK client: hyper 1 with rustls on `ring`, the system's roots.
///
/// Not the SDK's default (rustls on `aws-lc-rs`): `ring` offers the same TLS 1.2/1.3 suites
/// (AES-GCM and ChaCha20 in assembly on x86_64 and aarch64) and leaves 2 MB of `aws-lc`
/// out of every receiver (BENCHMARKS.md, "arm64 bootstraps").
pub fn https_client() -> aws_sdk_sqs::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}
