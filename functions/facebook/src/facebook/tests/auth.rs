//! Signatures, the GET handshake, and the secret's `Debug`.

use http::{HeaderMap, Method};
use shared_core::channel::{Channel, Outcome, Rejection, Reply, Request, verify};
use shared_core::sample::{Fresh, Outgoing};
use shared_core::testing::{assert_sign_round_trips, fixed_now};

use super::*;

fn authenticate_post(headers: &HeaderMap, body: &str) -> Result<(), Rejection> {
    Facebook.authenticate(
        &post_request(headers, body.as_bytes()),
        &secret(),
        fixed_now(),
    )
}

fn get_request<'a>(headers: &'a HeaderMap, query: &'a str) -> Request<'a> {
    Request {
        method: &Method::GET,
        headers,
        query: Some(query),
        path_suffix: "",
        body: b"",
    }
}

fn handshake(query: &str) -> Result<Outcome, Rejection> {
    let headers = HeaderMap::new();
    let request = get_request(&headers, query);
    let verified = verify(&Facebook, request, &secret(), fixed_now())?;
    Facebook.receive(&verified, &secret(), fixed_now())
}

#[test]
fn a_body_signed_with_the_app_secret_is_accepted() {
    let body = fixture("message_text");
    let headers = headers_with(Some(&signature(APP_SECRET, body.as_bytes())));
    assert_eq!(authenticate_post(&headers, &body), Ok(()));
    let upper = signature(APP_SECRET, body.as_bytes())
        .replace("sha256=", "")
        .to_uppercase();
    let headers = headers_with(Some(&format!("sha256={upper}")));
    assert_eq!(authenticate_post(&headers, &body), Ok(()));
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
    let body = fixture("message_text");
    let signed = assert_sign_round_trips(&Facebook, &secret(), unsigned("message_text"));
    let expected =
        shared_core::meta::sign(body.as_bytes(), &shared_core::SecretString::new(APP_SECRET));
    assert_eq!(
        signed.header("x-hub-signature-256"),
        Some(expected.as_str())
    );
    let handshake = assert_sign_round_trips(
        &Facebook,
        &secret(),
        Outgoing::get("hub.mode=subscribe&hub.challenge=123"),
    );
    let verified =
        verify(&Facebook, handshake.as_request(), &secret(), fixed_now()).expect("verified");
    match Facebook.receive(&verified, &secret(), fixed_now()) {
        Ok(Outcome::Handshake(reply)) => assert_eq!(reply, Reply::text("123")),
        other => panic!("expected the challenge, got {other:?}"),
    }
}

#[test]
fn a_freshened_delivery_has_new_ids_and_is_still_accepted() {
    let mut request = unsigned("message_text");
    Facebook
        .freshen(&mut request, &secret(), &mut Fresh::new(fixed_now(), 7))
        .expect("freshened");
    let signed = assert_sign_round_trips(&Facebook, &secret(), request);
    let fresh = shared_core::testing::receive_envelopes(&Facebook, &signed.as_request(), &secret())
        .expect("accepted");
    let original = envelopes(&fixture("message_text")).expect("accepted");
    assert_eq!(fresh.len(), original.len());
    assert_ne!(fresh[0].event_id, original[0].event_id);
    assert_eq!(fresh[0].message.text, original[0].message.text);
}

#[test]
fn a_forged_signature_is_unauthenticated() {
    let body = fixture("message_text");
    let forged = headers_with(Some(&signature("not-the-app-secret", body.as_bytes())));
    assert!(matches!(
        authenticate_post(&forged, &body),
        Err(Rejection::Unauthenticated(_))
    ));
    assert!(matches!(
        envelopes_with(&forged, &body),
        Err(Rejection::Unauthenticated(_))
    ));
}

fn envelopes_with(
    headers: &HeaderMap,
    body: &str,
) -> Result<Vec<shared_core::envelope::Envelope>, Rejection> {
    shared_core::testing::receive_envelopes(
        &Facebook,
        &post_request(headers, body.as_bytes()),
        &secret(),
    )
}

#[test]
fn a_signature_of_another_body_is_unauthenticated() {
    let body = fixture("message_text");
    let headers = headers_with(Some(&signature(APP_SECRET, body.as_bytes())));
    let tampered = body.replace("hello, world!", "hello, wallet!");
    assert!(matches!(
        authenticate_post(&headers, &tampered),
        Err(Rejection::Unauthenticated(_))
    ));
}

