//! The local server's routes: every receiver behind `/{channel}/{bot}`, as API Gateway has them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use http_body_util::{BodyExt as _, Limited};
use shared::channel::Channel;
use shared::config::Settings;
use shared::http::Answer;
use shared::pipeline::{Inbound, Pipeline};
use shared::ports::Queue;
use shared::secrets::SecretCache;

/// Builds the router one channel at a time; all share the queue, secrets and settings.
#[derive(Debug)]
pub struct Receivers {
    router: Router,
    secrets: Arc<SecretCache>,
    queue: Arc<dyn Queue>,
    settings: Settings,
    channels: Vec<&'static str>,
}

impl Receivers {
    pub fn new(secrets: Arc<SecretCache>, queue: Arc<dyn Queue>, settings: Settings) -> Self {
        let router = Router::new().route("/health", get(|| async { "ok" }));
        Self {
            router,
            secrets,
            queue,
            settings,
            channels: Vec::new(),
        }
    }

    /// Routes `/{channel}/{bot}` (and the channel's path suffixes) to the channel's pipeline.
    pub fn mount<C: Channel>(mut self, channel: C) -> Self {
        let suffixes = channel.path_suffixes();
        let limit = self.settings.body_limit;
        let pipeline = Arc::new(Pipeline::new(
            channel,
            Arc::clone(&self.secrets),
            Arc::clone(&self.queue),
            self.settings.clone(),
        ));
        let base = format!("/{}/{{bot}}", C::NAME);
        for suffix in std::iter::once(&"").chain(suffixes) {
            let pipeline = Arc::clone(&pipeline);
            let handler = move |Path(bot): Path<String>, request: Request| async move {
                let inbound = inbound(bot, suffix, request, limit).await;
                into_response(pipeline.handle(inbound).await)
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

/// Reads the body up to the limit; a longer one is not read further but marked `oversized`,
/// so the pipeline answers 413 (after 405, as the contract orders them).
async fn inbound(bot: String, suffix: &str, request: Request, limit: usize) -> Inbound {
    let (parts, body) = request.into_parts();
    let (body, oversized) = match Limited::new(body, limit).collect().await {
        Ok(collected) => (collected.to_bytes(), false),
        Err(err)
            if err
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            (bytes::Bytes::new(), true)
        }
        Err(err) => {
            tracing::warn!(error = %err, "could not read the request body");
            (bytes::Bytes::new(), false)
        }
    };
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map_or_else(next_request_id, str::to_owned);
    Inbound {
        method: parts.method,
        bot,
        path_suffix: suffix.to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        oversized,
        request_id,
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
