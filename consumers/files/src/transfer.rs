//! The HTTP steps every channel shares: send a request, read a body under the size cap, spot a
//! web page where a file was due, and describe failures without a credential or a URL in them.

use reqwest::{Client, RequestBuilder, Response, StatusCode};

use crate::{Channel, FetchError};

/// What a redacted credential shows as.
pub const REDACTED: &str = "***";
/// The most an API answer (JSON, not a file) may hold.
const ANSWER_LIMIT: u64 = 1 << 20;
/// The most of a platform's error text an error message carries.
const DETAIL_CHARS: usize = 200;

/// A file's bytes and the type the platform served them as.
#[derive(Debug)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

/// The HTTP client as one channel's download uses it.
#[derive(Debug, Clone, Copy)]
pub struct Http<'a> {
    pub client: &'a Client,
    pub channel: Channel,
    max_bytes: u64,
}

impl<'a> Http<'a> {
    pub fn new(client: &'a Client, channel: Channel, max_bytes: u64) -> Self {
        Self {
            client,
            channel,
            max_bytes,
        }
    }

    /// Sends the request; network failures and time-outs are errors, any status is an answer.
    pub async fn send(
        &self,
        request: RequestBuilder,
        step: &'static str,
        secrets: &[&str],
    ) -> Result<Response, FetchError> {
        request
            .send()
            .await
            .map_err(|err| self.failure(err, step, secrets))
    }

    /// A file's body, at most the size cap: refused at once when `Content-Length` says more,
    /// and reading stops as soon as the body goes past it.
    pub async fn file(
        &self,
        response: Response,
        step: &'static str,
        secrets: &[&str],
    ) -> Result<Fetched, FetchError> {
        let content_type = content_type(&response);
        let bytes = self.body(response, self.max_bytes, step, secrets).await?;
        Ok(Fetched {
            bytes,
            content_type,
        })
    }

    /// An API answer's body (1 MiB at most).
    pub async fn answer(
        &self,
        response: Response,
        step: &'static str,
        secrets: &[&str],
    ) -> Result<Vec<u8>, FetchError> {
        match self.body(response, ANSWER_LIMIT, step, secrets).await {
            Err(FetchError::TooLarge { .. }) => Err(FetchError::BadAnswer {
                channel: self.channel,
                step,
                detail: "the answer is over 1 MiB",
            }),
            other => other,
        }
    }

