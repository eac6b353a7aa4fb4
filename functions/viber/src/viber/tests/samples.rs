//! The API Gateway sample events in `events/viber`: signed with the demo token, accepted as they are.

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use shared_core::channel::{Channel, Outcome, verify};
use shared_core::testing::{fixed_now, receive_envelopes};

use super::{Posted, demo_secret, workspace_path};
use crate::Viber;

/// Every `events/viber/*.json`, by file name.
fn samples() -> Vec<(String, Value)> {
    let dir = workspace_path("events/viber");
    let mut samples: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap(),
            )
        })
        .collect();
    samples.sort_by(|a, b| a.0.cmp(&b.0));
    samples
}

/// The request an API Gateway HTTP API (payload 2.0) event stands for.
fn posted(sample: &Value) -> Posted {
    assert_eq!(sample["version"], "2.0");
    assert_eq!(sample["requestContext"]["http"]["method"], "POST");
    assert_eq!(sample["isBase64Encoded"], false);
    let mut headers = HeaderMap::new();
    for (name, value) in sample["headers"].as_object().unwrap() {
        assert_eq!(
            name,
            &name.to_lowercase(),
            "API Gateway hands over lower-case header names"
        );
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value.as_str().unwrap()).unwrap(),
        );
    }
    let mut posted = Posted::new(sample["body"].as_str().unwrap(), None);
    posted.headers.extend(headers);
    posted
}

#[test]
fn every_sample_event_is_accepted_with_the_demo_secret() {
    let samples = samples();
    assert!(
        samples.len() >= 8,
        "one sample per main kind, found {}",
        samples.len()
    );
    for (name, sample) in &samples {
        let posted = posted(sample);
        let request = posted.request();
        let body: Value = serde_json::from_str(sample["body"].as_str().unwrap()).unwrap();
        let kind = body["event"].as_str().unwrap();
        if kind == "webhook" {
            let verified = verify(&Viber, request, &demo_secret(), fixed_now())
                .unwrap_or_else(|err| panic!("{name}: {err}"));
            let outcome = Viber
                .receive(&verified, &demo_secret(), fixed_now())
                .unwrap();
            assert!(matches!(outcome, Outcome::Handshake(_)), "{name}");
            continue;
        }
        let envelopes = receive_envelopes(&Viber, &request, &demo_secret())
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(envelopes.len(), 1, "{name}");
        assert_eq!(envelopes[0].event.as_str(), kind, "{name}");
        assert_eq!(
            envelopes[0].raw.get(),
            sample["body"].as_str().unwrap(),
            "{name}"
        );
    }
}
