//! The `main-process-example` Lambda function: consumes the envelope queue, downloading the files
//! users send.

use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Error, LambdaEvent, service_fn};
use main_process_example::Consumer;
use main_process_example::attachments::{SecretsManagerSecrets, Unavailable, download_all};
use messenger_files::{Config, Fetcher};
use shared_core::envelope::Envelope;
use tokio::sync::Mutex;

/// The bot's logic for one new envelope. Here: its files are downloaded and logged; the log line
/// the consumer writes says the rest.
async fn process(
    envelope: Envelope,
    secrets: &SecretsManagerSecrets,
    fetcher: &Fetcher,
) -> Result<(), Unavailable> {
    for file in download_all(&envelope, secrets, fetcher).await? {
        // The bot would use `file.bytes` here.
        tracing::info!(
            event_id = envelope.event_id.as_str(),
            file = file.file_name.as_str(),
            bytes = file.bytes.len(),
            mime_type = file.mime_type.as_str(),
            "attachment downloaded"
        );
    }
    Ok(())
}

/// The most a file may take of the function's memory (128 MB by default), unless
/// `FILES_MAX_BYTES` says otherwise.
const FILES_MAX_BYTES: u64 = 20 << 20;
/// The most one download call may take of the function's 10 s, unless `FILES_TIMEOUT_SECONDS`
/// says otherwise.
const FILES_TIMEOUT: Duration = Duration::from_secs(5);

/// The downloads' limits, sized for the function as the template deploys it.
fn files_config() -> Config {
    let number = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.trim().parse::<u64>().ok())
    };
    let timeout = number("FILES_TIMEOUT_SECONDS").map_or(FILES_TIMEOUT, Duration::from_secs);
    let defaults = Config::default();
    Config {
        max_bytes: number("FILES_MAX_BYTES").unwrap_or(FILES_MAX_BYTES),
        timeout,
        connect_timeout: defaults.connect_timeout.min(timeout),
        ..defaults
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // JSON or text lines as the function's logging configuration says.
    lambda_runtime::tracing::init_default_subscriber();
    let secrets = SecretsManagerSecrets::from_env().await;
    let fetcher = Fetcher::new(files_config())?;
    let consumer = Mutex::new(Consumer::default());
    let (secrets, fetcher, consumer) = (&secrets, &fetcher, &consumer);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        let mut consumer = consumer.lock().await;
        let response = consumer
            .handle_batch_async(&event.payload, |envelope| {
                process(envelope, secrets, fetcher)
            })
            .await;
        Ok::<SqsBatchResponse, Error>(response)
    }))
    .await
}
