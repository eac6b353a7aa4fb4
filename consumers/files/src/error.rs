//! Why a download failed. Every text names the platform and the step, never a credential or a
//! URL (a Telegram file URL holds the bot token; CDN URLs hold signatures).

use crate::Channel;

/// A failed download.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("channel {0:?} is not one this library downloads from")]
    UnknownChannel(String),
    #[error("the envelope has no attachment {index} (it has {count})")]
    NoSuchAttachment { index: usize, count: usize },
    #[error("the {channel} attachment has no `{field}`: nothing to download it with")]
    MissingField {
        channel: Channel,
        field: &'static str,
    },
    #[error("the {channel} attachment's `{field}` cannot be used: {reason}")]
    InvalidField {
        channel: Channel,
        field: &'static str,
        reason: &'static str,
    },
    /// The bot's secret lacks a field the download needs (the text names the field only).
    #[error("the bot's {channel} secret cannot be used: {reason}")]
    Secret { channel: Channel, reason: String },
    /// A base URL of the configuration is not a URL.
    #[error("the configured {channel} API base is not a URL")]
    BadBase { channel: Channel },
    #[error("{channel} refused the bot's credentials ({status}) for {step}: {hint}")]
    Refused {
        channel: Channel,
        step: &'static str,
        status: u16,
        hint: &'static str,
    },
    #[error(
        "the {channel} file link has expired or was withdrawn ({status}): {channel} media links \
         work for a limited time only, so the user has to send the file again"
    )]
    Expired { channel: Channel, status: u16 },
    #[error("{channel} answered {status} for {step}{detail}")]
    Status {
        channel: Channel,
        step: &'static str,
        status: u16,
        /// `: ` and the platform's own short explanation (credentials redacted), or empty.
        detail: String,
    },
    #[error("the file is larger than the {limit}-byte limit")]
    TooLarge { limit: u64 },
    #[error("{channel} answered a web page instead of the file: {hint}")]
    WebPage {
        channel: Channel,
        hint: &'static str,
    },
    #[error("{channel} did not answer {step} in time")]
    Timeout {
        channel: Channel,
        step: &'static str,
    },
    #[error("cannot reach {channel} for {step}: {detail}")]
    Network {
        channel: Channel,
        step: &'static str,
        detail: String,
    },
    #[error("{channel}'s answer to {step} is not what it documents: {detail}")]
    BadAnswer {
        channel: Channel,
        step: &'static str,
        detail: &'static str,
    },
    #[error("the {channel} file does not match its checksum: {detail}")]
    Checksum {
        channel: Channel,
        detail: &'static str,
    },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// Whether trying again later may succeed: outages, time-outs, throttling and 5xx answers.
    /// Everything else (an expired link, a wrong token, a file over the cap, a checksum that does
    /// not match) fails the same way every time.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Network { .. } => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_outages_are_worth_a_retry() {
        let status = |status| FetchError::Status {
            channel: Channel::Slack,
            step: "the file",
            status,
            detail: String::new(),
        };
        assert!(status(503).is_retryable());
        assert!(status(429).is_retryable());
        assert!(!status(400).is_retryable());
        assert!(
            FetchError::Timeout {
                channel: Channel::Viber,
                step: "the file"
            }
            .is_retryable()
        );
        assert!(
            !FetchError::Expired {
                channel: Channel::Facebook,
                status: 403
            }
            .is_retryable()
        );
        assert!(!FetchError::TooLarge { limit: 1 }.is_retryable());
    }

    #[test]
    fn an_expired_link_says_so_and_what_to_do() {
        let text = FetchError::Expired {
            channel: Channel::Viber,
            status: 410,
        }
        .to_string();
        assert!(text.contains("expired"), "{text}");
        assert!(text.contains("410"), "{text}");
        assert!(text.contains("send the file again"), "{text}");
    }
}
