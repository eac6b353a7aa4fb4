//! Test support: a moto server (started once per test binary unless `MOTO_ENDPOINT` names one),
//! SQS queues and Secrets Manager secrets on it, API Gateway events, the local server, and
//! requests signed by the channels themselves.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

use std::io::Write as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sqs::config::Credentials;
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use serde_json::{Value, json};
use shared::config::Settings;
pub use shared::sample::Outgoing;
use shared::secrets::SecretCache;

mod forged;

pub use forged::forged_apple_jwt;

/// The moto server's endpoint: `MOTO_ENDPOINT`, or one started for this test binary and
/// stopped when it exits.
pub fn moto_endpoint() -> &'static str {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT.get_or_init(|| std::env::var("MOTO_ENDPOINT").unwrap_or_else(|_| start_moto()))
}

fn start_moto() -> String {
    let port = free_port();
    // moto lives as long as this process holds the pipe: `read` returns when the pipe closes.
    let script = format!("moto_server -p {port} >/dev/null 2>&1 & pid=$!; read _; kill $pid");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .spawn()
        .expect("sh");
    let stdin = child.stdin.take().expect("piped stdin");
    // Neither is ever waited for or closed: both end with this process.
    std::mem::forget(stdin);
    std::mem::forget(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto did not start on port {port}: install it (pip install \"moto[server]\") or set MOTO_ENDPOINT"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    format!("http://127.0.0.1:{port}")
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A name no other test uses: `{prefix}-{n}`.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{nanos:x}-{}",
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// SDK configuration for `endpoint` with dummy credentials, as the receivers would load it.
pub async fn sdk_for(endpoint: &str) -> SdkConfig {
    sdk_with_timeout(endpoint, Duration::from_secs(2)).await
}

/// The same with the SDK's own operation timeout set to `timeout`.
pub async fn sdk_with_timeout(endpoint: &str, timeout: Duration) -> SdkConfig {
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(500))
        .operation_timeout(timeout)
        .build();
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .http_client(shared::aws::https_client())
        .timeout_config(timeouts)
        .load()
        .await
}

/// SQS, Secrets Manager and DynamoDB on moto.
pub struct Aws {
    pub sdk: SdkConfig,
    pub sqs: aws_sdk_sqs::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
}

/// One message as read back from SQS.
#[derive(Debug, Clone)]
pub struct Received {
    pub body: Value,
    /// The message body as SQS holds it.
    pub text: String,
    pub group_id: Option<String>,
    pub deduplication_id: Option<String>,
    pub attributes: Value,
}

impl Aws {
    pub async fn new() -> Self {
        let sdk = sdk_for(moto_endpoint()).await;
        Self {
            sqs: aws_sdk_sqs::Client::new(&sdk),
            secrets: aws_sdk_secretsmanager::Client::new(&sdk),
            dynamodb: aws_sdk_dynamodb::Client::new(&sdk),
            sdk,
        }
    }

    /// A new ledger table as the template creates it (partition key `id`, TTL on `expires`);
    /// its name.
    pub async fn ledger_table(&self) -> String {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
            TimeToLiveSpecification,
        };
        let name = unique("ledger");
        self.dynamodb
            .create_table()
            .table_name(&name)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("id")
                    .key_type(KeyType::Hash)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        self.dynamodb
            .update_time_to_live()
            .table_name(&name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name("expires")
                    .enabled(true)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        name
    }

    /// The `expires` of a ledger item (epoch seconds), if the item exists.
    pub async fn ledger_expiry(&self, table: &str, id: &str) -> Option<u64> {
        use aws_sdk_dynamodb::types::AttributeValue;
        let item = self
            .dynamodb
            .get_item()
            .table_name(table)
            .key("id", AttributeValue::S(id.to_owned()))
            .consistent_read(true)
            .send()
            .await
            .unwrap();
        match item.item()?.get("expires")? {
            AttributeValue::N(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// A new FIFO queue (explicit deduplication ids, as the receivers send); its URL.
    pub async fn fifo_queue(&self) -> String {
        let name = format!("{}.fifo", unique("events"));
        let created = self
            .sqs
            .create_queue()
            .queue_name(name)
            .attributes(QueueAttributeName::FifoQueue, "true")
            .attributes(QueueAttributeName::ContentBasedDeduplication, "false")
            .send()
            .await
            .unwrap();
        created.queue_url().unwrap().to_owned()
    }

    /// A new standard queue; its URL.
    pub async fn standard_queue(&self) -> String {
        let created = self
            .sqs
            .create_queue()
            .queue_name(unique("standard"))
            .send()
            .await
            .unwrap();
        created.queue_url().unwrap().to_owned()
    }

    pub async fn put_secret(&self, name: &str, value: &Value) {
        self.secrets
            .create_secret()
            .name(name)
            .secret_string(value.to_string())
            .send()
            .await
            .unwrap();
    }

    /// A new version of an existing secret (what a rotation does).
    pub async fn rotate_secret(&self, name: &str, value: &Value) {
        self.secrets
            .put_secret_value()
            .secret_id(name)
            .secret_string(value.to_string())
            .send()
            .await
            .unwrap();
    }

    /// Reads (and deletes) messages until `expected` arrived or `wait` passed, then once more for
    /// any extra.
    pub async fn drain(&self, url: &str, expected: usize, wait: Duration) -> Vec<Received> {
        let deadline = Instant::now() + wait;
        let mut out = Vec::new();
        loop {
            let batch = self.receive(url).await;
            let empty = batch.is_empty();
            out.extend(batch);
            if empty && (out.len() >= expected || Instant::now() >= deadline) {
                return out;
            }
        }
    }

    async fn receive(&self, url: &str) -> Vec<Received> {
        let output = self
            .sqs
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(10)
            .wait_time_seconds(0)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .unwrap();
        let mut out = Vec::new();
        for message in output.messages() {
            let system = message.attributes();
            let attributes: serde_json::Map<String, Value> = message
                .message_attributes()
                .map(|map| {
                    map.iter()
                        .map(|(k, v)| (k.clone(), json!(v.string_value())))
                        .collect()
                })
                .unwrap_or_default();
            out.push(Received {
                body: serde_json::from_str(message.body().unwrap()).unwrap(),
                text: message.body().unwrap().to_owned(),
                group_id: system
                    .and_then(|a| a.get(&MessageSystemAttributeName::MessageGroupId))
                    .cloned(),
                deduplication_id: system
                    .and_then(|a| a.get(&MessageSystemAttributeName::MessageDeduplicationId))
                    .cloned(),
                attributes: Value::Object(attributes),
            });
            self.sqs
                .delete_message()
                .queue_url(url)
                .receipt_handle(message.receipt_handle().unwrap())
                .send()
                .await
                .unwrap();
        }
        if out.is_empty() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        out
    }
}

/// The default settings with a short upstream deadline, so outage tests end quickly.
pub fn settings() -> Settings {
    Settings {
        upstream_timeout: Duration::from_millis(1500),
        ..Settings::default()
    }
}

/// An API Gateway HTTP API (payload 2.0) request, as Lambda receives it.
pub fn api_gateway_request(
    method: &str,
    path: &str,
    bot: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> lambda_http::Request {
    let (body, encoded) = match std::str::from_utf8(body) {
        Ok(text) => (text.to_owned(), false),
        Err(_) => (
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, body),
            true,
        ),
    };
    let (raw_path, query) = path.split_once('?').unwrap_or((path, ""));
    let headers: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), json!(v)))
        .collect();
    let event = json!({
        "version": "2.0",
        "routeKey": format!("{method} {raw_path}"),
        "rawPath": raw_path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012", "apiId": "api", "domainName": "api.example.com", "domainPrefix": "api",
            "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "tests"},
            "requestId": unique("req"), "routeKey": format!("{method} {raw_path}"), "stage": "$default",
            "time": "24/Nov/2026:13:00:00 +0000", "timeEpoch": 1_795_525_200_000_u64
        },
        "pathParameters": {"bot": bot},
        "body": body,
        "isBase64Encoded": encoded
    });
    lambda_http::request::from_str(&event.to_string()).unwrap()
}

/// The status and body of a Lambda answer.
pub fn lambda_answer(response: &lambda_http::Response<lambda_http::Body>) -> (u16, String) {
    let body = match response.body() {
        lambda_http::Body::Text(text) => text.clone(),
        lambda_http::Body::Binary(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    };
    (response.status().as_u16(), body)
}

/// `receivers serve`'s router on a free loopback port, with the given stores; its base URL.
pub async fn local_server(
    secrets: std::sync::Arc<dyn shared::ports::SecretStore>,
    queue: std::sync::Arc<dyn shared::ports::Queue>,
    settings: Settings,
) -> String {
    let cache = std::sync::Arc::new(SecretCache::new(secrets, settings.secrets_ttl));
    let receivers =
        receivers::channels::mount_all(receivers::routes::Receivers::new(cache, queue, settings))
            .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, receivers.into_router()).await });
    format!("http://{address}")
}

