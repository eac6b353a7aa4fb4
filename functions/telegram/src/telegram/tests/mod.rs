//! Telegram channel tests on the fixtures beside the crate: helpers, authentication, bodies
//! that are not updates; content types and update kinds in the submodules.

mod ids;
mod messages;
mod updates;

use http::{HeaderMap, HeaderValue, Method};
use serde_json::Value;
use shared_core::sample::{Fresh, Outgoing};
use shared_core::testing::{assert_sign_round_trips, fixed_now, receive_envelopes};
use shared_core::{Channel, Envelope, EventKind, MessageType, Rejection, Request, SecretString};

use super::{SECRET_TOKEN_HEADER, Secret, Telegram};

pub(super) const TOKEN: &str = "tg-secret_Token-1";

pub(super) fn secret() -> Secret {
    Secret {
        secret_token: SecretString::new(TOKEN),
        token: Some(SecretString::new("123456:ABC")),
    }
}

pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn headers(token: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(token) = token {
        headers.insert(SECRET_TOKEN_HEADER, HeaderValue::from_str(token).unwrap());
    }
    headers
}

pub(super) fn run(body: &[u8], token: Option<&str>) -> Result<Vec<Envelope>, Rejection> {
    let headers = headers(token);
    let request = Request {
        method: &Method::POST,
        headers: &headers,
        query: None,
        path_suffix: "",
        body,
    };
    receive_envelopes(&Telegram, &request, &secret())
}

/// The one envelope a fixture becomes, checked against the schema.
pub(super) fn normalize(name: &str) -> Envelope {
    let mut envelopes = run(&fixture(name), Some(TOKEN)).unwrap();
    assert_eq!(envelopes.len(), 1, "{name}");
    let envelope = envelopes.remove(0);
    let raw: Value = serde_json::from_str(envelope.raw.get()).unwrap();
    let original: Value = serde_json::from_slice(&fixture(name)).unwrap();
    assert_eq!(raw, original, "{name}: raw is the update as received");
    assert_eq!(
        envelope.event_id,
        format!("telegram:demo:{}", original["update_id"]),
        "{name}"
    );
    envelope
}

pub(super) fn summary(
    envelope: &Envelope,
) -> (EventKind, &str, MessageType, Option<&str>, Option<&str>) {
    let message = &envelope.message;
    (
        envelope.event,
        envelope.chat_id.as_str(),
        message.kind,
        message.text.as_deref(),
        message.payload.as_deref(),
    )
}

#[test]
fn an_update_kind_added_later_is_other_with_its_raw() {
    let envelope = normalize("future_kind");
    assert_eq!(
        (envelope.event, envelope.message.kind),
        (EventKind::Other, MessageType::None)
    );
}

#[test]
fn a_known_kind_with_an_unexpected_shape_is_other_not_an_error() {
    let envelopes = run(
        br#"{"update_id": 5, "message": {"message_id": "not a number"}}"#,
        Some(TOKEN),
    )
    .unwrap();
    assert_eq!(envelopes[0].event, EventKind::Other);
}

#[test]
fn the_secret_token_must_match_exactly() {
    let body = fixture("message_text");
    assert_eq!(
        run(&body, None).unwrap_err(),
        Rejection::Unauthenticated("no secret token header")
    );
    assert_eq!(
        run(&body, Some("tg-secret_Token-")).unwrap_err(),
        Rejection::Unauthenticated("wrong secret token")
    );
    assert_eq!(
        run(&body, Some("tg-secret_Token-1x")).unwrap_err(),
        Rejection::Unauthenticated("wrong secret token")
    );
    assert_eq!(
        run(&body, Some("TG-SECRET_TOKEN-1")).unwrap_err(),
        Rejection::Unauthenticated("wrong secret token")
    );
}

/// A fixture as Telegram posts it, before the secret token is set.
fn unsigned(name: &str) -> Outgoing {
    let mut request = Outgoing::post(fixture(name));
    request
        .set_header("content-type", "application/json")
        .unwrap();
    request
}

#[test]
fn sign_sets_the_secret_token_that_authenticate_checks() {
    let signed = assert_sign_round_trips(&Telegram, &secret(), unsigned("message_text"));
    assert_eq!(signed.header(SECRET_TOKEN_HEADER), Some(TOKEN));
}

#[test]
fn a_freshened_update_has_a_new_id_and_is_still_accepted() {
    let mut request = unsigned("message_text");
    Telegram
        .freshen(&mut request, &secret(), &mut Fresh::new(fixed_now(), 7))
        .unwrap();
    let signed = assert_sign_round_trips(&Telegram, &secret(), request);
    let fresh = receive_envelopes(&Telegram, &signed.as_request(), &secret()).unwrap();
    let original = normalize("message_text");
    assert_eq!(fresh.len(), 1);
    assert_ne!(fresh[0].event_id, original.event_id);
    assert_eq!(fresh[0].message, original.message, "only the ids change");
}

#[test]
fn an_empty_secret_token_matches_no_header() {
    for token in ["", "  "] {
        let secret = Secret {
            secret_token: SecretString::new(token),
            token: None,
        };
        let headers = headers(Some(token));
        let request = Request {
            method: &Method::POST,
            headers: &headers,
            query: None,
            path_suffix: "",
            body: &fixture("message_text"),
        };
        assert_eq!(
            receive_envelopes(&Telegram, &request, &secret).unwrap_err(),
            Rejection::Unauthenticated("the bot's secret_token is empty"),
            "{token:?}"
        );
    }
}

#[test]
fn bodies_that_are_not_updates_are_malformed() {
    for body in [
        &b"not json"[..],
        b"{}",
        b"[]",
        br#"{"update_id": "x"}"#,
        b"",
        br#"{"update_id": 1.5}"#,
    ] {
        assert!(
            matches!(run(body, Some(TOKEN)), Err(Rejection::Malformed(_))),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn every_fixture_normalizes_to_a_valid_envelope() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "json") {
            normalize(path.file_stem().unwrap().to_str().unwrap());
            count += 1;
        }
    }
    assert!(count >= 40, "{count} fixtures");
}

#[test]
fn the_secret_does_not_print() {
    let printed = format!("{:?}", secret());
    assert!(
        !printed.contains(TOKEN) && !printed.contains("ABC"),
        "{printed}"
    );
}
