//! Viber REST Bot API webhook receiver: the pure channel module, used by the Lambda binary and by `receivers serve`.

pub mod viber;

pub use viber::Viber;
