//! The API Gateway events in events/abc (for `cargo lambda invoke` and `sam local invoke`) are
//! signed with the demo secret and accepted as they stand.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, UNIX_EPOCH};

use abc_receiver::Abc;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{run, secret, set};
use http::HeaderMap;
use serde_json::Value;
use shared_core::EventKind;
use shared_core::testing::fixed_now;

fn events() -> Vec<(String, Value)> {
    let dir = format!("{}/../../events/abc", env!("CARGO_MANIFEST_DIR"));
    let mut events: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{dir}: {err}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (
                name,
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap(),
            )
        })
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0));
    events
}

fn expected_kind(name: &str) -> EventKind {
    match name {
        "list_picker_reply" => EventKind::Callback,
        "typing_start" => EventKind::TypingStart,
        "typing_end" => EventKind::TypingEnd,
        "close" => EventKind::Closed,
        _ => EventKind::Message,
    }
}

#[test]
fn every_sample_event_is_accepted_with_the_demo_secret() {
    let events = events();
    assert!(
        events.len() >= 6,
        "one event per main kind: {:?}",
        events.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    for (name, event) in events {
        assert_eq!(event["version"], "2.0", "{name}");
        assert_eq!(event["routeKey"], "POST /abc/{bot}", "{name}");
        assert_eq!(event["pathParameters"]["bot"], "demo", "{name}");
        assert_eq!(event["requestContext"]["http"]["method"], "POST", "{name}");
        let epoch_ms = event["requestContext"]["timeEpoch"].as_u64().unwrap();
        assert_eq!(
            UNIX_EPOCH + Duration::from_millis(epoch_ms),
            fixed_now(),
            "{name}: signed for the event's time"
        );

        let mut headers = HeaderMap::new();
        for (key, value) in event["headers"].as_object().unwrap() {
            assert_eq!(
                key,
                &key.to_ascii_lowercase(),
                "{name}: header names are lower-case"
            );
            set(&mut headers, key, value.as_str().unwrap());
        }
        let text = event["body"].as_str().unwrap();
        let body = if event["isBase64Encoded"] == true {
            STANDARD.decode(text).unwrap()
        } else {
            text.as_bytes().to_vec()
        };

        let envelopes = run(&Abc::default(), &secret(), &headers, &body)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(envelopes.len(), 1, "{name}");
        assert_eq!(envelopes[0].event, expected_kind(&name), "{name}");
        assert_eq!(
            envelopes[0].chat_id,
            headers["source-id"].to_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            envelopes[0].event_id,
            format!("abc:demo:{}", headers["id"].to_str().unwrap()),
            "{name}"
        );
    }
}
