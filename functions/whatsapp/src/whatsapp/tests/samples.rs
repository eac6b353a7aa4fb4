//! The API Gateway sample events in `events/whatsapp/` are accepted with the demo bot's secret.

use std::path::PathBuf;

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use shared_core::channel::{Channel, Outcome, Reply, Request, verify};
use shared_core::envelope::EventKind;
use shared_core::testing::{fixed_now, receive_envelopes};

use super::*;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo_secret() -> Secret {
    let text =
        std::fs::read_to_string(repository().join("bots.example.json")).expect("bots.example.json");
    let bots: Value = serde_json::from_str(&text).expect("bots.example.json is JSON");
    serde_json::from_value(bots["receivers/whatsapp/demo"].clone()).expect("the demo secret")
}

/// Every sample, by file name, sorted.
fn samples() -> Vec<(String, Value)> {
    let dir = repository().join("events/whatsapp");
    let mut samples: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("events/whatsapp")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a sample");
            let name = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("a file name")
                .to_owned();
            (name, serde_json::from_str(&text).expect("a sample is JSON"))
        })
        .collect();
    samples.sort_by(|a, b| a.0.cmp(&b.0));
    samples
}

fn headers_of(event: &Value) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in event["headers"].as_object().expect("headers") {
        let value = value.as_str().expect("a header is text");
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            HeaderValue::from_str(value).expect("a header value"),
        );
    }
    headers
}

fn method_of(event: &Value) -> Method {
    let method = event["requestContext"]["http"]["method"]
        .as_str()
        .expect("a method");
    Method::from_bytes(method.as_bytes()).expect("a method")
}

/// The event kind each POST sample stands for.
fn expected_kind(name: &str) -> EventKind {
    match name {
        "message_text" | "message_image" => EventKind::Message,
        "interactive_button_reply" => EventKind::Callback,
        "reaction" => EventKind::Reaction,
        "status_delivered" => EventKind::Delivered,
        "status_read" => EventKind::Seen,
        "status_failed" => EventKind::Failed,
        other => panic!("a sample nobody expects: {other}"),
    }
}

#[test]
fn every_sample_event_is_accepted_with_the_demo_secret() {
    let samples = samples();
    assert_eq!(
        samples.len(),
        8,
        "{:?}",
        samples.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    let secret = demo_secret();
    for (name, event) in &samples {
        assert_eq!(event["version"], "2.0", "{name}");
        assert_eq!(event["rawPath"], "/whatsapp/demo", "{name}");
        assert_eq!(event["pathParameters"]["bot"], "demo", "{name}");
        let method = method_of(event);
        assert!(WhatsApp.methods().contains(&method), "{name}");
        let headers = headers_of(event);
        let body = event["body"].as_str().unwrap_or_default();
        let query = event["rawQueryString"]
            .as_str()
            .filter(|query| !query.is_empty());
        let request = Request {
            method: &method,
            headers: &headers,
            query,
            path_suffix: "",
            body: body.as_bytes(),
        };
        let verified = verify(&WhatsApp, request, &secret, fixed_now())
            .unwrap_or_else(|rejection| panic!("{name}: {rejection}"));
        if method == Method::GET {
            let outcome = WhatsApp
                .receive(&verified, &secret, fixed_now())
                .expect("the handshake");
            assert!(
                matches!(outcome, Outcome::Handshake(ref reply) if *reply == Reply::text("1904338216")),
                "{name}: {outcome:?}"
            );
            continue;
        }
        assert_eq!(
            headers.get("content-length").map(HeaderValue::as_bytes),
            Some(body.len().to_string().as_bytes()),
            "{name}"
        );
        let envelopes = receive_envelopes(&WhatsApp, &request, &secret)
            .unwrap_or_else(|rejection| panic!("{name}: {rejection}"));
        assert_eq!(envelopes.len(), 1, "{name}");
        assert_eq!(envelopes[0].event, expected_kind(name), "{name}");
        assert_eq!(envelopes[0].chat_id, CUSTOMER, "{name}");
    }
}

#[test]
fn a_sample_with_its_body_changed_is_refused() {
    let (_, event) = samples()
        .into_iter()
        .find(|(name, _)| name == "message_text")
        .expect("message_text.json");
    let headers = headers_of(&event);
    let body = event["body"]
        .as_str()
        .expect("a body")
        .replace("on its way", "in the bin");
    let request = post_request(&headers, body.as_bytes());
    assert!(
        WhatsApp
            .authenticate(&request, &demo_secret(), fixed_now())
            .is_err()
    );
}
