//! The queue side of `status`: the SQS queue's and its dead-letter queue's depth, or the
//! spool's envelopes and size.

use std::io::{BufRead as _, BufReader};
use std::path::Path;

use serde::Serialize;
use shared::aws::queue_admin::{QueueAdmin, QueueDepth};

/// A queue's depth, or why it could not be read.
#[derive(Debug, Clone, Serialize)]
pub struct Depth {
    pub url: Option<String>,
    #[serde(flatten)]
    pub depth: Option<QueueDepth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The queue the receivers send to.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum QueueStatus {
    Sqs {
        queue: Depth,
        /// `None` when the queue has no dead-letter queue (and none was given).
        dead_letter: Option<Depth>,
    },
    Spool {
        path: String,
        envelopes: u64,
        bytes: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

impl QueueStatus {
    /// Whether any part could not be read.
    pub fn failed(&self) -> bool {
        match self {
            Self::Sqs { queue, dead_letter } => {
                queue.error.is_some() || dead_letter.as_ref().is_some_and(|d| d.error.is_some())
            }
            Self::Spool { error, .. } => error.is_some(),
        }
    }
}

/// The SQS queue's depth and its dead-letter queue's: `dlq_url`, else the one its
/// `RedrivePolicy` names.
pub async fn sqs(admin: &dyn QueueAdmin, queue_url: &str, dlq_url: Option<&str>) -> QueueStatus {
    let info = admin.info(queue_url).await;
    let queue = Depth {
        url: Some(queue_url.to_owned()),
        depth: info.as_ref().ok().map(|info| info.depth),
        error: info.as_ref().err().map(ToString::to_string),
    };
    let dead_letter_url = match (dlq_url, info.ok().and_then(|info| info.dead_letter_arn)) {
        (Some(url), _) => Some(Ok(url.to_owned())),
        (None, Some(arn)) => Some(admin.url_of(&arn).await.map_err(|err| err.to_string())),
        (None, None) => None,
    };
    let dead_letter = match dead_letter_url {
        None => None,
        Some(Err(error)) => Some(Depth {
            url: None,
            depth: None,
            error: Some(error),
        }),
        Some(Ok(url)) => {
            let info = admin.info(&url).await;
            Some(Depth {
                url: Some(url),
                depth: info.as_ref().ok().map(|info| info.depth),
                error: info.err().map(|err| err.to_string()),
            })
        }
    };
    QueueStatus::Sqs { queue, dead_letter }
}

/// The spool's envelopes (complete lines) and size; a spool not created yet is empty.
pub fn spool(path: &Path) -> QueueStatus {
    let counted = std::fs::File::open(path).and_then(|file| {
        let bytes = file.metadata()?.len();
        let mut reader = BufReader::new(file);
        let mut envelopes = 0;
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            if line.ends_with(b"\n") && line.iter().any(|byte| !byte.is_ascii_whitespace()) {
                envelopes += 1;
            }
        }
        Ok((envelopes, bytes))
    });
    let (envelopes, bytes, error) = match counted {
        Ok((envelopes, bytes)) => (envelopes, bytes, None),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => (0, 0, None),
        Err(err) => (0, 0, Some(format!("cannot read it: {err}"))),
    };
    QueueStatus::Spool {
        path: path.display().to_string(),
        envelopes,
        bytes,
        error,
    }
}

/// One line for people.
pub fn describe(depth: &Depth) -> String {
    match (&depth.depth, &depth.error) {
        (_, Some(error)) => format!("unreadable: {error}"),
        (Some(depth), None) => format!(
            "{} visible, {} in flight, {} delayed",
            depth.visible, depth.in_flight, depth.delayed
        ),
        (None, None) => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spool_counts_complete_lines_only() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let path = dir.path().join("queue.jsonl");
        assert!(matches!(
            spool(&path),
            QueueStatus::Spool {
                envelopes: 0,
                bytes: 0,
                error: None,
                ..
            }
        ));
        std::fs::write(&path, "{\"a\":1}\n\n{\"b\":2}\n{\"torn").unwrap_or_else(|e| panic!("{e}"));
        let QueueStatus::Spool {
            envelopes, bytes, ..
        } = spool(&path)
        else {
            panic!("not a spool");
        };
        assert_eq!((envelopes, bytes), (2, 23));
    }
}
