//! The sample events of `events/<channel>/*.json`, embedded at build time: API Gateway events
//! whose `body` is what the platform sends. The kind is the file's stem.

use base64::Engine as _;
use http::{HeaderName, HeaderValue};
use serde_json::Value;
use shared_core::sample::Outgoing;

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// Headers of a sample that are not sent again: the proxy's, the length, and Meta's legacy SHA-1
/// signature; each messenger's own signature headers are dropped too, and made anew by `sign`.
const DROPPED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "accept-encoding",
    "x-forwarded-for",
    "x-forwarded-port",
    "x-forwarded-proto",
    "x-amzn-trace-id",
    "x-hub-signature",
];

/// Why a sample cannot be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SampleError(String);

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
pub fn find(channel: &str, kind: &str) -> Result<(&'static str, Outgoing), SampleError> {
    let known = kinds(channel);
    if known.is_empty() {
        return Err(SampleError(format!(
            "no sample events for {channel:?}: channels are {}",
            channels().join(", ")
        )));
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
            SampleError(format!(
                "no {channel} event of kind {kind:?}; kinds: {}",
                known.join(", ")
            ))
        })?;
    let (_, _, event) = SAMPLES
        .iter()
        .find(|(of, name, _)| *of == channel && name == found)
        .ok_or_else(|| SampleError(format!("sample {channel}/{found} vanished")))?;
    let request = parse(channel, event).map_err(|err| {
        SampleError(format!(
            "the sample event {channel}/{found} is malformed: {err}"
        ))
    })?;
    Ok((found, request))
}

/// Reads an API Gateway (payload 2.0) event of `channel` back into the request it describes,
/// without the proxy's headers and the platform's signature (made anew by `sign`).
pub fn parse(channel: &str, event: &str) -> Result<Outgoing, String> {
    let event: Value = serde_json::from_str(event).map_err(|err| err.to_string())?;
    let method = event
        .pointer("/requestContext/http/method")
        .and_then(Value::as_str)
        .unwrap_or("POST")
        .parse::<http::Method>()
        .map_err(|err| err.to_string())?;
    let raw_path = event["rawPath"].as_str().unwrap_or_default();
    let path_suffix: String = raw_path
        .split('/')
        .skip(3)
        .map(|segment| format!("/{segment}"))
        .collect();
    let signature_headers = crate::find(channel).map_or(&[][..], |m| m.signature_headers);
    let mut request = Outgoing::post(Vec::new());
    for (name, value) in event["headers"].as_object().into_iter().flatten() {
        let lower = name.to_ascii_lowercase();
        if DROPPED_HEADERS.contains(&lower.as_str()) || signature_headers.contains(&lower.as_str())
        {
            continue;
        }
        if let (Ok(name), Some(Ok(value))) = (
            HeaderName::from_bytes(lower.as_bytes()),
            value.as_str().map(HeaderValue::from_str),
        ) {
            request.headers.insert(name, value);
        }
    }
    let text = event["body"].as_str().unwrap_or_default();
    request.body = if event["isBase64Encoded"] == Value::Bool(true) {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|err| err.to_string())?
    } else {
        text.as_bytes().to_vec()
    };
    request.method = method;
    request.path_suffix = path_suffix;
    request.query = event["rawQueryString"]
        .as_str()
        .filter(|query| !query.is_empty())
        .map(str::to_owned);
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_parses_and_message_finds_each_channels_text() {
        for (channel, kind, event) in SAMPLES {
            assert!(parse(channel, event).is_ok(), "{channel}/{kind}");
        }
        for (channel, expected) in [
            ("telegram", "message"),
            ("viber", "message-text"),
            ("facebook", "message_text"),
            ("slack", "message"),
            ("abc", "text"),
            ("whatsapp", "message_text"),
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
