//! Authentication and body decoding on arbitrary input: never a panic. Also the inputs that
//! get past the signature: signed arbitrary bodies, Slack timestamps, JWT headers and claims.

use std::time::{Duration, UNIX_EPOCH};

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use proptest::prelude::*;
use receivers_benches::channels::{abc, facebook, slack, telegram, viber};
use receivers_benches::{BODY_LIMIT, Outgoing, now, signed_at};
use serde_json::Value;
use shared_core::Channel;
use shared_core::channel::verify;

use crate::CASES;
use crate::json::tree;

#[path = "../../../tests/support/forged.rs"]
mod forged;

const NAMES: [&str; 10] = [
    "x-telegram-bot-api-secret-token",
    "x-viber-content-signature",
    "x-hub-signature-256",
    "x-slack-request-timestamp",
    "x-slack-signature",
    "authorization",
    "destination-id",
    "content-encoding",
    "content-type",
    "x-other",
];

/// Any method, headers (known names, any bytes a header may hold), query and body.
fn requests() -> impl Strategy<Value = Outgoing> {
    let value = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..80),
        "(sha256=|v0=|Bearer |bearer )[0-9a-zA-Z._=-]{0,90}".prop_map(String::into_bytes),
    ];
    let headers = prop::collection::vec((prop::sample::select(NAMES.to_vec()), value), 0..6);
    let query = prop::option::of("(hub\\.(mode|verify_token|challenge)=[a-z%0-9-]{0,30}&?){0,3}");
    (
        any::<bool>(),
        headers,
        query,
        prop::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(get, headers, query, body)| {
            let mut map = HeaderMap::new();
            for (name, value) in headers {
                if let Ok(value) = HeaderValue::from_bytes(&value) {
                    map.append(HeaderName::from_static(name), value);
                }
            }
            Outgoing {
                method: if get { Method::GET } else { Method::POST },
                path_suffix: String::new(),
                query,
                headers: map,
                body,
            }
        })
}

fn try_all(case: &Outgoing) {
    let request = case.as_request();
    let _ = telegram_receiver::Telegram.authenticate(&request, &telegram::secret(), now());
    let _ = viber_receiver::Viber.authenticate(&request, &viber::secret(), now());
    let facebook = facebook_receiver::Facebook;
    if let Ok(verified) = verify(&facebook, request, &facebook::secret(), now()) {
        let _ = facebook.receive(&verified, &facebook::secret(), now());
    }
    let _ = slack_receiver::Slack.authenticate(&request, &slack::secret(), now());
    let abc = abc_receiver::Abc {
        max_token_age: Some(Duration::from_secs(600)),
    };
    let _ = abc.decode_body(&request, BODY_LIMIT);
    let _ = abc.authenticate(&request, &abc::secret(), now());
}

/// A Slack event body, as the timestamp properties sign it.
const SLACK_EVENT: &[u8] = b"{\"type\":\"event_callback\"}";

/// JWT headers and claims over the fields the verifier reads, of any type.
fn jwt_part() -> impl Strategy<Value = Vec<u8>> {
    let keys = ["alg", "typ", "crit", "aud", "exp", "nbf", "iat", "iss"].map(str::to_owned);
    prop_oneof![
        tree(keys.to_vec()).prop_map(|value| value.to_string().into_bytes()),
        (
            -2_000_000_000_i64..4_000_000_000,
            prop::option::of(-3_600_i64..3_600)
        )
            .prop_map(|(iat, exp)| {
                let mut claims =
                    serde_json::json!({"alg": "HS256", "aud": [abc::CSP_ID, "other"], "iat": iat});
                if let Some(exp) = exp {
                    claims["exp"] = Value::from(iat + exp);
                }
                claims.to_string().into_bytes()
            }),
        prop::collection::vec(any::<u8>(), 0..40),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn no_verifier_panics_on_any_request(case in requests()) {
        try_all(&case);
    }

    #[test]
    fn signed_bodies_pass_and_never_panic(body in prop::collection::vec(any::<u8>(), 0..300)) {
        let viber = viber::sign(body.clone());
        prop_assert!(verify(&viber_receiver::Viber, viber.as_request(), &viber::secret(), now()).is_ok());
        let facebook = facebook::sign(body.clone());
        prop_assert!(verify(&facebook_receiver::Facebook, facebook.as_request(), &facebook::secret(), now()).is_ok());
        let slack = slack::sign(body);
        prop_assert!(verify(&slack_receiver::Slack, slack.as_request(), &slack::secret(), now()).is_ok());
    }

    #[test]
    fn slack_takes_only_timestamps_within_five_minutes(signed_at_seconds in prop_oneof![
        0_u64..4_000_000_000,
        (-400_i64..400).prop_map(|skew| 1_795_525_200_u64.saturating_add_signed(skew)),
    ]) {
        let at = UNIX_EPOCH + Duration::from_secs(signed_at_seconds);
        let case = signed_at(&slack_receiver::Slack, &slack::secret(), slack::unsigned(SLACK_EVENT.to_vec()), at);
        let accepted = verify(&slack_receiver::Slack, case.as_request(), &slack::secret(), now()).is_ok();
        prop_assert_eq!(accepted, signed_at_seconds.abs_diff(1_795_525_200) <= 300);
    }

    #[test]
    fn slack_refuses_any_timestamp_but_the_signed_one(timestamp in prop_oneof![
        any::<i64>().prop_map(|t| t.to_string()),
        (-400_i64..400).prop_map(|skew| (1_795_525_200 + skew).to_string()),
        "[ +0-9.e-]{0,24}",
    ]) {
        let mut case = slack::sign(SLACK_EVENT.to_vec());
        let signed_timestamp = case.header("x-slack-request-timestamp").map(str::to_owned);
        if let Ok(value) = HeaderValue::from_str(&timestamp) {
            case.headers.insert("x-slack-request-timestamp", value);
        }
        let accepted = verify(&slack_receiver::Slack, case.as_request(), &slack::secret(), now()).is_ok();
        let unchanged = case.header("x-slack-request-timestamp").map(str::to_owned) == signed_timestamp;
        prop_assert_eq!(accepted, unchanged);
    }

    #[test]
    fn abc_reads_any_signed_token_without_panicking(
        header in jwt_part(),
        claims in jwt_part(),
        max_age in prop::option::of(1_u64..=86_400),
    ) {
        let token = forged::forged_apple_jwt(&header, &claims, &abc::key());
        let mut case = abc::sign(abc::sized(512));
        case.set_header("authorization", &format!("Bearer {token}")).expect("a header value");
        let abc = abc_receiver::Abc { max_token_age: max_age.map(Duration::from_secs) };
        let _ = abc.authenticate(&case.as_request(), &abc::secret(), now());
    }

    #[test]
    fn abc_inflates_what_was_gzipped_and_refuses_junk(body in prop::collection::vec(any::<u8>(), 0..2000), gzip in any::<bool>()) {
        let abc = abc_receiver::Abc::default();
        let mut case = Outgoing::post(body.clone());
        if gzip {
            case = abc::gzipped(case);
        } else {
            case.set_header("content-encoding", "gzip").expect("a header value");
        }
        match abc.decode_body(&case.as_request(), BODY_LIMIT) {
            Ok(Some(inflated)) => prop_assert_eq!(inflated, body, "only a real gzip stream inflates"),
            Ok(None) => prop_assert!(false, "a gzip content-encoding is always decoded"),
            Err(_) => prop_assert!(!gzip, "a real gzip stream inflates"),
        }
    }
}
