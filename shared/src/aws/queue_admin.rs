//! Queue administration for the operator's commands: a queue's depth and dead-letter queue, and
//! SQS message move tasks (a dead-letter queue redriven to its source), behind [`QueueAdmin`].

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::config::http::HttpResponse;
use aws_sdk_sqs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_sqs::types::QueueAttributeName;

/// How many messages a queue holds, as SQS counts them (approximately).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueueDepth {
    /// `ApproximateNumberOfMessages`: ready to be received.
    pub visible: u64,
    /// `ApproximateNumberOfMessagesNotVisible`: received, not yet deleted (in flight).
    pub in_flight: u64,
    /// `ApproximateNumberOfMessagesDelayed`: sent with a delay that has not passed.
    pub delayed: u64,
}

impl QueueDepth {
    pub fn total(&self) -> u64 {
        self.visible + self.in_flight + self.delayed
    }
}

/// What the operator's commands need to know of a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueInfo {
    pub url: String,
    pub arn: String,
    pub depth: QueueDepth,
    /// The ARN of its dead-letter queue (`RedrivePolicy.deadLetterTargetArn`), when it has one.
    pub dead_letter_arn: Option<String>,
}

/// A message move task as SQS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveTask {
    pub status: MoveStatus,
    pub moved: u64,
    /// How many the task set out to move; SQS leaves it out until it knows.
    pub to_move: Option<u64>,
    pub failure_reason: Option<String>,
    /// When it started, Unix milliseconds.
    pub started_at: Option<i64>,
}

/// A move task's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveStatus {
    Running,
    Completed,
    Cancelling,
    Cancelled,
    Failed,
    /// A status this code does not know, as SQS spelled it.
    Other(String),
}

impl MoveStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "RUNNING" => Self::Running,
            "COMPLETED" => Self::Completed,
            "CANCELLING" => Self::Cancelling,
            "CANCELLED" => Self::Cancelled,
            "FAILED" => Self::Failed,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Whether the task has ended, well or not.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Completed | Self::Cancelled | Self::Failed)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Running => "RUNNING",
            Self::Completed => "COMPLETED",
            Self::Cancelling => "CANCELLING",
            Self::Cancelled => "CANCELLED",
            Self::Failed => "FAILED",
            Self::Other(text) => text,
        }
    }
}

/// A move from a dead-letter queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRequest {
    pub source_arn: String,
    /// Where to; `None` sends each message back to the queue it came from.
    pub destination_arn: Option<String>,
    /// A fixed rate (SQS allows 1–500); `None` lets SQS choose.
    pub max_per_second: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum QueueAdminError {
    /// The call failed: outage, permissions, a queue that does not exist, an unknown action.
    #[error("SQS {operation} failed: {detail}")]
    Call {
        operation: &'static str,
        detail: String,
    },
    /// SQS answered without something it documents.
    #[error("SQS {operation} answered without {missing}")]
    Incomplete {
        operation: &'static str,
        missing: &'static str,
    },
    /// An ARN that does not name an SQS queue.
    #[error("{0:?} is not the ARN of an SQS queue")]
    NotAQueueArn(String),
}

/// The administrative side of a queue service.
#[async_trait]
pub trait QueueAdmin: Send + Sync + std::fmt::Debug {
    /// The queue's ARN, depth and dead-letter queue.
    async fn info(&self, queue_url: &str) -> Result<QueueInfo, QueueAdminError>;
    /// The URL of the queue with this ARN.
    async fn url_of(&self, arn: &str) -> Result<String, QueueAdminError>;
    /// Starts moving the messages of a dead-letter queue; the task's handle.
    async fn start_move(&self, request: &MoveRequest) -> Result<String, QueueAdminError>;
    /// The most recent move task from `source_arn`, if any.
    async fn latest_move(&self, source_arn: &str) -> Result<Option<MoveTask>, QueueAdminError>;
}

/// [`QueueAdmin`] on SQS.
#[derive(Debug, Clone)]
pub struct SqsAdmin {
    client: Client,
}

impl SqsAdmin {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A client with the shared SDK configuration ([`super::sdk_config`]).
    pub fn with_config(sdk: &super::SdkConfig) -> Self {
        Self::new(Client::new(sdk))
    }
}

