//! A configuration value that is missing or not valid: a start-up failure, never a per-request one.

/// Why a setting was refused: it names the setting, the value and what was expected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name}={value:?} is not valid: {reason}")]
    Invalid {
        name: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error("{0} must be set")]
    Missing(&'static str),
}
