//! Signature, timestamp and secret handling.

use std::time::{Duration, UNIX_EPOCH};

use shared_core::channel::{Channel, Request};
use shared_core::sample::{Fresh, Outgoing};
use shared_core::testing::{assert_sign_round_trips, fixed_now, receive_envelopes};
use shared_core::{Rejection, SecretString};

use super::super::{Secret, Slack};
use super::{Delivered, SIGNING_SECRET, event_body, now_seconds, only, secret, signature};

/// The worked example of Slack's "Verifying requests from Slack" page.
const DOCUMENTED_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const DOCUMENTED_TIMESTAMP: &str = "1531420618";
pub const DOCUMENTED_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOCUMENTED_SIGNATURE: &str =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

fn documented_secret() -> Secret {
    Secret {
        signing_secret: SecretString::new(DOCUMENTED_SECRET),
        bot_token: None,
        bot_id: None,
    }
}

fn documented_request() -> Delivered {
    Delivered::unsigned(DOCUMENTED_BODY)
        .with_header("x-slack-request-timestamp", DOCUMENTED_TIMESTAMP)
        .with_header("x-slack-signature", DOCUMENTED_SIGNATURE)
}

fn authenticate(delivered: &Delivered) -> Result<(), Rejection> {
    Slack.authenticate(&delivered.request(), &secret(), fixed_now())
}

#[test]
fn slacks_documented_example_verifies() {
    let delivered = documented_request();
    let request: Request<'_> = delivered.request();
    let then = UNIX_EPOCH + Duration::from_secs(1_531_420_618);
    assert_eq!(
        Slack.authenticate(&request, &documented_secret(), then),
        Ok(())
    );
    assert_eq!(
        Slack.authenticate(
            &request,
            &documented_secret(),
            then + Duration::from_secs(300)
        ),
        Ok(())
    );
    // Years later the same request is a replay.
    assert_eq!(
        Slack.authenticate(&request, &documented_secret(), fixed_now()),
        Err(Rejection::Unauthenticated(
            "X-Slack-Request-Timestamp is more than 5 minutes from now"
        ))
    );
    // Our own signer agrees with Slack's number.
    assert_eq!(
        signature(
            DOCUMENTED_SECRET,
            DOCUMENTED_TIMESTAMP,
            DOCUMENTED_BODY.as_bytes()
        ),
        DOCUMENTED_SIGNATURE
    );
}

/// A body as Slack posts it, before it is signed.
fn unsigned(body: Vec<u8>, content_type: &str) -> Outgoing {
    let mut request = Outgoing::post(body);
    request.set_header("content-type", content_type).unwrap();
    request
}

#[test]
fn sign_is_what_authenticate_checks() {
    let body = event_body("message");
    let signed = assert_sign_round_trips(
        &Slack,
        &secret(),
        unsigned(body.clone(), "application/json"),
    );
    let timestamp = now_seconds().to_string();
    assert_eq!(
        signed.header("x-slack-request-timestamp"),
        Some(timestamp.as_str())
    );
    assert_eq!(
        signed.header("x-slack-signature"),
        Some(signature(SIGNING_SECRET, &timestamp, &body).as_str())
    );
    let documented = Secret {
        signing_secret: SecretString::new(DOCUMENTED_SECRET),
        bot_token: None,
        bot_id: None,
    };
    let mut request = unsigned(
        DOCUMENTED_BODY.as_bytes().to_vec(),
        "application/x-www-form-urlencoded",
    );
    let then = UNIX_EPOCH + Duration::from_secs(1_531_420_618);
    Slack.sign(&mut request, &documented, then).unwrap();
    assert_eq!(
        request.header("x-slack-signature"),
        Some(DOCUMENTED_SIGNATURE)
    );
}

#[test]
fn a_freshened_event_has_a_new_id_and_is_still_accepted() {
    let mut request = unsigned(event_body("message"), "application/json");
    Slack
        .freshen(&mut request, &secret(), &mut Fresh::new(fixed_now(), 7))
        .unwrap();
    let signed = assert_sign_round_trips(&Slack, &secret(), request);
    let fresh = receive_envelopes(&Slack, &signed.as_request(), &secret()).unwrap();
    let original = only(event_body("message"));
    assert_eq!(fresh.len(), 1);
    assert_ne!(fresh[0].event_id, original.event_id);
    assert_eq!(fresh[0].message.text, original.message.text);
}

#[test]
fn a_good_signature_is_accepted_in_either_case() {
    let delivered = Delivered::signed(event_body("message"));
    assert_eq!(authenticate(&delivered), Ok(()));
    let upper = signature(SIGNING_SECRET, &now_seconds().to_string(), &delivered.body)
        .replace("v0=", "")
        .to_uppercase();
    let delivered = delivered.with_header("x-slack-signature", &format!("v0={upper}"));
    assert_eq!(authenticate(&delivered), Ok(()));
}

#[test]
fn a_signature_with_another_secret_is_refused() {
    let forged = Delivered::signed_at(
        event_body("message"),
        now_seconds(),
        "not-the-signing-secret",
    );
    assert_eq!(
        authenticate(&forged),
        Err(Rejection::Unauthenticated(
            "X-Slack-Signature does not match the body"
        ))
    );
}