/// `receivers serve` as the command runs it (its accept loop, connection deadlines and cap, body
/// timeout and budget) with the given stores, settings and limits, on a free loopback port; its
/// base URL.
pub async fn limited_server(
    secrets: std::sync::Arc<dyn shared::ports::SecretStore>,
    queue: std::sync::Arc<dyn shared::ports::Queue>,
    settings: Settings,
    limits: receivers::serve::Limits,
) -> String {
    let cache = std::sync::Arc::new(SecretCache::new(secrets, settings.secrets_ttl));
    let receivers = receivers::serve::receivers(cache, queue, None, settings, &limits).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let router = receivers.into_router();
        receivers::serve::listener::serve(listener, router, &limits, std::future::pending()).await;
    });
    format!("http://{address}")
}

/// A Telegram update with the given id and text.
pub fn telegram_update(update_id: u64, text: &str) -> Vec<u8> {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": 17,
            "from": {"id": 111_222_333, "is_bot": false, "first_name": "Ann", "username": "ann", "language_code": "en"},
            "chat": {"id": 111_222_333, "first_name": "Ann", "username": "ann", "type": "private"},
            "date": 1_795_525_100,
            "text": text
        }
    })
    .to_string()
    .into_bytes()
}

/// A Telegram update pretty-printed with CRLF line breaks (as curl sends a documentation
/// example), whose last member is, on a line of its own, a complete envelope of another channel
/// and bot: one signed body that a line-based reader could take for two envelopes.
pub fn telegram_update_with_a_forged_envelope_line(update_id: u64) -> Vec<u8> {
    let forged = json!({
        "version": 1, "channel": "slack", "bot": "victim", "chat_id": "C0FORGED",
        "event": "message", "message": {"type": "text", "text": "forged", "attachments": []},
        "event_id": "slack:victim:forged", "received_at": "2026-12-02T00:00:00.000Z", "raw": {}
    });
    let update: Value = serde_json::from_slice(&telegram_update(update_id, "hi")).unwrap();
    let pretty = serde_json::to_string_pretty(&update)
        .unwrap()
        .replace('\n', "\r\n");
    let open = pretty.trim_end().strip_suffix('}').unwrap().trim_end();
    format!("{open},\r\n  \"note\":\r\n{forged}\r\n}}\r\n").into_bytes()
}

