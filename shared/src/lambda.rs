//! The Lambda entry point: configuration and clients built once at init, connections warmed,
//! then every API Gateway request runs through the shared pipeline and leaves one metrics
//! object (EMF) on stdout.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use http::header::{ALLOW, CONTENT_TYPE};
use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpResponse;
use lambda_http::lambda_runtime::{self, LambdaEvent};
use lambda_http::request::LambdaRequest;
use lambda_http::{Body, RequestExt as _, Response, service_fn};

use crate::aws::SdkConfig;
use crate::aws::dynamodb::DynamoLedger;
use crate::aws::secrets_manager::SecretsManager;
use crate::aws::sqs::SqsQueue;
use crate::channel::Channel;
use crate::config::{ConfigError, Settings, check_queue_url};
use crate::http::Answer;
use crate::ledger::{Guard, LedgerSettings};
use crate::metrics::emf::EmfSink;
use crate::pipeline::{Inbound, Pipeline};
use crate::secrets::SecretCache;
use crate::telemetry::{LogFormat, init};

pub use lambda_http::Error;

/// Runs `channel` as a Lambda function behind API Gateway until the runtime stops it.
pub async fn run<C: Channel>(channel: C) -> Result<(), Error> {
    init(LogFormat::Json);
    let metrics = Arc::new(EmfSink::from_env()?);
    let pipeline = Arc::new(from_env(channel).await?);
    // What `lambda_http::run` does for an HTTP API (payload 2.0) event, on the runtime directly:
    // its future can then be spawned (see below).
    let runtime = lambda_runtime::run(service_fn(move |event: LambdaEvent<LambdaRequest>| {
        let pipeline = Arc::clone(&pipeline);
        let metrics = Arc::clone(&metrics);
        async move {
            let LambdaEvent { payload, context } = event;
            let request = lambda_http::Request::from(payload).with_lambda_context(context);
            let response = handle_with_metrics(&pipeline, &metrics, request).await;
            Ok::<_, Infallible>(gateway_response(response))
        }
    }));
    // The invocations run in a spawned task, not in the future `block_on` drives: waking a task
    // is a push on the scheduler's queue, where waking the `block_on` future also unparks the
    // I/O driver (a write to its eventfd, a system call each time).
    tokio::spawn(runtime).await?
}

/// An answer as API Gateway's HTTP API (payload format 2.0) reads it.
fn gateway_response(response: Response<Body>) -> ApiGatewayV2httpResponse {
    let (parts, body) = response.into_parts();
    let mut answer = ApiGatewayV2httpResponse::default();
    answer.status_code = i64::from(parts.status.as_u16());
    answer.headers = parts.headers;
    (answer.is_base64_encoded, answer.body) = match body {
        Body::Empty => (false, None),
        text @ Body::Text(_) => (false, Some(text)),
        binary @ Body::Binary(_) => (true, Some(binary)),
        _ => (false, None),
    };
    answer
}

/// The pipeline a Lambda runs, configured from the environment (`QUEUE_URL` required;
/// `LEDGER_TABLE` and `LEDGER_HORIZON_HOURS` add the ledger).
pub async fn from_env<C: Channel>(channel: C) -> Result<Pipeline<C>, ConfigError> {
    let settings = Settings::from_env()?;
    let ledger = LedgerSettings::from_env()?;
    let queue_url = std::env::var("QUEUE_URL").map_err(|_| ConfigError::Missing("QUEUE_URL"))?;
    check_queue_url(&queue_url)?;
    // Every call of the pipeline's runs under its deadline already (and the warm-ups under
    // their own, below): the SDK's operation timeout would be a second timer per call.
    let sdk = crate::aws::sdk_config_under_deadline(settings.upstream_timeout).await;
    Ok(connect(channel, settings, &sdk, queue_url, ledger.as_ref()).await)
}

/// SQS, Secrets Manager (and DynamoDB, with a ledger) clients for the pipeline, with their
/// connections opened now (one cheap call each, at once) so the first request does not pay the
/// TLS handshakes. A failed warm-up is logged, not fatal.
pub async fn connect<C: Channel>(
    channel: C,
    settings: Settings,
    sdk: &SdkConfig,
    queue_url: String,
    ledger: Option<&LedgerSettings>,
) -> Pipeline<C> {
    let queue = SqsQueue::with_config(sdk, queue_url);
    let store = SecretsManager::with_config(sdk);
    let table = ledger.map(|ledger| DynamoLedger::with_config(sdk, &ledger.table));
    let probe = settings.secret_name(C::NAME, ".warm-up");
    let table_ready = async {
        match &table {
            Some(table) => table.warm_up().await,
            None => Ok(()),
        }
    };
    let limit = settings.upstream_timeout;
    let (queue_ready, store_ready, table_ready) = tokio::join!(
        warmed(limit, queue.warm_up()),
        warmed(limit, store.warm_up(&probe)),
        warmed(limit, table_ready)
    );
    if let Err(err) = queue_ready {
        tracing::warn!(error = %err, "queue warm-up failed; the first request will connect");
    }
    if let Err(err) = store_ready {
        tracing::warn!(error = %err, "secret store warm-up failed; the first request will connect");
    }
    if let Err(err) = table_ready {
        tracing::warn!(error = %err, "ledger warm-up failed; the first request will connect");
    }
    let secrets = Arc::new(SecretCache::new(Arc::new(store), settings.secrets_ttl));
    let guard = table
        .zip(ledger)
        .map(|(table, ledger)| Guard::new(Arc::new(table), ledger.horizon));
    Pipeline::new(channel, secrets, Arc::new(queue), settings).with_ledger(guard)
}

