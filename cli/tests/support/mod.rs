//! Test support for the `receivers` binary: a fake platform API that records the calls it gets,
//! runs of the binary, and `receivers serve` on a free port.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

pub const BINARY: &str = env!("CARGO_BIN_EXE_receivers");

/// Variables the runs never inherit: each test says what it wants.
const ISOLATED: &[&str] = &[
    "QUEUE_URL",
    "SECRETS_SOURCE",
    "SECRETS_PREFIX",
    "TELEGRAM_BOT_TOKEN",
    "VIBER_AUTH_TOKEN",
    "FACEBOOK_PAGE_ACCESS_TOKEN",
    "FACEBOOK_APP_SECRET",
    "FACEBOOK_VERIFY_TOKEN",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "ABC_API_SECRET",
    "ABC_CSP_ID",
    "ABC_BUSINESS_ID",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_ACCESS_TOKEN",
    "WHATSAPP_WABA_ID",
    "WHATSAPP_VERIFY_TOKEN",
    "TELEGRAM_API_URL",
    "VIBER_API_URL",
    "GRAPH_API_URL",
    "SLACK_API_URL",
    "ABC_API_URL",
    "SLACK_FILE_HOSTS",
];

/// One call the fake platform got.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    pub fn form(&self) -> HashMap<String, String> {
        serde_urlencoded::from_str(&self.body).unwrap()
    }
}

type Answers = Vec<(String, u16, Value)>;
type Calls = Arc<Mutex<Vec<Recorded>>>;

/// A platform API on a loopback port: answers by the end of the path, records every call.
#[derive(Debug, Clone)]
pub struct FakePlatform {
    pub url: String,
    calls: Calls,
}

impl FakePlatform {
    /// `answers`: (path ending, status, JSON body); any other path is 404.
    pub async fn start(answers: &[(&str, u16, Value)]) -> Self {
        let answers: Answers = answers
            .iter()
            .map(|(path, status, body)| ((*path).to_owned(), *status, body.clone()))
            .collect();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let state = (Arc::new(answers), Arc::clone(&calls));
        let router = axum::Router::new().fallback(record).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, calls }
    }

    pub fn calls(&self) -> Vec<Recorded> {
        self.calls.lock().unwrap().clone()
    }

    /// The paths called, in order.
    pub fn paths(&self) -> Vec<String> {
        self.calls().into_iter().map(|call| call.path).collect()
    }
}

