//! The signature check and the secret's redaction.

use shared_core::channel::{Channel, Rejection};
use shared_core::sample::{Fresh, Outgoing};
use shared_core::testing::{assert_sign_round_trips, fixed_now, receive_envelopes};

use super::{Posted, demo_secret, demo_token, fixture, receive_fixture, signature, signed};
use crate::Viber;
use crate::viber::Secret;

fn authenticate(posted: &Posted) -> Result<(), Rejection> {
    Viber.authenticate(&posted.request(), &demo_secret(), fixed_now())
}

#[test]
fn good_signature_is_accepted() {
    assert_eq!(authenticate(&signed(fixture("text"))), Ok(()));
}

/// A fixture as Viber posts it, before it is signed.
fn unsigned(name: &str) -> Outgoing {
    let mut request = Outgoing::post(fixture(name));
    request
        .set_header("content-type", "application/json")
        .unwrap();
    request
}

#[test]
fn sign_is_what_authenticate_checks() {
    let body = fixture("text");
    let signed = assert_sign_round_trips(&Viber, &demo_secret(), unsigned("text"));
    assert_eq!(
        signed.header(super::SIGNATURE_HEADER),
        Some(signature(&demo_token(), body.as_bytes()).as_str())
    );
}

#[test]
fn a_freshened_callback_has_a_new_token_and_is_still_accepted() {
    let mut request = unsigned("text");
    Viber
        .freshen(
            &mut request,
            &demo_secret(),
            &mut Fresh::new(fixed_now(), 7),
        )
        .unwrap();
    let signed = assert_sign_round_trips(&Viber, &demo_secret(), request);
    let fresh = receive_envelopes(&Viber, &signed.as_request(), &demo_secret()).unwrap();
    let original = receive_fixture("text");
    assert_eq!(fresh.len(), 1);
    assert_ne!(fresh[0].event_id, original.event_id);
    assert_eq!(fresh[0].message.text, original.message.text);
}

#[test]
fn upper_case_hex_is_accepted() {
    let body = fixture("text");
    let upper = signature(&demo_token(), body.as_bytes()).to_uppercase();
    assert_eq!(authenticate(&Posted::new(body, Some(&upper))), Ok(()));
}

#[test]
fn signature_with_another_token_is_refused() {
    let body = fixture("text");
    let forged = signature("not-the-bot-token", body.as_bytes());
    assert!(matches!(
        authenticate(&Posted::new(body, Some(&forged))),
        Err(Rejection::Unauthenticated(_))
    ));
}

#[test]
fn signature_of_another_body_is_refused() {
    let body = fixture("text");
    let of_other = signature(&demo_token(), fixture("seen").as_bytes());
    assert!(matches!(
        authenticate(&Posted::new(body.clone(), Some(&of_other))),
        Err(Rejection::Unauthenticated(_))
    ));
    // One byte more (a re-serialized body) is another body.
    let reformatted = format!("{body} ");
    let of_original = signature(&demo_token(), body.as_bytes());
    assert!(matches!(
        authenticate(&Posted::new(reformatted, Some(&of_original))),
        Err(Rejection::Unauthenticated(_))
    ));
}

#[test]
fn missing_or_garbled_signature_is_refused() {
    let body = fixture("text");
    assert_eq!(
        authenticate(&Posted::new(body.clone(), None)),
        Err(Rejection::Unauthenticated(
            "missing X-Viber-Content-Signature"
        ))
    );
    for garbled in ["", "sha256=abc", "zz", &"0".repeat(64)] {
        assert!(
            matches!(
                authenticate(&Posted::new(body.clone(), Some(garbled))),
                Err(Rejection::Unauthenticated(_))
            ),
            "{garbled:?}"
        );
    }
}

#[test]
fn empty_token_signs_nothing() {
    let secret: Secret = serde_json::from_str(r#"{"token":""}"#).unwrap();
    let body = fixture("text");
    let posted = Posted::new(body.clone(), Some(&signature("", body.as_bytes())));
    assert!(matches!(
        Viber.authenticate(&posted.request(), &secret, fixed_now()),
        Err(Rejection::Unauthenticated(_))
    ));
}

#[test]
fn secret_and_rejections_never_show_the_token() {
    let secret = demo_secret();
    let token = demo_token();
    let printed = format!("{secret:?}");
    assert!(!printed.contains(&token), "{printed}");
    assert!(!printed.contains("demo-e02c5f"), "{printed}");
    let body = fixture("text");
    let expected = signature(&token, body.as_bytes());
    let rejection = authenticate(&Posted::new(body, Some("00"))).unwrap_err();
    let text = format!("{rejection} {rejection:?}");
    assert!(
        !text.contains(&token) && !text.contains(&expected),
        "{text}"
    );
}
