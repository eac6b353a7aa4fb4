//! The JWT check: HS256 only, the key, the audience, the clock and the maximum age.

mod common;

use std::time::Duration;

use abc_receiver::Abc;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::{
    API_SECRET, BUSINESS_ID, CSP_ID, b64url, check_with, claims_at, envelope_of, fixture,
    fixture_json, headers_for, jwt, jwt_with_header, refused, run, secret, secret_for_business,
};
use serde_json::{Value, json};
use shared_core::sample::{Fresh, Outgoing};
use shared_core::testing::{assert_sign_round_trips, fixed_now};
use shared_core::verify::unix_seconds;
use shared_core::{Channel, Rejection};

fn now() -> i64 {
    unix_seconds(fixed_now())
}

fn check_claims(claims: &Value) -> Result<(), Rejection> {
    check_with(
        &Abc::default(),
        &secret(),
        Some(&format!("Bearer {}", jwt(claims))),
    )
}

#[test]
fn a_token_signed_with_the_secret_is_accepted() {
    assert_eq!(check_claims(&claims_at(fixed_now())), Ok(()));
    assert_eq!(
        check_with(
            &Abc::default(),
            &secret(),
            Some(&format!("bearer   {}", jwt(&claims_at(fixed_now()))))
        ),
        Ok(())
    );
}

/// The text fixture with the headers Apple sends, but no token yet.
fn unsigned() -> Outgoing {
    let mut request = Outgoing::post(fixture("text"));
    request.headers = headers_for(&fixture_json("text"));
    request.headers.remove("authorization");
    request
}

#[test]
fn sign_is_what_authenticate_checks() {
    let signed = assert_sign_round_trips(&Abc::default(), &secret(), unsigned());
    let token = format!("Bearer {}", jwt(&claims_at(fixed_now())));
    assert_eq!(signed.header("authorization"), Some(token.as_str()));
    let mut request = unsigned();
    request.headers.remove("destination-id");
    let business = secret_for_business(BUSINESS_ID);
    let signed = assert_sign_round_trips(&Abc::default(), &business, request);
    assert_eq!(signed.header("destination-id"), Some(BUSINESS_ID));
}

#[test]
fn a_freshened_message_has_a_new_id_and_is_still_accepted() {
    let mut request = unsigned();
    Abc::default()
        .freshen(&mut request, &secret(), &mut Fresh::new(fixed_now(), 7))
        .unwrap();
    let signed = assert_sign_round_trips(&Abc::default(), &secret(), request);
    let fresh = run(&Abc::default(), &secret(), &signed.headers, &signed.body).unwrap();
    let original = envelope_of("text");
    assert_eq!(fresh.len(), 1);
    assert_ne!(fresh[0].event_id, original.event_id);
    assert_eq!(fresh[0].message.text, original.message.text);
}

#[test]
fn a_token_signed_with_another_key_is_refused() {
    let other = STANDARD.encode(b"not-the-secret");
    let token = jwt_with_header(
        &other,
        &json!({"alg": "HS256", "typ": "JWT"}),
        &claims_at(fixed_now()),
    );
    assert!(refused(check_with(
        &Abc::default(),
        &secret(),
        Some(&format!("Bearer {token}"))
    )));
}

#[test]
fn a_missing_or_malformed_authorization_is_refused() {
    let token = jwt(&claims_at(fixed_now()));
    for value in [
        None,
        Some(""),
        Some("Bearer"),
        Some("Bearer "),
        Some(token.as_str()),
        Some(&*format!("Basic {token}")),
    ] {
        assert!(
            refused(check_with(&Abc::default(), &secret(), value)),
            "{value:?}"
        );
    }
    for garbage in [
        "a.b",
        "a.b.c.d",
        "...",
        "!!.??.**",
        "eyJhbGciOiJIUzI1NiJ9..",
        "x.y.z",
    ] {
        assert!(
            refused(check_with(
                &Abc::default(),
                &secret(),
                Some(&format!("Bearer {garbage}"))
            )),
            "{garbage}"
        );
    }
}

#[test]
fn only_hs256_is_accepted() {
    let claims = claims_at(fixed_now());
    for alg in [
        json!("none"),
        json!("HS512"),
        json!("RS256"),
        json!("hs256"),
        json!(null),
        json!(256),
    ] {
        let token = jwt_with_header(API_SECRET, &json!({"alg": alg, "typ": "JWT"}), &claims);
        assert!(
            refused(check_with(
                &Abc::default(),
                &secret(),
                Some(&format!("Bearer {token}"))
            )),
            "alg {alg}"
        );
    }
    let unsigned = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(claims.to_string().as_bytes())
    );
    assert!(refused(check_with(
        &Abc::default(),
        &secret(),
        Some(&format!("Bearer {unsigned}"))
    )));
    let critical = jwt_with_header(
        API_SECRET,
        &json!({"alg": "HS256", "crit": ["exp"]}),
        &claims,
    );
    assert!(refused(check_with(
        &Abc::default(),
        &secret(),
        Some(&format!("Bearer {critical}"))
    )));
}