#[async_trait]
impl QueueAdmin for SqsAdmin {
    async fn info(&self, queue_url: &str) -> Result<QueueInfo, QueueAdminError> {
        const OPERATION: &str = "GetQueueAttributes";
        let output = self
            .client
            .get_queue_attributes()
            .queue_url(queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesDelayed)
            .attribute_names(QueueAttributeName::RedrivePolicy)
            .send()
            .await
            .map_err(|err| failed(OPERATION, err))?;
        let attributes = output.attributes();
        let attribute = |name: QueueAttributeName| attributes.and_then(|map| map.get(&name));
        let count = |name: QueueAttributeName| {
            attribute(name)
                .and_then(|value| value.trim().parse::<u64>().ok())
                .unwrap_or(0)
        };
        let arn = attribute(QueueAttributeName::QueueArn).cloned().ok_or(
            QueueAdminError::Incomplete {
                operation: OPERATION,
                missing: "QueueArn",
            },
        )?;
        Ok(QueueInfo {
            url: queue_url.to_owned(),
            arn,
            depth: QueueDepth {
                visible: count(QueueAttributeName::ApproximateNumberOfMessages),
                in_flight: count(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
                delayed: count(QueueAttributeName::ApproximateNumberOfMessagesDelayed),
            },
            dead_letter_arn: attribute(QueueAttributeName::RedrivePolicy)
                .and_then(|policy| dead_letter_target(policy)),
        })
    }

    async fn url_of(&self, arn: &str) -> Result<String, QueueAdminError> {
        let (account, name) = parse_queue_arn(arn)?;
        let output = self
            .client
            .get_queue_url()
            .queue_name(name)
            .queue_owner_aws_account_id(account)
            .send()
            .await
            .map_err(|err| failed("GetQueueUrl", err))?;
        output
            .queue_url()
            .map(str::to_owned)
            .ok_or(QueueAdminError::Incomplete {
                operation: "GetQueueUrl",
                missing: "QueueUrl",
            })
    }

    async fn start_move(&self, request: &MoveRequest) -> Result<String, QueueAdminError> {
        let rate = request
            .max_per_second
            .map(|rate| i32::try_from(rate).unwrap_or(i32::MAX));
        let output = self
            .client
            .start_message_move_task()
            .source_arn(&request.source_arn)
            .set_destination_arn(request.destination_arn.clone())
            .set_max_number_of_messages_per_second(rate)
            .send()
            .await
            .map_err(|err| failed("StartMessageMoveTask", err))?;
        Ok(output.task_handle().unwrap_or_default().to_owned())
    }

    async fn latest_move(&self, source_arn: &str) -> Result<Option<MoveTask>, QueueAdminError> {
        let output = self
            .client
            .list_message_move_tasks()
            .source_arn(source_arn)
            .max_results(1)
            .send()
            .await
            .map_err(|err| failed("ListMessageMoveTasks", err))?;
        Ok(output.results().first().map(|entry| MoveTask {
            status: MoveStatus::parse(entry.status().unwrap_or_default()),
            moved: u64::try_from(entry.approximate_number_of_messages_moved()).unwrap_or(0),
            to_move: entry
                .approximate_number_of_messages_to_move()
                .and_then(|count| u64::try_from(count).ok()),
            failure_reason: entry.failure_reason().map(str::to_owned),
            started_at: Some(entry.started_timestamp()).filter(|millis| *millis > 0),
        }))
    }
}

/// `deadLetterTargetArn` of a queue's `RedrivePolicy` (a JSON document).
pub fn dead_letter_target(policy: &str) -> Option<String> {
    let policy: serde_json::Value = serde_json::from_str(policy).ok()?;
    policy
        .get("deadLetterTargetArn")
        .and_then(serde_json::Value::as_str)
        .filter(|arn| !arn.is_empty())
        .map(str::to_owned)
}

/// The account and the name of `arn:aws:sqs:{region}:{account}:{name}` (any partition).
pub fn parse_queue_arn(arn: &str) -> Result<(&str, &str), QueueAdminError> {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        ["arn", _partition, "sqs", _region, account, name]
            if !account.is_empty() && !name.is_empty() =>
        {
            Ok((account, name))
        }
        _ => Err(QueueAdminError::NotAQueueArn(arn.to_owned())),
    }
}

/// SQS's error code and message; the HTTP status of an answer that is not SQS's (a service
/// without the action); else the whole chain (timeouts, connection errors).
fn failed<E>(operation: &'static str, err: SdkError<E, HttpResponse>) -> QueueAdminError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let status = err
        .raw_response()
        .map(|response| response.status().as_u16());
    let detail = match (err.code(), status) {
        (Some(code), _) => format!("{code}: {}", err.message().unwrap_or_default()),
        (None, Some(status)) => format!("HTTP {status}, not an answer SQS gives"),
        (None, None) => DisplayErrorContext(&err).to_string(),
    };
    QueueAdminError::Call { operation, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_arns_and_redrive_policies_are_read() {
        assert_eq!(
            parse_queue_arn("arn:aws:sqs:us-east-1:123456789012:events-dlq.fifo").ok(),
            Some(("123456789012", "events-dlq.fifo"))
        );
        assert!(parse_queue_arn("arn:aws:sns:us-east-1:123456789012:topic").is_err());
        assert!(parse_queue_arn("arn:aws:sqs:us-east-1::name").is_err());
        assert!(parse_queue_arn("https://sqs.us-east-1.amazonaws.com/1/q").is_err());
        assert_eq!(
            dead_letter_target(
                r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":5}"#
            )
            .as_deref(),
            Some("arn:aws:sqs:us-east-1:1:dlq")
        );
        assert_eq!(dead_letter_target("not json"), None);
        assert_eq!(dead_letter_target(r#"{"maxReceiveCount":5}"#), None);
    }

    #[test]
    fn move_statuses_are_read_and_final_ones_known() {
        assert_eq!(MoveStatus::parse("RUNNING"), MoveStatus::Running);
        assert!(!MoveStatus::parse("RUNNING").is_final());
        assert!(!MoveStatus::parse("CANCELLING").is_final());
        for status in ["COMPLETED", "CANCELLED", "FAILED"] {
            assert!(MoveStatus::parse(status).is_final(), "{status}");
            assert_eq!(MoveStatus::parse(status).as_str(), status);
        }
        assert_eq!(
            MoveStatus::parse("PAUSED"),
            MoveStatus::Other("PAUSED".to_owned())
        );
    }
}
