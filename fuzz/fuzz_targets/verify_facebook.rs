//! Meta's GET handshake and `X-Hub-Signature-256` check on any method, query, headers and body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::facebook;
use receivers_fuzz::{Input, merge};
use shared_core::Channel;

fuzz_target!(|input: Input| {
    let case = input.case(&["x-hub-signature-256", "content-type"]);
    let case = if input.sign {
        merge(facebook::sign(input.body.clone()), case)
    } else {
        case
    };
    let channel = facebook_receiver::Facebook;
    if channel
        .authenticate(&case.request(), &facebook::secret(), input.now())
        .is_ok()
    {
        // A handshake that passed: its challenge is read from the query.
        let _ = channel.receive(&case.request(), &facebook::secret(), input.now());
    }
});
