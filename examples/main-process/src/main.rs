//! The `main-process-example` Lambda function: consumes the envelope queue.

use std::sync::{Arc, Mutex, PoisonError};

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Error, LambdaEvent, service_fn};
use main_process_example::Consumer;
use shared_core::envelope::Envelope;

/// The bot's logic for one new envelope. Here: nothing beyond the log line the consumer writes.
fn process(_envelope: &Envelope) -> Result<(), std::convert::Infallible> {
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // JSON or text lines as the function's logging configuration says.
    lambda_runtime::tracing::init_default_subscriber();
    let consumer = Arc::new(Mutex::new(Consumer::default()));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let consumer = Arc::clone(&consumer);
        async move {
            // A panic in an earlier batch leaves the set of seen ids as valid as before.
            let mut consumer = consumer.lock().unwrap_or_else(PoisonError::into_inner);
            Ok::<SqsBatchResponse, Error>(consumer.handle_batch(&event.payload, process))
        }
    }))
    .await
}
