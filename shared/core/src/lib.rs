//! The pure core of every receiver, with no I/O: the envelope on the queue, the `Channel` trait a
//! messenger implements (authenticate, sign, receive), signature and time helpers, ids as
//! platforms send them, and secrets that never print. Consumers of the queue (a Main process, a
//! fuzz target) depend on this crate alone, without tokio or the AWS SDK.

pub mod channel;
pub mod envelope;
pub mod ids;
pub mod meta;
pub mod sample;
pub mod secret;
pub mod setting;
pub mod time;
pub mod verify;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use channel::{Channel, Event, Outcome, Rejection, Reply, Request, Verified, verify};
pub use envelope::{
    Attachment, Envelope, EventKind, Location, Message, MessageType, RawJson, User,
};
pub use secret::SecretString;