#[test]
fn a_changed_body_is_refused() {
    let mut tampered = Delivered::signed(event_body("message"));
    let text = String::from_utf8(tampered.body.clone())
        .unwrap()
        .replace("Hello world", "Hello World");
    tampered.body = text.into_bytes();
    assert_eq!(
        authenticate(&tampered),
        Err(Rejection::Unauthenticated(
            "X-Slack-Signature does not match the body"
        ))
    );
}

#[test]
fn a_changed_timestamp_is_refused() {
    let delivered = Delivered::signed(event_body("message")).with_header(
        "x-slack-request-timestamp",
        &(now_seconds() - 1).to_string(),
    );
    assert_eq!(
        authenticate(&delivered),
        Err(Rejection::Unauthenticated(
            "X-Slack-Signature does not match the body"
        ))
    );
}

#[test]
fn missing_headers_are_refused() {
    let no_signature = Delivered::signed(event_body("message")).without_header("x-slack-signature");
    assert_eq!(
        authenticate(&no_signature),
        Err(Rejection::Unauthenticated("no X-Slack-Signature header"))
    );
    let no_timestamp =
        Delivered::signed(event_body("message")).without_header("x-slack-request-timestamp");
    assert_eq!(
        authenticate(&no_timestamp),
        Err(Rejection::Unauthenticated(
            "no X-Slack-Request-Timestamp header"
        ))
    );
    assert_eq!(
        authenticate(&Delivered::unsigned(event_body("message"))),
        Err(Rejection::Unauthenticated(
            "no X-Slack-Request-Timestamp header"
        ))
    );
}

#[test]
fn malformed_headers_are_refused() {
    for timestamp in ["", "soon", "1795525200.5", "0x6b0c5b10", " 1795525200"] {
        let delivered = Delivered::signed(event_body("message"))
            .with_header("x-slack-request-timestamp", timestamp);
        assert_eq!(
            authenticate(&delivered),
            Err(Rejection::Unauthenticated(
                "X-Slack-Request-Timestamp is not a number"
            )),
            "timestamp {timestamp:?}"
        );
    }
    let body = event_body("message");
    let bare = signature(SIGNING_SECRET, &now_seconds().to_string(), &body).replace("v0=", "");
    let no_version = Delivered::signed(body.clone()).with_header("x-slack-signature", &bare);
    assert_eq!(
        authenticate(&no_version),
        Err(Rejection::Unauthenticated(
            "X-Slack-Signature is not a v0 signature"
        ))
    );
    let other_version =
        Delivered::signed(body).with_header("x-slack-signature", &format!("v1={bare}"));
    assert_eq!(
        authenticate(&other_version),
        Err(Rejection::Unauthenticated(
            "X-Slack-Signature is not a v0 signature"
        ))
    );
}

#[test]
fn timestamps_more_than_five_minutes_away_are_refused_either_way() {
    let stale =
        Rejection::Unauthenticated("X-Slack-Request-Timestamp is more than 5 minutes from now");
    for (offset, expected) in [
        (-301, Err(stale.clone())),
        (301, Err(stale.clone())),
        (-600, Err(stale)),
        (-300, Ok(())),
        (300, Ok(())),
    ] {
        let delivered = Delivered::signed_at(
            event_body("message"),
            now_seconds() + offset,
            SIGNING_SECRET,
        );
        assert_eq!(authenticate(&delivered), expected, "offset {offset} s");
    }
}

#[test]
fn an_empty_signing_secret_refuses_even_a_matching_signature() {
    let empty = Secret {
        signing_secret: SecretString::new(""),
        bot_token: None,
        bot_id: None,
    };
    let delivered = Delivered::signed_at(event_body("message"), now_seconds(), "");
    assert_eq!(
        Slack.authenticate(&delivered.request(), &empty, fixed_now()),
        Err(Rejection::Unauthenticated(
            "the bot's signing secret is empty"
        ))
    );
}

#[test]
fn the_secret_reads_from_the_stored_document_and_never_prints_its_values() {
    let document = shared_core::secret::SecretDocument::parse(
        r#"{"signing_secret":"sign-me-9f8e7d6c5b4a","bot_token":"xoxb-very-private-token","bot_id":"B0DEMOBOT"}"#,
    )
    .unwrap();
    let secret: Secret = document.fields().unwrap();
    assert_eq!(secret.signing_secret.expose(), "sign-me-9f8e7d6c5b4a");
    assert_eq!(
        secret.bot_token.as_ref().map(SecretString::expose),
        Some("xoxb-very-private-token")
    );
    assert_eq!(secret.bot_id.as_deref(), Some("B0DEMOBOT"));
    let printed = format!("{secret:?} {secret:#?}");
    assert!(!printed.contains("sign-me"), "{printed}");
    assert!(!printed.contains("xoxb"), "{printed}");

    let minimal: Secret = shared_core::secret::SecretDocument::parse(r#"{"signing_secret":"s"}"#)
        .unwrap()
        .fields()
        .unwrap();
    assert_eq!((minimal.bot_token.is_none(), minimal.bot_id), (true, None));
    let missing = shared_core::secret::SecretDocument::parse(r#"{"bot_token":"xoxb-1"}"#)
        .unwrap()
        .fields::<Secret>()
        .unwrap_err();
    assert_eq!(missing, "missing field `signing_secret`");
}
