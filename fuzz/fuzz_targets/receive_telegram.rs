//! Telegram: parse and normalize any body (signed by the channel), then serialize the envelopes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::telegram;

fuzz_target!(|body: &[u8]| {
    receivers_fuzz::normalize(
        &telegram_receiver::Telegram,
        &telegram::secret(),
        &telegram::sign(body.to_vec()),
    );
});