#[test]
fn a_missing_or_misshapen_signature_is_unauthenticated() {
    let body = fixture("message_text");
    let bare_hex = signature(APP_SECRET, body.as_bytes()).replace("sha256=", "");
    let sha1_style = format!("sha1={bare_hex}");
    for headers in [
        headers_with(None),
        headers_with(Some(&bare_hex)),
        headers_with(Some(&sha1_style)),
        headers_with(Some("sha256=")),
    ] {
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
fn an_empty_app_secret_never_authenticates() {
    let body = fixture("message_text");
    let headers = headers_with(Some(&signature("", body.as_bytes())));
    let empty: Secret =
        serde_json::from_value(json!({ "app_secret": "", "verify_token": VERIFY_TOKEN }))
            .expect("a secret");
    let request = post_request(&headers, body.as_bytes());
    assert!(matches!(
        Facebook.authenticate(&request, &empty, fixed_now()),
        Err(Rejection::Unauthenticated(_))
    ));
}

#[test]
fn the_handshake_answers_the_challenge() {
    let query =
        format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444");
    match handshake(&query) {
        Ok(Outcome::Handshake(reply)) => assert_eq!(reply, Reply::text("1158201444")),
        other => panic!("expected the challenge, got {other:?}"),
    }
    let encoded =
        format!("hub.challenge=a%20b%2Bc&hub.verify_token={VERIFY_TOKEN}&hub.mode=subscribe");
    match handshake(&encoded) {
        Ok(Outcome::Handshake(reply)) => assert_eq!(reply.body, "a b+c"),
        other => panic!("expected the challenge, got {other:?}"),
    }
}

#[test]
fn a_handshake_with_the_wrong_token_or_mode_is_forbidden() {
    for query in [
        "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1".to_owned(),
        "hub.mode=subscribe&hub.challenge=1".to_owned(),
        format!("hub.mode=unsubscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
        format!("hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
        format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}x&hub.challenge=1"),
        String::new(),
    ] {
        assert!(
            matches!(handshake(&query), Err(Rejection::Forbidden(_))),
            "{query}"
        );
    }
    let headers = HeaderMap::new();
    let no_query = Request {
        query: None,
        ..get_request(&headers, "")
    };
    assert!(matches!(
        Facebook.authenticate(&no_query, &secret(), fixed_now()),
        Err(Rejection::Forbidden(_))
    ));
}

#[test]
fn an_empty_verify_token_in_the_secret_matches_nothing() {
    let empty: Secret =
        serde_json::from_value(json!({ "app_secret": APP_SECRET, "verify_token": "" }))
            .expect("a secret");
    let headers = HeaderMap::new();
    let request = get_request(
        &headers,
        "hub.mode=subscribe&hub.verify_token=&hub.challenge=1",
    );
    assert!(matches!(
        Facebook.authenticate(&request, &empty, fixed_now()),
        Err(Rejection::Forbidden(_))
    ));
}

#[test]
fn a_handshake_without_a_challenge_is_malformed() {
    let query = format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}");
    assert!(matches!(handshake(&query), Err(Rejection::Malformed(_))));
}

#[test]
fn the_route_takes_get_and_post_and_answers_event_received() {
    assert_eq!(Facebook.methods(), &[Method::GET, Method::POST]);
    assert_eq!(Facebook.accepted(), Reply::text("EVENT_RECEIVED"));
    assert_eq!(<Facebook as Channel>::NAME, "facebook");
}

#[test]
fn the_secret_debug_shows_no_value() {
    let printed = format!("{:?}", secret());
    for value in [APP_SECRET, VERIFY_TOKEN, "EAAB-test-page-access-token"] {
        assert!(!printed.contains(value), "{printed}");
    }
    assert!(printed.contains("app_secret"), "{printed}");
}

#[test]
fn the_page_access_token_is_optional() {
    let without: Secret =
        serde_json::from_value(json!({ "app_secret": APP_SECRET, "verify_token": VERIFY_TOKEN }))
            .expect("a secret");
    assert!(without.page_access_token.is_none());
    assert!(serde_json::from_value::<Secret>(json!({ "verify_token": VERIFY_TOKEN })).is_err());
}
