//! The one place a failure becomes an HTTP answer (DESIGN.md §6), and the log line it gets.

use http::StatusCode;

use crate::channel::{Rejection, Reply};

/// The answer a receiver gives, whatever server carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: String,
    /// The `Allow` header of a 405.
    pub allow: Option<String>,
}

impl Answer {
    /// A 200 with the reply's body.
    pub fn ok(reply: Reply) -> Self {
        Self {
            status: StatusCode::OK,
            content_type: reply.content_type,
            body: reply.body,
            allow: None,
        }
    }

    fn short(status: StatusCode, body: &str) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.to_owned(),
            allow: None,
        }
    }
}

/// Why a request was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("body over the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("{count} events in one request, more than the {limit} taken")]
    TooManyEvents { count: usize, limit: usize },
    #[error("no secret for this bot")]
    UnknownBot,
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error("the bot's secret is unusable: {0}")]
    SecretUnusable(String),
    #[error(transparent)]
    SecretStore(#[from] crate::ports::SecretStoreError),
    #[error(transparent)]
    Queue(#[from] crate::ports::QueueError),
    #[error("the {0} did not answer before the deadline")]
    Deadline(&'static str),
}

impl Failure {
    /// Whether the fault is the caller's (4xx) rather than ours or an upstream's (5xx).
    pub fn is_client_error(&self) -> bool {
        answer(self).status.is_client_error()
    }
}

/// The status and short body for a failure; detail stays in the log, never in the body.
pub fn answer(failure: &Failure) -> Answer {
    match failure {
        Failure::MethodNotAllowed { allow } => Answer {
            allow: Some(allow.clone()),
            ..Answer::short(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        },
        Failure::TooLarge { .. }
        | Failure::TooManyEvents { .. }
        | Failure::Rejected(Rejection::TooLarge) => {
            Answer::short(StatusCode::PAYLOAD_TOO_LARGE, "payload too large")
        }
        Failure::UnknownBot | Failure::Rejected(Rejection::NotThisBot(_)) => {
            Answer::short(StatusCode::NOT_FOUND, "not found")
        }
        Failure::Rejected(Rejection::Unauthenticated(_)) => {
            Answer::short(StatusCode::UNAUTHORIZED, "unauthorized")
        }
        Failure::Rejected(Rejection::Forbidden(_)) => {
            Answer::short(StatusCode::FORBIDDEN, "forbidden")
        }
        Failure::Rejected(Rejection::Malformed(_)) => {
            Answer::short(StatusCode::BAD_REQUEST, "bad request")
        }
        Failure::SecretUnusable(_)
        | Failure::SecretStore(_)
        | Failure::Queue(_)
        | Failure::Deadline(_) => Answer::short(
            StatusCode::SERVICE_UNAVAILABLE,
            "service unavailable, retry later",
        ),
    }
}

/// Logs the failure at the level it deserves: refused requests are warnings, outages errors.
pub fn log(failure: &Failure) {
    let status = answer(failure).status.as_u16();
    // A reason may quote the request (a parser's complaint): escaped like every request field.
    let reason = failure.to_string();
    let reason = crate::telemetry::Escaped(&reason);
    if failure.is_client_error() {
        tracing::warn!(status, %reason, "request refused");
    } else {
        tracing::error!(status, %reason, "request not accepted; the platform will retry");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::QueueError;

    #[test]
    fn every_failure_has_its_contract_status() {
        let cases: Vec<(Failure, u16)> = vec![
            (
                Failure::MethodNotAllowed {
                    allow: "POST".into(),
                },
                405,
            ),
            (Failure::TooLarge { limit: 1 }, 413),
            (Failure::Rejected(Rejection::TooLarge), 413),
            (
                Failure::TooManyEvents {
                    count: 1001,
                    limit: 1000,
                },
                413,
            ),
            (Failure::UnknownBot, 404),
            (Failure::Rejected(Rejection::NotThisBot("business")), 404),
            (
                Failure::Rejected(Rejection::Unauthenticated("signature")),
                401,
            ),
            (Failure::Rejected(Rejection::Forbidden("verify token")), 403),
            (Failure::Rejected(Rejection::malformed("json")), 400),
            (Failure::SecretUnusable("missing field".into()), 503),
            (Failure::Queue(QueueError::Unavailable("down".into())), 503),
            (Failure::Deadline("queue"), 503),
        ];
        for (failure, status) in cases {
            assert_eq!(answer(&failure).status.as_u16(), status, "{failure}");
        }
        assert_eq!(
            answer(&Failure::MethodNotAllowed {
                allow: "GET, POST".into()
            })
            .allow
            .as_deref(),
            Some("GET, POST")
        );
    }

    #[test]
    fn bodies_are_short_and_generic() {
        let answer = answer(&Failure::Rejected(Rejection::malformed(
            "expected value at line 1 column 1",
        )));
        assert_eq!(answer.body, "bad request");
    }
}
