//! Signatures, the GET handshake, malformed bodies, and the secret's `Debug`.

use http::{HeaderMap, Method};
use shared_core::channel::{Channel, Outcome, Rejection, Reply, Request, verify};
use shared_core::sample::{Fresh, Outgoing};
use shared_core::testing::{assert_sign_round_trips, fixed_now};

use super::*;

fn authenticate_post(headers: &HeaderMap, body: &str) -> Result<(), Rejection> {
    WhatsApp.authenticate(
        &post_request(headers, body.as_bytes()),
        &secret(),
        fixed_now(),
    )
}

fn handshake(query: &str) -> Result<Outcome, Rejection> {
    let headers = HeaderMap::new();
    let request = Request {
        method: &Method::GET,
        headers: &headers,
        query: Some(query),
        path_suffix: "",
        body: b"",
    };
    let verified = verify(&WhatsApp, request, &secret(), fixed_now())?;
    WhatsApp.receive(&verified, &secret(), fixed_now())
}

#[test]
fn a_body_signed_with_the_app_secret_is_accepted() {
    let body = fixture("text");
    assert_eq!(authenticate_post(&signed_headers(&body), &body), Ok(()));
}

/// A fixture as Meta posts it, before it is signed.
fn unsigned(name: &str) -> Outgoing {
    let mut request = Outgoing::post(fixture(name));
    request
        .set_header("content-type", "application/json")
        .expect("a header value");
    request
}

#[test]
fn sign_is_what_authenticate_checks_for_a_post_and_the_handshake() {
    let body = fixture("text");
    let signed = assert_sign_round_trips(&WhatsApp, &secret(), unsigned("text"));
    let expected =
        shared_core::meta::sign(body.as_bytes(), &shared_core::SecretString::new(APP_SECRET));
    assert_eq!(
        signed.header("x-hub-signature-256"),
        Some(expected.as_str())
    );
    let handshake = assert_sign_round_trips(
        &WhatsApp,
        &secret(),
        Outgoing::get("hub.mode=subscribe&hub.challenge=123"),
    );
    let verified =
        verify(&WhatsApp, handshake.as_request(), &secret(), fixed_now()).expect("verified");
    match WhatsApp.receive(&verified, &secret(), fixed_now()) {
        Ok(Outcome::Handshake(reply)) => assert_eq!(reply, Reply::text("123")),
        other => panic!("expected the challenge, got {other:?}"),
    }
}

#[test]
fn a_freshened_delivery_has_new_ids_and_is_still_accepted() {
    let mut request = unsigned("text");
    WhatsApp
        .freshen(&mut request, &secret(), &mut Fresh::new(fixed_now(), 7))
        .expect("freshened");
    let signed = assert_sign_round_trips(&WhatsApp, &secret(), request);
    let fresh = shared_core::testing::receive_envelopes(&WhatsApp, &signed.as_request(), &secret())
        .expect("accepted");
    let original = envelopes(&fixture("text")).expect("accepted");
    assert_eq!(fresh.len(), original.len());
    assert_ne!(fresh[0].event_id, original[0].event_id);
    assert_eq!(fresh[0].message.text, original[0].message.text);
}

#[test]
fn a_forged_or_missing_signature_is_unauthenticated() {
    let body = fixture("text");
    let forged = meta::sign(body.as_bytes(), &SecretString::new("not-the-app-secret"));
    for headers in [headers_with(Some(&forged)), headers_with(None)] {
        assert!(
            matches!(
                authenticate_post(&headers, &body),
                Err(Rejection::Unauthenticated(_))
            ),
            "{headers:?}"
        );
    }
}

#[test]
fn a_signature_of_another_body_is_unauthenticated() {
    let body = fixture("text");
    let tampered = body.replace("another color", "another wallet");
    assert_ne!(body, tampered);
    assert!(matches!(
        authenticate_post(&signed_headers(&body), &tampered),
        Err(Rejection::Unauthenticated(_))
    ));
}

#[test]
fn the_handshake_answers_the_challenge() {
    let query = meta::handshake_query(&SecretString::new(VERIFY_TOKEN), "1904338216");
    match handshake(&query) {
        Ok(Outcome::Handshake(reply)) => assert_eq!(reply, Reply::text("1904338216")),
        other => panic!("expected the challenge, got {other:?}"),
    }
}

#[test]
fn a_handshake_with_the_wrong_token_is_forbidden() {
    let wrong = meta::handshake_query(&SecretString::new("a-guess"), "1904338216");
    assert!(matches!(handshake(&wrong), Err(Rejection::Forbidden(_))));
    let no_mode = format!("hub.verify_token={VERIFY_TOKEN}&hub.challenge=1");
    assert!(matches!(handshake(&no_mode), Err(Rejection::Forbidden(_))));
}

#[test]
fn a_handshake_without_a_challenge_is_malformed() {
    let query = format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}");
    assert!(matches!(handshake(&query), Err(Rejection::Malformed(_))));
}

#[test]
fn a_body_that_is_not_a_notification_is_malformed() {
    for body in [
        "not json",
        "[]",
        r#"{"object":"whatsapp_business_account"}"#,
    ] {
        assert!(
            matches!(envelopes(body), Err(Rejection::Malformed(_))),
            "{body}"
        );
    }
}

#[test]
fn the_route_takes_get_and_post_and_answers_event_received() {
    assert_eq!(WhatsApp.methods(), &[Method::GET, Method::POST]);
    assert_eq!(WhatsApp.accepted(), Reply::text("EVENT_RECEIVED"));
    assert_eq!(<WhatsApp as Channel>::NAME, "whatsapp");
    assert_eq!(
        <WhatsApp as Channel>::SECRET_FIELDS,
        &["app_secret", "verify_token"]
    );
}

#[test]
fn the_secret_debug_shows_no_value() {
    let printed = format!("{:?}", secret());
    for value in [APP_SECRET, VERIFY_TOKEN, "EAAG-test-cloud-api-token"] {
        assert!(!printed.contains(value), "{printed}");
    }
    assert!(printed.contains("app_secret"), "{printed}");
}

#[test]
fn the_access_token_is_optional_and_the_authenticating_fields_are_not() {
    let without: Secret =
        serde_json::from_value(json!({ "app_secret": APP_SECRET, "verify_token": VERIFY_TOKEN }))
            .expect("a secret");
    assert!(without.access_token.is_none());
    assert!(serde_json::from_value::<Secret>(json!({ "verify_token": VERIFY_TOKEN })).is_err());
    assert!(serde_json::from_value::<Secret>(json!({ "app_secret": APP_SECRET })).is_err());
}
