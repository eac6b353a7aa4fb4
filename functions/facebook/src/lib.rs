//! Facebook Messenger (Meta webhooks) receiver: the pure channel module, used by the Lambda binary and by `receivers serve`.

pub mod facebook;

pub use facebook::Facebook;