/// A warm-up call's outcome within `limit`.
async fn warmed<E: std::fmt::Display>(
    limit: Duration,
    ready: impl Future<Output = Result<(), E>>,
) -> Result<(), String> {
    match tokio::time::timeout(limit, ready).await {
        Ok(outcome) => outcome.map_err(|err| err.to_string()),
        Err(_) => Err(format!("no answer within {} ms", limit.as_millis())),
    }
}

/// Answers one API Gateway request, without metrics.
pub async fn handle<C: Channel>(
    pipeline: &Pipeline<C>,
    request: lambda_http::Request,
) -> Response<Body> {
    into_response(pipeline.handle(inbound::<C>(request)).await)
}

/// Answers one API Gateway request and writes its metrics object: what the Lambda does per
/// invocation.
pub async fn handle_with_metrics<C: Channel>(
    pipeline: &Pipeline<C>,
    metrics: &EmfSink,
    request: lambda_http::Request,
) -> Response<Body> {
    let handled = pipeline.handle_counted(inbound::<C>(request)).await;
    metrics.emit(&handled.report);
    into_response(handled.answer)
}

/// The pipeline's view of an API Gateway request.
pub fn inbound<C: Channel>(request: lambda_http::Request) -> Inbound {
    let (bot, path_suffix) = route_parts(request.uri().path(), C::NAME);
    let bot = request
        .path_parameters_ref()
        .and_then(|params| params.first("bot"))
        .map_or(bot, str::to_owned);
    let request_id = match request.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(context)) => {
            context.request_id.clone()
        }
        _ => None,
    }
    .or_else(|| {
        request
            .lambda_context_ref()
            .map(|context| context.request_id.clone())
    })
    .unwrap_or_default();
    // The runtime's trace id for this invocation: in the context, and in `_X_AMZN_TRACE_ID`
    // while invocations run one at a time.
    let trace_header = request
        .lambda_context_ref()
        .and_then(|context| context.xray_trace_id.clone())
        .or_else(|| std::env::var("_X_AMZN_TRACE_ID").ok())
        .and_then(|header| crate::telemetry::trace_header(&header));
    let query = request.uri().query().map(str::to_owned);
    let (parts, body) = request.into_parts();
    let body = match body {
        Body::Empty => bytes::Bytes::new(),
        Body::Text(text) => bytes::Bytes::from(text),
        Body::Binary(data) => bytes::Bytes::from(data),
        _ => bytes::Bytes::new(),
    };
    Inbound {
        method: parts.method,
        bot,
        path_suffix,
        query,
        headers: parts.headers,
        body,
        oversized: false,
        request_id,
        trace_header,
    }
}

/// `{bot}` and what follows it in `…/{channel}/{bot}/rest` (a stage prefix may come first).
pub fn route_parts(path: &str, channel: &str) -> (String, String) {
    let mut end = 0;
    for segment in path.split('/') {
        end += segment.len() + 1;
        if segment == channel {
            // What follows `{channel}/`: the bot, then the rest with its leading slash.
            let Some(after) = path.get(end..) else { break };
            let (bot, rest) = after.find('/').map_or((after, ""), |at| after.split_at(at));
            return (bot.to_owned(), rest.to_owned());
        }
    }
    (String::new(), String::new())
}

fn into_response(answer: Answer) -> Response<Body> {
    let mut builder = Response::builder()
        .status(answer.status)
        .header(CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    if let Some(allow) = &answer.allow {
        builder = builder.header(ALLOW, allow);
    }
    builder
        .body(Body::Text(answer.body))
        .unwrap_or_else(|_| Response::new(Body::Empty))
}

#[cfg(test)]
mod tests {
    use super::route_parts;

    #[test]
    fn route_parts_find_bot_and_suffix() {
        assert_eq!(
            route_parts("/telegram/demo", "telegram"),
            ("demo".into(), String::new())
        );
        assert_eq!(
            route_parts("/prod/abc/shop/message", "abc"),
            ("shop".into(), "/message".into())
        );
        assert_eq!(route_parts("/abc", "abc"), (String::new(), String::new()));
        assert_eq!(route_parts("/abc/", "abc"), (String::new(), String::new()));
        assert_eq!(
            route_parts("/telegram/demo/", "telegram"),
            ("demo".into(), "/".into())
        );
        assert_eq!(
            route_parts("/stage/whatsapp/shop/a/b", "whatsapp"),
            ("shop".into(), "/a/b".into())
        );
        assert_eq!(
            route_parts("/other/demo", "telegram"),
            (String::new(), String::new())
        );
        assert_eq!(route_parts("", "telegram"), (String::new(), String::new()));
    }
}