async fn record(
    State((answers, calls)): State<(Arc<Answers>, Calls)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let path = parts.uri.path().to_owned();
    calls.lock().unwrap().push(Recorded {
        method: parts.method.to_string(),
        path: path.clone(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    match answers
        .iter()
        .find(|(end, _, _)| path.ends_with(end.as_str()))
    {
        Some((_, status, body)) => (
            http::StatusCode::from_u16(*status).unwrap(),
            [(http::header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
        None => http::StatusCode::NOT_FOUND.into_response(),
    }
}

/// What a run of the binary printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both streams, for checks that a value shows nowhere.
    pub fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn ok(self) -> Self {
        assert!(self.success, "receivers failed:\n{}", self.output());
        self
    }

    #[track_caller]
    pub fn failed(self) -> Self {
        assert!(!self.success, "receivers succeeded:\n{}", self.output());
        self
    }
}

/// Runs `receivers args…` in `dir` with `env` (and none of the variables above inherited).
pub async fn receivers(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = tokio::process::Command::new(BINARY);
    command.current_dir(dir).args(args).stdin(Stdio::null());
    for name in ISOLATED {
        command.env_remove(name);
    }
    command.env("RUST_LOG", "warn");
    command.envs(env.iter().copied());
    let output = command.output().await.unwrap();
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The AWS environment for moto.
pub fn moto_env() -> Vec<(&'static str, String)> {
    vec![
        (
            "AWS_ENDPOINT_URL",
            integration_tests::moto_endpoint().to_owned(),
        ),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ]
}

/// `receivers serve` on a free port; stopped when dropped.
#[derive(Debug)]
pub struct Server {
    pub url: String,
    child: tokio::process::Child,
}

impl Server {
    /// Starts it in `dir` with the given flags and environment, and waits until it answers.
    pub async fn start(dir: &Path, flags: &[&str], env: &[(&str, &str)]) -> Self {
        let port = integration_tests::free_port();
        let address = format!("127.0.0.1:{port}");
        let mut command = tokio::process::Command::new(BINARY);
        command
            .current_dir(dir)
            .args(["serve", "--addr", &address])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        for name in ISOLATED {
            command.env_remove(name);
        }
        command.env("RUST_LOG", "warn");
        command.envs(env.iter().copied());
        let mut child = command.spawn().unwrap();
        let url = format!("http://{address}");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(response) = reqwest::get(format!("{url}/health")).await
                && response.status().is_success()
            {
                break;
            }
            assert!(
                child.try_wait().unwrap().is_none(),
                "receivers serve exited at start"
            );
            assert!(Instant::now() < deadline, "receivers serve did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Self { url, child }
    }

    /// Stops it (SIGKILL by its id).
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// A temporary directory holding a copy of the repository's `bots.example.json`.
pub fn directory_with_demo_bots() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bots.example.json");
    let path = dir.path().join("bots.json");
    std::fs::copy(source, &path).unwrap();
    (dir, path)
}

/// The secrets file as JSON.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A FIFO queue on moto whose RedrivePolicy names a FIFO dead-letter queue (as the template
/// makes them): (queue URL, dead-letter queue URL).
pub async fn queue_with_dead_letter(aws: &integration_tests::Aws) -> (String, String) {
    let dlq = aws.fifo_queue().await;
    let attributes = aws
        .sqs
        .get_queue_attributes()
        .queue_url(&dlq)
        .attribute_names("QueueArn".into())
        .send()
        .await
        .unwrap();
    let arn = attributes.attributes().unwrap()[&"QueueArn".into()].clone();
    let name = format!("{}.fifo", integration_tests::unique("source"));
    let policy = serde_json::json!({"deadLetterTargetArn": arn, "maxReceiveCount": 5});
    let queue = aws
        .sqs
        .create_queue()
        .queue_name(name)
        .attributes("FifoQueue".into(), "true")
        .attributes("RedrivePolicy".into(), policy.to_string())
        .send()
        .await
        .unwrap();
    (queue.queue_url().unwrap().to_owned(), dlq)
}

/// Sends `count` plain messages to a FIFO queue on moto, each in its own group.
pub async fn put_messages(aws: &integration_tests::Aws, url: &str, count: usize) {
    for n in 0..count {
        aws.sqs
            .send_message()
            .queue_url(url)
            .message_body(format!("{{\"n\":{n}}}"))
            .message_group_id(format!("group-{n}"))
            .message_deduplication_id(integration_tests::unique("dedup"))
            .send()
            .await
            .unwrap();
    }
}

/// Environment pairs as `receivers` takes them.
pub fn env_pairs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

/// A file a [`FakeFiles`] platform serves at a path ending.
#[derive(Debug, Clone)]
pub struct FakeFile {
    pub path_end: String,
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Sent in 1 KiB chunks without `Content-Length`, so only reading it shows its size.
    pub chunked: bool,
}

impl FakeFile {
    /// 200 with `body`, served as `content_type` with its length.
    pub fn new(path_end: &str, content_type: &str, body: &[u8]) -> Self {
        Self {
            path_end: path_end.to_owned(),
            status: 200,
            content_type: content_type.to_owned(),
            body: body.to_vec(),
            chunked: false,
        }
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn chunked(mut self) -> Self {
        self.chunked = true;
        self
    }
}

/// A platform that serves files as well as JSON answers (files are matched first), and records
/// every call like [`FakePlatform`]. `{base}` in an answer becomes the platform's own URL.
#[derive(Debug, Clone)]
pub struct FakeFiles {
    pub url: String,
    calls: Calls,
}

type FilesState = (Arc<Answers>, Arc<Vec<FakeFile>>, Calls);

impl FakeFiles {
    pub async fn start(answers: &[(&str, u16, Value)], files: Vec<FakeFile>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let answers: Answers = answers
            .iter()
            .map(|(path, status, body)| {
                let body = body.to_string().replace("{base}", &url);
                (
                    (*path).to_owned(),
                    *status,
                    serde_json::from_str(&body).unwrap(),
                )
            })
            .collect();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let state: FilesState = (Arc::new(answers), Arc::new(files), Arc::clone(&calls));
        let router = axum::Router::new().fallback(serve_file).with_state(state);
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, calls }
    }

    pub fn calls(&self) -> Vec<Recorded> {
        self.calls.lock().unwrap().clone()
    }
}

async fn serve_file(
    State((answers, files, calls)): State<FilesState>,
    request: Request,
) -> Response {
    let path = request.uri().path().to_owned();
    let file = files
        .iter()
        .find(|file| path.ends_with(file.path_end.as_str()))
        .cloned();
    let Some(file) = file else {
        return record(State((answers, calls)), request).await;
    };
    let (parts, _) = request.into_parts();
    calls.lock().unwrap().push(Recorded {
        method: parts.method.to_string(),
        path,
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        body: String::new(),
    });
    let body = if file.chunked {
        let chunks = file.body.chunks(1024).map(Bytes::copy_from_slice).collect();
        axum::body::Body::new(Unsized(chunks))
    } else {
        axum::body::Body::from(file.body)
    };
    let mut response = Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(file.status).unwrap();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_str(&file.content_type).unwrap(),
    );
    response
}

/// A body of unknown length: hyper sends it chunked.
struct Unsized(std::collections::VecDeque<Bytes>);

impl http_body::Body for Unsized {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        std::task::Poll::Ready(
            self.0
                .pop_front()
                .map(|chunk| Ok(http_body::Frame::data(chunk))),
        )
    }
}
