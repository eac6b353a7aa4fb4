//! Slack's `X-Slack-Signature` and timestamp check on any headers, body and clock; when signed,
//! the signature covers whatever timestamp header the input has.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::slack;
use receivers_fuzz::Input;
use shared_core::Channel;
use shared_core::verify::{hmac_sha256, to_hex};

fuzz_target!(|input: Input| {
    let mut case = input.case(&[
        "x-slack-request-timestamp",
        "x-slack-signature",
        "x-slack-retry-num",
    ]);
    if input.sign {
        let timestamp = case
            .headers
            .get("x-slack-request-timestamp")
            .map(|v| v.as_bytes().to_vec());
        let mac = hmac_sha256(
            slack::SIGNING_SECRET.as_bytes(),
            &[
                b"v0:",
                timestamp.as_deref().unwrap_or_default(),
                b":",
                &input.body,
            ],
        );
        case = case.header("x-slack-signature", &format!("v0={}", to_hex(&mac)));
    }
    let _ = slack_receiver::Slack.authenticate(&case.request(), &slack::secret(), input.now());
});
