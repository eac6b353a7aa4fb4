//! Slack's form bodies: interactivity (`payload=` + JSON) and slash commands, through `receive`.
//! An input starting with byte 1 is a payload's JSON, sent form-encoded; any other is the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::slack;

fuzz_target!(|data: &[u8]| {
    let body = match data.split_first() {
        Some((1, payload)) => slack::form(payload),
        _ => data.to_vec(),
    };
    receivers_fuzz::normalize(&slack_receiver::Slack, &slack::secret(), &slack::sign(body));
});
