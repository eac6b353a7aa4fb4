//! Slack Events API, interactivity and slash-command receiver: the pure channel module, used by
//! the Lambda binary and by `receivers serve`.

pub mod slack;

pub use slack::Slack;
