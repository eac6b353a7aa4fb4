//! Properties of every channel: normalization never panics on any JSON and every envelope it
//! makes matches the schema; authentication and body decoding never panic on any input.

mod authenticate;
mod json;
mod normalize;
mod schema;

/// Cases per property: enough to shake out a panic, few enough for a debug test run.
const CASES: u32 = 512;