/// Writes `value` as a local secrets file in `dir`; its path.
pub fn secrets_file(dir: &std::path::Path, value: &Value) -> std::path::PathBuf {
    let path = dir.join("bots.json");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(value.to_string().as_bytes()).unwrap();
    path
}

/// A TCP proxy in front of a server, that a test can cut (connections dropped, new ones reset),
/// hang (connections accepted and never answered) and restore: real outages on the wire.
pub struct Proxy {
    pub endpoint: String,
    state: std::sync::Arc<tokio::sync::watch::Sender<Link>>,
}

/// What the proxy does with traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Up,
    Cut,
    Hang,
}

impl Proxy {
    /// Proxies to `target` (`http://host:port`).
    pub async fn start(target: &str) -> Self {
        let target = target.trim_start_matches("http://").to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let (state, _) = tokio::sync::watch::channel(Link::Up);
        let state = std::sync::Arc::new(state);
        let shared_state = std::sync::Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut watch = shared_state.subscribe();
                let link = *watch.borrow();
                let target = target.clone();
                tokio::spawn(async move {
                    match link {
                        Link::Cut => {}
                        Link::Hang => {
                            let _ = watch.wait_for(|link| *link != Link::Hang).await;
                        }
                        Link::Up => {
                            let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await
                            else {
                                return;
                            };
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                                _ = watch.wait_for(|link| *link != Link::Up) => {}
                            }
                        }
                    }
                });
            }
        });
        Self { endpoint, state }
    }

    pub fn set(&self, link: Link) {
        self.state.send_replace(link);
    }
}

