//! Telegram's secret-token check on any headers and body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::telegram;
use receivers_fuzz::{Input, merge};
use shared_core::Channel;

fuzz_target!(|input: Input| {
    let case = input.case(&["x-telegram-bot-api-secret-token", "content-type"]);
    let case = if input.sign {
        merge(telegram::sign(input.body.clone()), case)
    } else {
        case
    };
    let _ =
        telegram_receiver::Telegram.authenticate(&case.request(), &telegram::secret(), input.now());
});
