//! Viber's `X-Viber-Content-Signature` check on any headers and body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::viber;
use receivers_benches::signed;
use receivers_fuzz::Input;
use shared_core::Channel;

fuzz_target!(|input: Input| {
    let mut case = input.case(&["x-viber-content-signature", "content-type"]);
    if input.sign {
        case = signed(&viber_receiver::Viber, &viber::secret(), case);
    }
    let result =
        viber_receiver::Viber.authenticate(&case.as_request(), &viber::secret(), input.now());
    assert!(
        !input.sign || result.is_ok(),
        "a correctly signed body is refused"
    );
});
