//! Meta's GET handshake and `X-Hub-Signature-256` check on any method, query, headers and body;
//! when signed, `Facebook::sign` signs the request (a GET gets the verify token).
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::facebook;
use receivers_benches::signed;
use receivers_fuzz::Input;
use shared_core::Channel;
use shared_core::channel::verify;

fuzz_target!(|input: Input| {
    let channel = facebook_receiver::Facebook;
    let mut case = input.case(&["x-hub-signature-256", "content-type"]);
    if input.sign {
        case = signed(&channel, &facebook::secret(), case);
    }
    if let Ok(verified) = verify(
        &channel,
        case.as_request(),
        &facebook::secret(),
        input.now(),
    ) {
        // A handshake that passed: its challenge is read from the query.
        let _ = channel.receive(&verified, &facebook::secret(), input.now());
    }
});
