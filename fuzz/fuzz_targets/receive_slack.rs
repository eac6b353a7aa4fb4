//! Slack: parse and normalize any body (signed by the channel), then serialize the envelopes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::slack;

fuzz_target!(|body: &[u8]| {
    receivers_fuzz::normalize(
        &slack_receiver::Slack,
        &slack::secret(),
        &slack::sign(body.to_vec()),
    );
});
