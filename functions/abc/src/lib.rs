//! Apple Messages for Business webhook receiver: the pure channel module, used by the Lambda binary and by `receivers serve`.

pub mod abc;

pub use abc::{Abc, AbcSecret};