/// A receiver deployed as its Lambda would be: its own FIFO queue and secrets prefix on moto,
/// the bot `demo` holding `secret`.
pub struct Deployed<C> {
    pub aws: Aws,
    pub queue_url: String,
    pub settings: Settings,
    pub pipeline: shared::pipeline::Pipeline<C>,
}

impl<C: shared::Channel> Deployed<C> {
    pub async fn new(channel: C, secret: &Value) -> Self {
        let aws = Aws::new().await;
        let queue_url = aws.fifo_queue().await;
        Self::on_queue(channel, secret, aws, queue_url).await
    }

    pub async fn on_queue(channel: C, secret: &Value, aws: Aws, queue_url: String) -> Self {
        let settings = Settings {
            secrets_prefix: format!("{}/", unique(C::NAME)),
            ..settings()
        };
        aws.put_secret(&settings.secret_name(C::NAME, "demo"), secret)
            .await;
        let pipeline =
            shared::lambda::connect(channel, settings.clone(), &aws.sdk, queue_url.clone(), None)
                .await;
        Self {
            aws,
            queue_url,
            settings,
            pipeline,
        }
    }

    /// Invokes the Lambda handler with an API Gateway request; status and body.
    pub async fn invoke(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> (u16, String) {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let bot = path
            .split('/')
            .nth(2)
            .unwrap_or_default()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned();
        let request = api_gateway_request(method, path, &bot, &headers, body);
        lambda_answer(&shared::lambda::handle(&self.pipeline, request).await)
    }

    /// Invokes the Lambda handler with `request`, addressed to the bot `demo`; status and body.
    pub async fn send(&self, request: &Outgoing) -> (u16, String) {
        let query = request
            .query
            .as_deref()
            .map_or_else(String::new, |query| format!("?{query}"));
        let path = format!("/{}/demo{}{query}", C::NAME, request.path_suffix);
        self.invoke(
            request.method.as_str(),
            &path,
            &header_pairs(request),
            &request.body,
        )
        .await
    }

    /// Panics if anything was enqueued.
    pub async fn assert_queue_empty(&self) {
        let left = self
            .aws
            .drain(&self.queue_url, 0, Duration::from_millis(500))
            .await;
        assert!(left.is_empty(), "nothing should be on the queue: {left:?}");
    }

    /// The envelopes on the queue (deleted as read), in order.
    pub async fn envelopes(&self, expected: usize) -> Vec<Received> {
        self.aws
            .drain(&self.queue_url, expected, Duration::from_secs(5))
            .await
    }
}

/// A POST of `body` with this `content-type`, not signed yet.
pub fn post(body: &[u8], content_type: &str) -> Outgoing {
    let mut request = Outgoing::post(body.to_vec());
    request.set_header("content-type", content_type).unwrap();
    request
}

/// `request` signed by `channel` as the platform signs it for the bot whose secret is `secret`
/// (the secret's JSON, as stored), at `at`.
pub fn signed<C: shared::Channel>(
    channel: &C,
    secret: &Value,
    mut request: Outgoing,
    at: SystemTime,
) -> Outgoing {
    let secret: C::Secret = serde_json::from_value(secret.clone()).unwrap();
    channel.sign(&mut request, &secret, at).unwrap();
    request
}

/// The request's headers as (name, value) pairs.
pub fn header_pairs(request: &Outgoing) -> Vec<(&str, String)> {
    request
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.to_str().unwrap().to_owned()))
        .collect()
}

/// A fixture of a channel crate, as bytes.
pub fn fixture(channel: &str, name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../functions/{channel}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// Seconds since the Unix epoch, now.
pub fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
