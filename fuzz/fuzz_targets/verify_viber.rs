//! Viber's `X-Viber-Content-Signature` check on any headers and body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::viber;
use receivers_fuzz::{Input, merge};
use shared_core::Channel;

fuzz_target!(|input: Input| {
    let case = input.case(&["x-viber-content-signature", "content-type"]);
    let case = if input.sign {
        merge(viber::sign(input.body.clone()), case)
    } else {
        case
    };
    let result = viber_receiver::Viber.authenticate(&case.request(), &viber::secret(), input.now());
    assert!(
        !input.sign || result.is_ok(),
        "a correctly signed body is refused"
    );
});
