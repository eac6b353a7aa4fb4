//! Normalization of arbitrary and mutated bodies: no panic, and every envelope is valid.

use proptest::prelude::*;
use receivers_benches::channels::{abc, facebook, slack, telegram, viber};
use receivers_benches::{Outgoing, now, signed};
use serde_json::Value;
use shared_core::channel::{envelope_from, verify};
use shared_core::testing::assert_matches_schema;
use shared_core::{Channel, Outcome, Rejection};

use crate::CASES;
use crate::json::{bodies, keys_of, mutate, mutations};

const RECEIVED_AT: &str = "2026-11-24T13:00:01.120Z";

/// Authenticates `case`, which must pass, then receives it, as the pipeline does.
fn outcome<C: Channel>(
    channel: &C,
    secret: &C::Secret,
    case: &Outgoing,
) -> Result<Outcome, Rejection> {
    let verified = verify(channel, case.as_request(), secret, now())
        .unwrap_or_else(|rejection| panic!("a signed case is refused: {rejection}"));
    channel.receive(&verified, secret, now())
}

/// Receives `case` and checks every envelope it makes against the schema, known issues aside.
fn check<C: Channel>(channel: &C, secret: &C::Secret, case: &Outgoing) {
    if let Ok(Outcome::Events { events, .. }) = outcome(channel, secret, case) {
        for event in events {
            crate::schema::check(&envelope_from(C::NAME, "demo", RECEIVED_AT, event));
        }
    }
}

/// Receives `case` and checks its envelopes against the whole schema.
fn strict<C: Channel>(channel: &C, secret: &C::Secret, case: &Outgoing) {
    let Ok(Outcome::Events { events, .. }) = outcome(channel, secret, case) else {
        panic!("the case is accepted");
    };
    for event in events {
        assert_matches_schema(&envelope_from(C::NAME, "demo", RECEIVED_AT, event));
    }
}

/// A mutated interactivity payload in a `payload=` form, or mutated slash-command fields.
fn slack_forms() -> impl Strategy<Value = Vec<u8>> {
    let fixtures = receivers_benches::fixtures("slack");
    let keys = keys_of(&fixtures);
    let (commands, payloads): (Vec<_>, Vec<_>) = fixtures
        .into_iter()
        .filter(|(name, _)| !name.starts_with("events"))
        .filter_map(|(name, body)| Some((name, serde_json::from_slice::<Value>(&body).ok()?)))
        .partition(|(name, _)| name.starts_with("commands"));
    let commands: Vec<Value> = commands.into_iter().map(|(_, value)| value).collect();
    let payloads: Vec<Value> = payloads.into_iter().map(|(_, value)| value).collect();
    prop_oneof![
        (prop::sample::select(payloads), mutations(keys.clone())).prop_map(
            |(document, changes)| {
                let payload = serde_json::to_vec(&mutate(document, &changes)).unwrap_or_default();
                slack::form(&payload)
            }
        ),
        (prop::sample::select(commands), mutations(keys)).prop_map(|(document, changes)| {
            let fields: Vec<(String, String)> = match mutate(document, &changes) {
                Value::Object(map) => map
                    .into_iter()
                    .map(|(key, value)| match value {
                        Value::String(text) => (key, text),
                        other => (key, other.to_string()),
                    })
                    .collect(),
                other => vec![("command".to_owned(), other.to_string())],
            };
            serde_urlencoded::to_string(fields)
                .unwrap_or_default()
                .into_bytes()
        }),
        "[a-z_=&%0-9A-F+]{0,80}".prop_map(String::into_bytes),
    ]
}

