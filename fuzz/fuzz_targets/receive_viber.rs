//! Viber: parse and normalize any body (signed by the channel), then serialize the envelopes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::viber;

fuzz_target!(|body: &[u8]| {
    receivers_fuzz::normalize(
        &viber_receiver::Viber,
        &viber::secret(),
        &viber::sign(body.to_vec()),
    );
});
