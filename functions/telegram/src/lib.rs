//! Telegram Bot API webhook receiver: the pure channel module, used by the Lambda binary and
//! by `receivers serve`.

pub mod telegram;

pub use telegram::Telegram;
