//! Slack's `X-Slack-Signature` and timestamp check on any headers, body and clock; when signed,
//! `Slack::sign` signs the body at the fixed "now", which the input's clock may be far from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::slack;
use receivers_benches::signed;
use receivers_fuzz::Input;
use shared_core::Channel;

fuzz_target!(|input: Input| {
    let mut case = input.case(&[
        "x-slack-request-timestamp",
        "x-slack-signature",
        "x-slack-retry-num",
    ]);
    if input.sign {
        case = signed(&slack_receiver::Slack, &slack::secret(), case);
    }
    let _ = slack_receiver::Slack.authenticate(&case.as_request(), &slack::secret(), input.now());
});
