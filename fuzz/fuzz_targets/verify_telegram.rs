//! Telegram's secret-token check on any headers and body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receivers_benches::channels::telegram;
use receivers_benches::signed;
use receivers_fuzz::Input;
use shared_core::Channel;

fuzz_target!(|input: Input| {
    let mut case = input.case(&["x-telegram-bot-api-secret-token", "content-type"]);
    if input.sign {
        case = signed(&telegram_receiver::Telegram, &telegram::secret(), case);
    }
    let _ = telegram_receiver::Telegram.authenticate(
        &case.as_request(),
        &telegram::secret(),
        input.now(),
    );
});
