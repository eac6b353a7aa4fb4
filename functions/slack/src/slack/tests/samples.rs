//! The sample API Gateway events in `events/slack`: each verifies with the demo secret of
//! `bots.example.json` at the time the event says, and normalizes to the kind its name says.

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::Value;
use shared_core::channel::{Channel, Outcome, Request, verify};
use shared_core::envelope::EventKind;

use super::super::{Secret, Slack};

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// What each sample must turn into: `None` for the handshake.
fn expected_kind(name: &str) -> Option<EventKind> {
    match name {
        "url_verification.json" => None,
        "message.json" | "app_mention.json" | "file_share.json" => Some(EventKind::Message),
        "message_changed.json" => Some(EventKind::Edited),
        "reaction_added.json" => Some(EventKind::Reaction),
        "block_actions.json" | "view_submission.json" => Some(EventKind::Callback),
        "slash_command.json" | "shortcut.json" => Some(EventKind::Command),
        other => panic!("no expectation for the sample {other}"),
    }
}

#[test]
fn every_sample_event_is_accepted_with_the_demo_secret() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bots = read_json(&root.join("bots.example.json"));
    let secret: Secret = serde_json::from_value(bots["receivers/slack/demo"].clone()).unwrap();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("events/slack"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 8, "{paths:?}");
    for path in paths {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap()
            .to_owned();
        let sample = read_json(&path);
        assert_eq!(sample["version"], "2.0", "{name}");
        assert_eq!(sample["routeKey"], "POST /slack/{bot}", "{name}");
        assert_eq!(sample["rawPath"], "/slack/demo", "{name}");
        assert_eq!(sample["pathParameters"]["bot"], "demo", "{name}");
        assert_eq!(sample["requestContext"]["http"]["method"], "POST", "{name}");
        assert_eq!(sample["isBase64Encoded"], false, "{name}");
        let mut headers = HeaderMap::new();
        for (header, value) in sample["headers"].as_object().unwrap() {
            assert_eq!(
                header,
                &header.to_lowercase(),
                "{name}: header names are lower-case"
            );
            headers.insert(
                HeaderName::from_bytes(header.as_bytes()).unwrap(),
                HeaderValue::from_str(value.as_str().unwrap()).unwrap(),
            );
        }
        let body = sample["body"].as_str().unwrap().as_bytes();
        let method = Method::POST;
        let request = Request {
            method: &method,
            headers: &headers,
            query: None,
            path_suffix: "",
            body,
        };
        let now = UNIX_EPOCH
            + Duration::from_millis(sample["requestContext"]["timeEpoch"].as_u64().unwrap());
        let verified =
            verify(&Slack, request, &secret, now).unwrap_or_else(|err| panic!("{name}: {err}"));
        let outcome = Slack
            .receive(&verified, &secret, now)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        match (outcome, expected_kind(&name)) {
            (Outcome::Handshake(reply), None) => assert!(!reply.body.is_empty(), "{name}"),
            (Outcome::Events { events, echoes: 0 }, Some(kind)) => {
                assert_eq!(events.len(), 1, "{name}");
                assert_eq!(events[0].kind, kind, "{name}");
            }
            (other, kind) => panic!("{name}: expected {kind:?}, got {other:?}"),
        }
    }
}