#[test]
fn padded_segments_are_accepted() {
    let token = jwt(&claims_at(fixed_now()));
    let padded: Vec<String> = token
        .split('.')
        .map(|segment| {
            let bytes = URL_SAFE_NO_PAD.decode(segment).unwrap();
            base64::engine::general_purpose::URL_SAFE.encode(bytes)
        })
        .collect();
    assert!(
        padded.iter().any(|segment| segment.ends_with('=')),
        "the test needs a padded segment"
    );
    // The signature covers the segments as sent, so the padded header and claims are re-signed.
    let signing_input = format!("{}.{}", padded[0], padded[1]);
    let key = STANDARD.decode(API_SECRET).unwrap();
    let signature = base64::engine::general_purpose::URL_SAFE.encode(
        shared_core::verify::hmac_sha256(&key, &[signing_input.as_bytes()]),
    );
    assert_eq!(
        check_with(
            &Abc::default(),
            &secret(),
            Some(&format!("Bearer {signing_input}.{signature}"))
        ),
        Ok(())
    );
}

#[test]
fn changed_claims_break_the_signature() {
    let token = jwt(&claims_at(fixed_now()));
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = b64url(
        json!({"aud": CSP_ID, "iat": now(), "admin": true})
            .to_string()
            .as_bytes(),
    );
    parts[1] = &forged;
    assert!(refused(check_with(
        &Abc::default(),
        &secret(),
        Some(&format!("Bearer {}", parts.join(".")))
    )));
}

#[test]
fn the_audience_must_name_the_csp() {
    assert_eq!(
        check_claims(&json!({"aud": [ "someone-else", CSP_ID ], "iat": now()})),
        Ok(())
    );
    assert!(refused(check_claims(
        &json!({"aud": "someone-else", "iat": now()})
    )));
    assert!(refused(check_claims(
        &json!({"aud": ["someone-else"], "iat": now()})
    )));
    assert!(refused(check_claims(&json!({"iat": now()}))));
    assert!(refused(check_claims(&json!({"aud": 42, "iat": now()}))));
}

#[test]
fn exp_nbf_and_iat_are_checked_with_a_minute_of_skew() {
    assert_eq!(
        check_claims(&json!({"aud": CSP_ID, "iat": now() - 60, "exp": now() + 3600})),
        Ok(())
    );
    assert_eq!(
        check_claims(&json!({"aud": CSP_ID, "iat": now() - 120, "exp": now() - 30})),
        Ok(())
    );
    assert!(refused(check_claims(
        &json!({"aud": CSP_ID, "iat": now() - 7200, "exp": now() - 3600})
    )));
    assert!(refused(check_claims(
        &json!({"aud": CSP_ID, "exp": "tomorrow"})
    )));
    assert_eq!(
        check_claims(&json!({"aud": CSP_ID, "iat": now() + 30})),
        Ok(())
    );
    assert!(refused(check_claims(
        &json!({"aud": CSP_ID, "iat": now() + 120})
    )));
    assert!(refused(check_claims(
        &json!({"aud": CSP_ID, "nbf": now() + 120})
    )));
    assert_eq!(
        check_claims(&json!({"aud": CSP_ID, "iat": now() as f64 - 0.5})),
        Ok(())
    );
    assert_eq!(
        check_claims(&json!({"aud": CSP_ID})),
        Ok(()),
        "Apple documents no exp; no limit without a maximum age"
    );
}

#[test]
fn a_maximum_age_refuses_older_tokens() {
    let abc = Abc {
        max_token_age: Some(Duration::from_secs(300)),
    };
    let with =
        |claims: Value| check_with(&abc, &secret(), Some(&format!("Bearer {}", jwt(&claims))));
    assert_eq!(with(json!({"aud": CSP_ID, "iat": now() - 299})), Ok(()));
    assert_eq!(with(json!({"aud": CSP_ID, "iat": now() - 300})), Ok(()));
    assert!(refused(with(json!({"aud": CSP_ID, "iat": now() - 301}))));
    assert!(
        refused(with(json!({"aud": CSP_ID}))),
        "no iat, no age to check"
    );
    assert_eq!(
        check_claims(&json!({"aud": CSP_ID, "iat": now() - 86_400})),
        Ok(()),
        "without the setting, age is no limit"
    );
}
