//! The local server's routes: every receiver behind `/{channel}/{bot}`, as API Gateway has them,
//! and the counters of what they answered at `GET /metrics`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, HttpBody as _};
use axum::extract::{Path, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use shared::channel::Channel;
use shared::config::Settings;
use shared::http::Answer;
use shared::ledger::Guard;
use shared::metrics::Report;
use shared::metrics::prometheus::{self, Registry};
use shared::pipeline::{Inbound, Pipeline};
use shared::ports::Queue;
use shared::secrets::SecretCache;

use crate::request_body::{self, BodyBudget, BodyError, BodyRules, Held, ReadBody};

/// Builds the router one channel at a time; all share the queue, secrets and settings.
#[derive(Debug)]
pub struct Receivers {
    router: Router,
    secrets: Arc<SecretCache>,
    queue: Arc<dyn Queue>,
    ledger: Option<Guard>,
    settings: Settings,
    body_timeout: Duration,
    body_budget: BodyBudget,
    metrics: Option<Arc<Registry>>,
    channels: Vec<&'static str>,
}

impl Receivers {
    pub fn new(secrets: Arc<SecretCache>, queue: Arc<dyn Queue>, settings: Settings) -> Self {
        let router = Router::new().route("/health", get(|| async { "ok" }));
        Self {
            router,
            secrets,
            queue,
            ledger: None,
            settings,
            body_timeout: request_body::DEFAULT_TIMEOUT,
            body_budget: BodyBudget::new(request_body::DEFAULT_BUDGET),
            metrics: None,
            channels: Vec::new(),
        }
    }

    /// Counts what every channel mounted after it answers, and serves the counts at
    /// `GET /metrics` (one path segment: no `/{channel}/{bot}` route can take it).
    #[must_use]
    pub fn with_metrics(mut self, registry: Arc<Registry>) -> Self {
        let served = Arc::clone(&registry);
        self.router = self.router.route(
            "/metrics",
            get(move || async move {
                (
                    [(http::header::CONTENT_TYPE, prometheus::CONTENT_TYPE)],
                    served.render(),
                )
            }),
        );
        self.metrics = Some(registry);
        self
    }

    /// The time each body has to arrive, and the bytes all bodies in flight may hold together.
    /// Applies to the channels mounted after it.
    pub fn with_body_limits(mut self, timeout: Duration, budget: BodyBudget) -> Self {
        self.body_timeout = timeout;
        self.body_budget = budget;
        self
    }

    /// The ledger every channel mounted after it screens its events with.
    #[must_use]
    pub fn with_ledger(mut self, ledger: Option<Guard>) -> Self {
        self.ledger = ledger;
        self
    }

    /// Routes `/{channel}/{bot}` (and the channel's path suffixes) to the channel's pipeline.
    pub fn mount<C: Channel>(mut self, channel: C) -> Self {
        let suffixes = channel.path_suffixes();
        let rules = BodyRules {
            limit: self.settings.body_limit,
            timeout: self.body_timeout,
            budget: self.body_budget.clone(),
        };
        let pipeline = Arc::new(
            Pipeline::new(
                channel,
                Arc::clone(&self.secrets),
                Arc::clone(&self.queue),
                self.settings.clone(),
            )
            .with_ledger(self.ledger.clone()),
        );
        let base = format!("/{}/{{bot}}", C::NAME);
        for suffix in std::iter::once(&"").chain(suffixes) {
            let pipeline = Arc::clone(&pipeline);
            let rules = rules.clone();
            let metrics = self.metrics.clone();
            let handler = move |Path(bot): Path<String>, request: Request| async move {
                let (response, report) = match inbound(bot, suffix, request, &rules).await {
                    Ok((inbound, held)) => {
                        let handled = pipeline.handle_counted(inbound).await;
                        // The body's bytes count against the budget until it is handled.
                        drop(held);
                        (into_response(handled.answer), handled.report)
                    }
                    Err(refused) => (refusal(&refused), refused_report::<C>(&refused)),
                };
                if let Some(metrics) = &metrics {
                    metrics.record(&report);
                }
                response
            };
            self.router = self.router.route(&format!("{base}{suffix}"), any(handler));
        }
        self.channels.push(C::NAME);
        self
    }

    /// The channels mounted so far, in order.
    pub fn channels(&self) -> &[&'static str] {
        &self.channels
    }

    pub fn into_router(self) -> Router {
        self.router
    }
}

/// Reads the body under the rules; one over the limit is not read further but marked
/// `oversized`, so the pipeline answers 413 (after 405, as the contract orders them). A body
/// that does not arrive in time, or does not fit in the budget, is refused here.
async fn inbound(
    bot: String,
    suffix: &str,
    request: Request,
    rules: &BodyRules,
) -> Result<(Inbound, Option<Held>), BodyError> {
    let (parts, body) = request.into_parts();
    let declared = body.size_hint().exact();
    let (body, oversized, held) = match request_body::read(body, declared, rules).await {
        Ok(ReadBody::Complete(body, held)) => (body, false, Some(held)),
        Ok(ReadBody::Oversized) => (bytes::Bytes::new(), true, None),
        Err(BodyError::Broken(err)) => {
            tracing::warn!(error = %err, "could not read the request body");
            (bytes::Bytes::new(), false, None)
        }
        Err(refused) => return Err(refused),
    };
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map_or_else(next_request_id, str::to_owned);
    let inbound = Inbound {
        method: parts.method,
        bot,
        path_suffix: suffix.to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        oversized,
        request_id,
        // A client's `X-Amzn-Trace-Id` is not the server's trace: nothing is passed on.
        trace_header: None,
    };
    Ok((inbound, held))
}

/// The answer to a body that was not read, and the end of its connection: 408 to a sender that
/// stalled, 503 (retry later) when the bodies in flight fill the budget.
fn refusal(refused: &BodyError) -> Response {
    let (status, body) = match refused {
        BodyError::TimedOut(_) => {
            tracing::debug!(reason = %refused, "request body refused");
            (http::StatusCode::REQUEST_TIMEOUT, "request timeout")
        }
        BodyError::OverBudget(_) | BodyError::Broken(_) => {
            tracing::warn!(reason = %refused, "request body refused");
            (
                http::StatusCode::SERVICE_UNAVAILABLE,
                "service unavailable, retry later",
            )
        }
    };
    let mut response = (
        status,
        [
            (http::header::CONNECTION, "close"),
            (http::header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        body,
    )
        .into_response();
    if status == http::StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("1"),
        );
    }
    response
}

/// A body refused before the pipeline: a 503 counts as `Unavailable`, a 408 as a request only.
fn refused_report<C: Channel>(refused: &BodyError) -> Report {
    Report {
        unavailable: !matches!(refused, BodyError::TimedOut(_)),
        ..Report::new(C::NAME)
    }
}

fn next_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!("local-{:08x}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

fn into_response(answer: Answer) -> Response {
    let mut response = (
        answer.status,
        [(http::header::CONTENT_TYPE, answer.content_type)],
        Body::from(answer.body),
    )
        .into_response();
    if let Some(allow) = answer
        .allow
        .and_then(|allow| http::HeaderValue::from_str(&allow).ok())
    {
        response.headers_mut().insert(http::header::ALLOW, allow);
    }
    response
}
