//! The API Gateway sample events in `events/facebook/` are accepted with the demo bot's secret.

use std::path::PathBuf;

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::Value;
use shared_core::channel::{Channel, Outcome, Reply, Request};
use shared_core::testing::{fixed_now, receive_envelopes};

use super::*;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo_secret() -> Secret {
    let text =
        std::fs::read_to_string(repository().join("bots.example.json")).expect("bots.example.json");
    let bots: Value = serde_json::from_str(&text).expect("bots.example.json is JSON");
    serde_json::from_value(bots["receivers/facebook/demo"].clone()).expect("the demo secret")
}

fn samples() -> Vec<(String, Value)> {
    let dir = repository().join("events/facebook");
    let mut samples: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("events/facebook")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a sample");
            (
                path.display().to_string(),
                serde_json::from_str(&text).expect("a sample is JSON"),
            )
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

#[test]
fn every_sample_event_is_accepted_with_the_demo_secret() {
    let samples = samples();
    assert!(samples.len() >= 15, "{} samples", samples.len());
    let secret = demo_secret();
    for (path, event) in &samples {
        assert_eq!(event["version"], "2.0", "{path}");
        assert_eq!(event["pathParameters"]["bot"], "demo", "{path}");
        let method = Method::from_bytes(
            event["requestContext"]["http"]["method"]
                .as_str()
                .expect("a method")
                .as_bytes(),
        )
        .expect("a method");
        assert!(Facebook.methods().contains(&method), "{path}");
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
        let verified = verify(&Facebook, request, &secret, fixed_now())
            .unwrap_or_else(|rejection| panic!("{path}: {rejection}"));
        if method == Method::GET {
            let outcome = Facebook
                .receive(&verified, &secret, fixed_now())
                .expect("the handshake");
            assert!(
                matches!(outcome, Outcome::Handshake(ref reply) if *reply == Reply::text("1158201444")),
                "{path}: {outcome:?}"
            );
        } else {
            assert_eq!(
                headers.get("content-type").map(HeaderValue::as_bytes),
                Some(&b"application/json"[..]),
                "{path}"
            );
            let envelopes = receive_envelopes(&Facebook, &request, &secret)
                .unwrap_or_else(|rejection| panic!("{path}: {rejection}"));
            assert!(!envelopes.is_empty(), "{path}");
        }
    }
}

#[test]
fn a_sample_with_its_body_changed_is_refused() {
    let (path, event) = samples()
        .into_iter()
        .find(|(path, _)| path.ends_with("message_text.json"))
        .expect("message_text.json");
    let headers = headers_of(&event);
    let body = event["body"]
        .as_str()
        .expect("a body")
        .replace("hello", "jello");
    let request = Request {
        method: &Method::POST,
        headers: &headers,
        query: None,
        path_suffix: "",
        body: body.as_bytes(),
    };
    assert!(
        Facebook
            .authenticate(&request, &demo_secret(), fixed_now())
            .is_err(),
        "{path}"
    );
}
