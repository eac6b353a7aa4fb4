//! One module per messenger: the demo bot's secret, a request signed the way the platform signs
//! it, and a realistic body grown to a target size by its knob (words, entities, items, files).

pub mod abc;
pub mod facebook;
pub mod slack;
pub mod telegram;
pub mod viber;
pub mod whatsapp;

/// The two body sizes the benches measure.
pub const SIZES: [(&str, usize); 2] = [("1KB", 1024), ("16KB", 16 * 1024)];