/// Apple's routing headers, each missing, odd, or as Apple sends it.
fn abc_headers() -> impl Strategy<Value = Vec<(&'static str, Option<String>)>> {
    let names = [
        "id",
        "source-id",
        "destination-id",
        "locale",
        "capability-list",
        "capabilities",
        "device-agent",
    ];
    let value = prop::option::of(prop_oneof![
        Just(abc::SOURCE_ID.to_owned()),
        Just("AUTH,LIST, ,TIME,".to_owned()),
        "[ -~]{0,24}",
    ]);
    prop::collection::vec(value, names.len())
        .prop_map(move |values| names.into_iter().zip(values).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn telegram_normalizes_any_body(body in bodies("telegram")) {
        check(&telegram_receiver::Telegram, &telegram::secret(), &telegram::sign(body));
    }

    #[test]
    fn viber_normalizes_any_body(body in bodies("viber")) {
        check(&viber_receiver::Viber, &viber::secret(), &viber::sign(body));
    }

    #[test]
    fn facebook_normalizes_any_body(body in bodies("facebook")) {
        check(&facebook_receiver::Facebook, &facebook::secret(), &facebook::sign(body));
    }

    #[test]
    fn slack_normalizes_any_json_body(body in bodies("slack")) {
        check(&slack_receiver::Slack, &slack::secret(), &slack::sign(body));
    }

    #[test]
    fn slack_normalizes_any_form(body in slack_forms()) {
        check(&slack_receiver::Slack, &slack::secret(), &slack::sign(body));
    }

    #[test]
    fn abc_normalizes_any_body_and_headers(body in bodies("abc"), headers in abc_headers()) {
        // Not bound to a business, so that any `destination-id` gets as far as `receive`.
        let (abc, secret) = (abc_receiver::Abc::default(), abc::any_business_secret());
        let mut case = abc::unsigned(body);
        for (name, value) in headers {
            match value.and_then(|value| http::HeaderValue::from_str(&value).ok()) {
                Some(value) => case.headers.insert(name, value),
                None => case.headers.remove(name),
            };
        }
        check(&abc, &secret, &signed(&abc, &secret, case));
    }
}

// Hostile shapes that once produced envelopes outside the schema, or a panic.

#[test]
fn hostile_facebook_mid_with_a_line_break() {
    let body = br#"{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"7"},"recipient":{"id":"1"},"timestamp":1795525200000,"message":{"mid":"m\r1","text":"x"}}]}]}"#;
    strict(
        &facebook_receiver::Facebook,
        &facebook::secret(),
        &facebook::sign(body.to_vec()),
    );
}

#[test]
fn hostile_slack_event_id_with_a_line_break() {
    let body = br#"{"type":"event_callback","event_id":"Ev\n1","event":{"type":"message","channel":"C1","user":"U1","text":"x","ts":"1.2"}}"#;
    strict(
        &slack_receiver::Slack,
        &slack::secret(),
        &slack::sign(body.to_vec()),
    );
}

#[test]
fn hostile_abc_id_with_a_line_break() {
    let body = br#"{"v":1,"id":"5d2f\u2028","sourceId":"urn:mbid:x","destinationId":"d","type":"text","body":"x"}"#;
    let mut case = abc::sign(body.to_vec());
    case.headers.remove("id");
    strict(&abc_receiver::Abc::default(), &abc::secret(), &case);
}

#[test]
fn hostile_telegram_latitude_out_of_range() {
    let body = br#"{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"location":{"latitude":91,"longitude":13.4}}}"#;
    strict(
        &telegram_receiver::Telegram,
        &telegram::secret(),
        &telegram::sign(body.to_vec()),
    );
}

#[test]
fn hostile_facebook_empty_chat_id() {
    let body = br#"{"object":"page","entry":[{"id":"","time":1,"messaging":[{"sender":{"id":[]},"recipient":{"id":"1"},"timestamp":1795525200000,"optin":{"ref":"r","user_ref":"u"}}]}]}"#;
    strict(
        &facebook_receiver::Facebook,
        &facebook::secret(),
        &facebook::sign(body.to_vec()),
    );
}

#[test]
fn hostile_telegram_photo_sizes_that_overflow() {
    let body = br#"{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"photo":[{"file_id":"a","width":18446744073709551615,"height":2}]}}"#;
    strict(
        &telegram_receiver::Telegram,
        &telegram::secret(),
        &telegram::sign(body.to_vec()),
    );
}
