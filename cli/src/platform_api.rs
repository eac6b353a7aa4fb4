//! Calls to the messengers' own APIs: retried with backoff on network errors and overloads,
//! shown with every credential redacted, or only shown (`--dry-run`).

use std::time::Duration;

use anyhow::bail;
use serde_json::Value;

/// What a redacted credential shows as.
pub const REDACTED: &str = "***";
/// Tries per call before a network error is reported.
const ATTEMPTS: u32 = 4;

/// The base URL of a platform's API: `variable` from the environment (tests point it at a fake
/// platform), else the platform's own.
pub fn api_base(variable: &str, default: &str) -> String {
    std::env::var(variable)
        .ok()
        .filter(|value| !value.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
}

/// One call to a platform's API. `secrets` are the values that never show.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: http::Method,
    pub url: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
    pub secrets: Vec<String>,
}

impl Call {
    pub fn new(method: http::Method, url: String) -> Self {
        Self {
            method,
            url,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            secrets: Vec::new(),
        }
    }

    #[must_use]
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    #[must_use]
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    #[must_use]
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Marks values that must never be shown.
    #[must_use]
    pub fn secret(mut self, value: impl Into<String>) -> Self {
        let value = value.into();
        if !value.is_empty() {
            self.secrets.push(value);
        }
        self
    }

    /// Hides every secret in `text`.
    pub fn redact(&self, text: &str) -> String {
        self.secrets.iter().fold(text.to_owned(), |text, secret| {
            text.replace(secret, REDACTED)
        })
    }

    /// The call as one line, credentials redacted.
    pub fn shown(&self) -> String {
        let mut line = format!("{} {}", self.method, self.redact(&self.url));
        if !self.query.is_empty() {
            line.push('?');
            line.push_str(&self.encode(&self.query, true));
        }
        for (name, value) in &self.headers {
            line.push_str(&format!(" -H '{name}: {}'", self.redact(value)));
        }
        match &self.body {
            Body::None => {}
            Body::Json(value) => line.push_str(&format!(" {}", self.redacted_json(value))),
            Body::Form(pairs) => line.push_str(&format!(" {}", self.encode(pairs, true))),
        }
        line
    }

    /// The origin the call goes to, for messages (the path may hold a token).
    pub fn origin(&self) -> String {
        reqwest::Url::parse(&self.url)
            .map(|url| url.origin().ascii_serialization())
            .unwrap_or_else(|_| self.redact(&self.url))
    }

    fn encode(&self, pairs: &[(String, String)], redacted: bool) -> String {
        let pairs: Vec<(&str, String)> = pairs
            .iter()
            .map(|(name, value)| {
                let value = if redacted {
                    self.redact(value)
                } else {
                    value.clone()
                };
                (name.as_str(), value)
            })
            .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn redacted_json(&self, value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.redact(text)),
            Value::Array(items) => items.iter().map(|v| self.redacted_json(v)).collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (k.clone(), self.redacted_json(v)))
                .collect(),
            other => other.clone(),
        }
    }
}

/// A platform's answer: the status, and the body as JSON (`Null` when it is not JSON).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: http::StatusCode,
    pub body: Value,
}

/// The HTTP client for platform APIs.
#[derive(Debug, Clone)]
pub struct PlatformClient {
    http: reqwest::Client,
    backoff: Duration,
}

impl PlatformClient {
    pub fn new() -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("receivers/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            backoff: Duration::from_millis(250),
        })
    }

    /// Sends the call; network errors, 429 and 5xx are tried again with growing pauses. After
    /// the last try a network error is an `Err` in plain words; any answer is returned.
    pub async fn send(&self, call: &Call) -> anyhow::Result<Answer> {
        let mut attempt = 1;
        loop {
            match self.send_once(call).await {
                Ok(answer)
                    if attempt < ATTEMPTS
                        && (answer.status.is_server_error()
                            || answer.status == http::StatusCode::TOO_MANY_REQUESTS) => {}
                Ok(answer) => return Ok(answer),
                Err(err) if attempt < ATTEMPTS => {
                    tracing::debug!(error = %call.redact(&err.to_string()), attempt, "retrying");
                }
                Err(err) => bail!(
                    "could not reach {} ({ATTEMPTS} tries): {}",
                    call.origin(),
                    call.redact(&plain_error(&err))
                ),
            }
            tokio::time::sleep(self.backoff * 2_u32.pow(attempt - 1)).await;
            attempt += 1;
        }
    }

    async fn send_once(&self, call: &Call) -> Result<Answer, reqwest::Error> {
        let mut request = self.http.request(call.method.clone(), &call.url);
        if !call.query.is_empty() {
            let url = format!("{}?{}", call.url, call.encode(&call.query, false));
            request = self.http.request(call.method.clone(), url);
        }
        for (name, value) in &call.headers {
            request = request.header(*name, value);
        }
        request = match &call.body {
            Body::None => request,
            Body::Json(value) => request
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(value.to_string()),
            Body::Form(pairs) => request
                .header(
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(call.encode(pairs, false)),
        };
        let response = request.send().await.map_err(reqwest::Error::without_url)?;
        let status = response.status();
        let text = response.text().await.map_err(reqwest::Error::without_url)?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Answer { status, body })
    }
}

/// The error and its causes, without the URL (which may hold a token).
fn plain_error(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn shown_calls_hide_every_secret() {
        let call = Call::new(
            http::Method::POST,
            "https://api.telegram.org/bot123:ABC/setWebhook".into(),
        )
        .query("access_token", "123:ABC")
        .header("X-Auth", "123:ABC")
        .body(Body::Json(
            json!({"url": "https://x", "secret_token": "s3cr3t-token", "list": ["s3cr3t-token"]}),
        ))
        .secret("123:ABC")
        .secret("s3cr3t-token");
        let shown = call.shown();
        assert!(
            !shown.contains("123:ABC") && !shown.contains("s3cr3t"),
            "{shown}"
        );
        assert!(shown.contains("bot***/setWebhook"), "{shown}");
        assert!(shown.contains("https://x"), "{shown}");
        assert_eq!(call.origin(), "https://api.telegram.org");
    }
}
