//! Facebook: parse and normalize any body (signed by the channel), then serialize the envelopes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::facebook;

fuzz_target!(|body: &[u8]| {
    receivers_fuzz::normalize(
        &facebook_receiver::Facebook,
        &facebook::secret(),
        &facebook::sign(body.to_vec()),
    );
});
