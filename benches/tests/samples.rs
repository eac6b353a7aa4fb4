//! The benches' sample requests: each size is near its target, signed correctly, and makes
//! envelopes that match the schema.

use receivers_benches::channels::{SIZES, abc, facebook, slack, telegram, viber};
use receivers_benches::{Outgoing, now};
use shared_core::channel::{envelope_from, verify};
use shared_core::testing::assert_matches_schema;
use shared_core::{Channel, Outcome};

fn accepted<C: Channel>(channel: &C, secret: &C::Secret, case: &Outgoing) -> usize {
    let decoded = channel
        .decode_body(&case.as_request(), receivers_benches::BODY_LIMIT)
        .expect("the body decodes");
    let request = shared_core::Request {
        body: decoded.as_deref().unwrap_or(&case.body),
        ..case.as_request()
    };
    let verified = verify(channel, request, secret, now()).expect("the sample is signed");
    let Outcome::Events { events, echoes } = channel
        .receive(&verified, secret, now())
        .expect("the sample is accepted")
    else {
        panic!("a handshake");
    };
    assert_eq!(echoes, 0);
    for event in &events {
        assert_matches_schema(&envelope_from(
            C::NAME,
            "demo",
            "2026-11-24T13:00:01.120Z",
            event.clone(),
        ));
    }
    events.len()
}

fn near(body: &[u8], target: usize) {
    let len = body.len();
    assert!(
        len >= target * 9 / 10 && len <= target * 11 / 10,
        "{len} bytes for {target}"
    );
}

#[test]
fn every_sample_is_accepted_near_its_size() {
    for (_, target) in SIZES {
        let body = telegram::sized(target);
        near(&body, target);
        assert_eq!(
            accepted(
                &telegram_receiver::Telegram,
                &telegram::secret(),
                &telegram::sign(body)
            ),
            1
        );
        let body = viber::sized(target);
        near(&body, target);
        assert_eq!(
            accepted(&viber_receiver::Viber, &viber::secret(), &viber::sign(body)),
            1
        );
        let body = facebook::sized(target);
        near(&body, target);
        let events = facebook::events(&body);
        assert_eq!(
            accepted(
                &facebook_receiver::Facebook,
                &facebook::secret(),
                &facebook::sign(body)
            ),
            events
        );
        let body = slack::sized(target);
        near(&body, target);
        assert_eq!(
            accepted(&slack_receiver::Slack, &slack::secret(), &slack::sign(body)),
            1
        );
        let body = abc::sized(target);
        near(&body, target);
        let abc = abc_receiver::Abc::default();
        assert_eq!(accepted(&abc, &abc::secret(), &abc::sign(body.clone())), 1);
        assert_eq!(
            accepted(&abc, &abc::secret(), &abc::gzipped(abc::sign(body))),
            1
        );
    }
}

#[test]
fn texts_stay_within_the_platforms_limits() {
    let update: serde_json::Value = serde_json::from_slice(&telegram::sized(16 * 1024)).unwrap();
    for text in [
        &update["message"]["text"],
        &update["message"]["reply_to_message"]["text"],
    ] {
        let text = text.as_str().unwrap();
        assert!(text.encode_utf16().count() <= 4096);
    }
    let callback: serde_json::Value = serde_json::from_slice(&viber::sized(16 * 1024)).unwrap();
    assert!(
        callback["message"]["text"]
            .as_str()
            .unwrap()
            .encode_utf16()
            .count()
            <= 7000
    );
    assert!(callback["message"]["tracking_data"].as_str().unwrap().len() <= 4096);
}

#[test]
fn a_slack_interactivity_form_is_accepted() {
    let payload = std::fs::read(
        receivers_benches::fixtures_dir("slack").join("interactivity/block_actions_button.json"),
    )
    .unwrap();
    let case = slack::sign(slack::form(&payload));
    assert_eq!(accepted(&slack_receiver::Slack, &slack::secret(), &case), 1);
}