    async fn body(
        &self,
        mut response: Response,
        limit: u64,
        step: &'static str,
        secrets: &[&str],
    ) -> Result<Vec<u8>, FetchError> {
        let too_large = FetchError::TooLarge { limit };
        if response
            .content_length()
            .is_some_and(|length| length > limit)
        {
            return Err(too_large);
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| self.failure(err, step, secrets))?
        {
            if bytes.len() as u64 + chunk.len() as u64 > limit {
                return Err(too_large);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    /// A status the step does not take, with the platform's explanation when it gives one.
    pub fn status(
        &self,
        step: &'static str,
        status: StatusCode,
        explanation: Option<&str>,
        secrets: &[&str],
    ) -> FetchError {
        let detail = explanation
            .map(|text| redact(text, secrets))
            .map(|text| text.chars().filter(|c| !c.is_control()).collect::<String>())
            .filter(|text| !text.trim().is_empty())
            .map(|text| format!(": {}", text.chars().take(DETAIL_CHARS).collect::<String>()))
            .unwrap_or_default();
        FetchError::Status {
            channel: self.channel,
            step,
            status: status.as_u16(),
            detail,
        }
    }

    fn failure(&self, err: reqwest::Error, step: &'static str, secrets: &[&str]) -> FetchError {
        if err.is_timeout() {
            return FetchError::Timeout {
                channel: self.channel,
                step,
            };
        }
        FetchError::Network {
            channel: self.channel,
            step,
            detail: describe(&err.without_url(), secrets),
        }
    }
}

/// An error and its causes on one line, without its URL and with `secrets` redacted.
pub fn describe(err: &reqwest::Error, secrets: &[&str]) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    redact(&text, secrets)
}

/// `text` with every secret replaced, and the bot token of any Telegram path (`/bot<TOKEN>/`,
/// `/file/bot<TOKEN>/`) hidden whether or not it is one of them.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let text = secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .fold(text.to_owned(), |text, secret| {
            text.replace(secret, REDACTED)
        });
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("/bot") {
        let (before, after) = rest.split_at(at + "/bot".len());
        out.push_str(before);
        let end = after
            .find(|c: char| c == '/' || c == '?' || c.is_whitespace())
            .unwrap_or(after.len());
        if end > 0 {
            out.push_str(REDACTED);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The response's media type, lowercase, without parameters.
pub fn content_type(response: &Response) -> Option<String> {
    let value = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    (!essence.is_empty()).then_some(essence)
}

/// Whether the body is a web page: served as HTML, or starting like one.
pub fn looks_like_html(content_type: Option<&str>, bytes: &[u8]) -> bool {
    if matches!(content_type, Some("text/html" | "application/xhtml+xml")) {
        return true;
    }
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start: Vec<u8> = start
        .iter()
        .skip_while(|byte| byte.is_ascii_whitespace())
        .take(16)
        .map(u8::to_ascii_lowercase)
        .collect();
    start.starts_with(b"<!doctype html") || start.starts_with(b"<html")
}

/// Refuses a web page where a file was due, unless the attachment itself says it is one.
pub fn refuse_web_page(
    channel: Channel,
    declared_mime: Option<&str>,
    fetched: &Fetched,
    hint: &'static str,
) -> Result<(), FetchError> {
    let declared_html = declared_mime.is_some_and(|mime| {
        let mime = mime.trim().to_ascii_lowercase();
        mime.starts_with("text/html") || mime.starts_with("application/xhtml")
    });
    if !declared_html && looks_like_html(fetched.content_type.as_deref(), &fetched.bytes) {
        return Err(FetchError::WebPage { channel, hint });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_tokens_are_hidden_in_any_path() {
        let text = "GET https://api.telegram.org/file/bot123:ABC-def/documents/a.pdf failed";
        let shown = redact(text, &[]);
        assert!(!shown.contains("123:ABC-def"), "{shown}");
        assert!(shown.contains("/file/bot***/documents/a.pdf"), "{shown}");
        assert_eq!(redact("/bot", &[]), "/bot");
        assert_eq!(redact("x/botT?y", &[]), "x/bot***?y");
    }

    #[test]
    fn named_secrets_are_hidden_everywhere() {
        let shown = redact("token xoxb-1 and again xoxb-1", &["xoxb-1", ""]);
        assert_eq!(shown, "token *** and again ***");
    }

    #[test]
    fn web_pages_are_spotted_by_type_or_by_their_start() {
        assert!(looks_like_html(Some("text/html"), b"anything"));
        assert!(looks_like_html(None, b"\n  <!DOCTYPE html><html>"));
        assert!(looks_like_html(
            Some("application/octet-stream"),
            b"\xEF\xBB\xBF<HTML><body>"
        ));
        assert!(!looks_like_html(Some("image/png"), b"\x89PNG\r\n"));
        assert!(!looks_like_html(Some("text/plain"), b"<not html>"));
    }

    #[test]
    fn a_declared_html_file_is_let_through() {
        let page = Fetched {
            bytes: b"<html></html>".to_vec(),
            content_type: Some("text/html".to_owned()),
        };
        assert!(refuse_web_page(Channel::Slack, Some("text/html"), &page, "h").is_ok());
        assert!(matches!(
            refuse_web_page(Channel::Slack, Some("application/pdf"), &page, "h"),
            Err(FetchError::WebPage { .. })
        ));
    }
}
