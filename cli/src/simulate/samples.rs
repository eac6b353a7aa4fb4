//! The sample events of `events/<channel>/*.json`, embedded at build time: API Gateway events
//! whose `body` is what the platform sends. The kind is the file's stem.

use anyhow::{Context as _, anyhow};
use base64::Engine as _;
use serde_json::Value;

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// Headers of the sample that the simulation does not send again: the proxy's, the length, and
/// the credentials (made anew with the bot's secret).
const DROPPED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "accept-encoding",
    "x-forwarded-for",
    "x-forwarded-port",
    "x-forwarded-proto",
    "x-amzn-trace-id",
    "authorization",
    "x-telegram-bot-api-secret-token",
    "x-viber-content-signature",
    "x-hub-signature",
    "x-hub-signature-256",
    "x-slack-signature",
    "x-slack-request-timestamp",
];

/// A request as the platform would send it, before it is signed.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: http::Method,
    /// What follows `/{channel}/{bot}` in the path (`/message` for some of Apple's).
    pub suffix: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers
            .retain(|(key, _)| !key.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
    }
}

/// The kinds a channel has, sorted.
pub fn kinds(channel: &str) -> Vec<&'static str> {
    SAMPLES
        .iter()
        .filter(|(of, _, _)| *of == channel)
        .map(|(_, kind, _)| *kind)
        .collect()
}

/// The channels that have samples.
pub fn channels() -> Vec<&'static str> {
    let mut channels: Vec<&str> = SAMPLES.iter().map(|(channel, _, _)| *channel).collect();
    channels.dedup();
    channels
}

/// The sample of that kind (`-` and `_` are the same; `message` also finds `message_text` or
/// `text`); its kind and request.
pub fn find(channel: &str, kind: &str) -> anyhow::Result<(&'static str, Request)> {
    let known = kinds(channel);
    if known.is_empty() {
        anyhow::bail!(
            "no sample events for {channel:?}: channels are {}",
            channels().join(", ")
        );
    }
    let same = |a: &str, b: &str| a.replace('-', "_") == b.replace('-', "_");
    let wanted: Vec<String> = if same(kind, "message") {
        vec!["message".into(), "message_text".into(), "text".into()]
    } else {
        vec![kind.to_owned()]
    };
    let found = wanted
        .iter()
        .find_map(|want| known.iter().find(|candidate| same(candidate, want)))
        .ok_or_else(|| {
            anyhow!(
                "no {channel} event of kind {kind:?}; kinds: {}",
                known.join(", ")
            )
        })?;
    let (_, _, event) = SAMPLES
        .iter()
        .find(|(of, name, _)| *of == channel && name == found)
        .ok_or_else(|| anyhow!("sample {channel}/{found} vanished"))?;
    let request =
        parse(event).with_context(|| format!("the sample event {channel}/{found} is malformed"))?;
    Ok((found, request))
}

/// Reads an API Gateway (payload 2.0) event back into the request it describes.
fn parse(event: &str) -> anyhow::Result<Request> {
    let event: Value = serde_json::from_str(event)?;
    let method = event
        .pointer("/requestContext/http/method")
        .and_then(Value::as_str)
        .unwrap_or("POST")
        .parse::<http::Method>()?;
    let raw_path = event["rawPath"].as_str().unwrap_or_default();
    let suffix: String = raw_path
        .split('/')
        .skip(3)
        .map(|segment| format!("/{segment}"))
        .collect();
    let headers = event["headers"]
        .as_object()
        .map(|map| {
            map.iter()
                .filter(|(name, _)| !DROPPED_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
                .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let text = event["body"].as_str().unwrap_or_default();
    let body = if event["isBase64Encoded"] == Value::Bool(true) {
        base64::engine::general_purpose::STANDARD.decode(text)?
    } else {
        text.as_bytes().to_vec()
    };
    Ok(Request {
        method,
        suffix,
        query: event["rawQueryString"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_parses_and_message_finds_each_channels_text() {
        for (channel, kind, event) in SAMPLES {
            assert!(parse(event).is_ok(), "{channel}/{kind}");
        }
        assert_eq!(
            channels(),
            ["abc", "facebook", "slack", "telegram", "viber"]
        );
        for (channel, expected) in [
            ("telegram", "message"),
            ("viber", "message-text"),
            ("facebook", "message_text"),
            ("slack", "message"),
            ("abc", "text"),
        ] {
            assert_eq!(find(channel, "message").unwrap().0, expected);
        }
        assert_eq!(find("viber", "message_text").unwrap().0, "message-text");
        let (_, request) = find("abc", "text").unwrap();
        assert!(request.header("authorization").is_none());
        assert!(request.header("source-id").is_some());
        assert!(find("telegram", "nope").is_err());
    }
}
