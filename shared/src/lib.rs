//! The pipeline every messenger receiver runs, and the parts it is made of.
//!
//! A channel module (one per messenger) is pure: it implements [`channel::Channel`]. Everything
//! with I/O — secrets, queue, HTTP, Lambda — lives here, behind the traits of [`ports`], so the
//! Lambda binaries and the local server run the same code.

pub mod channel;
pub mod config;
pub mod envelope;
pub mod fifo;
pub mod http;
pub mod ids;
pub mod meta;
pub mod pipeline;
pub mod ports;
pub mod secret;
pub mod secrets;
pub mod secrets_file;
pub mod spool;
pub mod telemetry;
pub mod time;
pub mod verify;

#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "aws")]
pub mod lambda;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use channel::{Channel, Event, Outcome, Rejection, Reply, Request};
pub use envelope::{Attachment, Envelope, EventKind, Location, Message, MessageType, User};
pub use secret::SecretString;
