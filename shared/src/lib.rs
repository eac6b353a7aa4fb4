//! The runtime every messenger receiver runs: the pipeline and the parts with I/O around it.
//!
//! A channel module (one per messenger) is pure: it implements [`channel::Channel`] from the
//! core crate (`shared-core`: envelope, channel, verification, ids, time, secrets), re-exported
//! here. Everything with I/O — secrets, queue, HTTP, Lambda — lives here, behind the traits of
//! [`ports`], so the Lambda binaries and the local server run the same code.

pub mod config;
pub mod fifo;
pub mod http;
pub mod ledger;
pub mod metrics;
pub mod pipeline;
pub mod ports;
pub mod secrets;
pub mod secrets_file;
pub mod spool;
pub mod telemetry;

#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "aws")]
pub mod lambda;

#[cfg(any(test, feature = "testing"))]
pub use shared_core::testing;
pub use shared_core::{
    Attachment, Channel, Envelope, Event, EventKind, Location, Message, MessageType, Outcome,
    Rejection, Reply, Request, SecretString, User,
};
pub use shared_core::{channel, envelope, ids, meta, sample, secret, time, verify};
