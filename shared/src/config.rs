//! Settings read once at start-up from the environment; a bad value fails there, not per request.

use std::time::Duration;

pub use shared_core::setting::ConfigError;

/// The default request body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// What every receiver needs, whatever hosts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `SECRETS_PREFIX`: secret names are `{prefix}{channel}/{bot}`.
    pub secrets_prefix: String,
    /// `SECRETS_TTL_SECONDS`: how long a fetched secret is trusted.
    pub secrets_ttl: Duration,
    /// `UPSTREAM_TIMEOUT_MS`: one deadline shared by the secret lookup and the enqueue.
    pub upstream_timeout: Duration,
    /// `BODY_LIMIT_BYTES`: larger bodies (also once decompressed) are answered 413.
    pub body_limit: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secrets_prefix: "receivers/".to_owned(),
            secrets_ttl: Duration::from_secs(300),
            upstream_timeout: Duration::from_millis(2000),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }
}

impl Settings {
    /// From the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// From any name → value lookup (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let number =
            |name: &'static str, default: u64, min: u64, max: u64| -> Result<u64, ConfigError> {
                let Some(value) = lookup(name) else {
                    return Ok(default);
                };
                match value.trim().parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => Ok(n),
                    _ => Err(ConfigError::Invalid {
                        name,
                        value,
                        reason: "expected a whole number in range",
                    }),
                }
            };
        let secrets_prefix = lookup("SECRETS_PREFIX").unwrap_or(defaults.secrets_prefix);
        if secrets_prefix.len() > 256
            || secrets_prefix
                .chars()
                .any(|c| !(c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)))
        {
            return Err(ConfigError::Invalid {
                name: "SECRETS_PREFIX",
                value: secrets_prefix,
                reason: "Secrets Manager names take letters, digits and /_+=.@-",
            });
        }
        Ok(Self {
            secrets_prefix,
            secrets_ttl: Duration::from_secs(number("SECRETS_TTL_SECONDS", 300, 0, 86_400)?),
            upstream_timeout: Duration::from_millis(number(
                "UPSTREAM_TIMEOUT_MS",
                2000,
                50,
                60_000,
            )?),
            body_limit: usize::try_from(number("BODY_LIMIT_BYTES", 1 << 20, 1024, 64 << 20)?)
                .unwrap_or(DEFAULT_BODY_LIMIT),
        })
    }

    /// The secret's name for a channel's bot.
    pub fn secret_name(&self, channel: &str, bot: &str) -> String {
        format!("{}{channel}/{bot}", self.secrets_prefix)
    }
}

/// Checks `QUEUE_URL`: an http(s) URL with a queue path.
pub fn check_queue_url(url: &str) -> Result<(), ConfigError> {
    let invalid = |reason| ConfigError::Invalid {
        name: "QUEUE_URL",
        value: url.to_owned(),
        reason,
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| invalid("expected an http(s) URL"))?;
    let (host, path) = rest
        .split_once('/')
        .ok_or_else(|| invalid("expected https://host/ACCOUNT/QUEUE"))?;
    if host.is_empty() || path.trim_matches('/').is_empty() || url.chars().any(char::is_whitespace)
    {
        return Err(invalid("expected https://host/ACCOUNT/QUEUE"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_match_the_contract() {
        let settings = from(&[]).unwrap();
        assert_eq!(settings, Settings::default());
        assert_eq!(
            settings.secret_name("telegram", "demo"),
            "receivers/telegram/demo"
        );
        assert_eq!(settings.upstream_timeout, Duration::from_secs(2));
    }

    #[test]
    fn bad_values_fail_with_their_name() {
        let err = from(&[("SECRETS_TTL_SECONDS", "soon")]).unwrap_err();
        assert!(
            err.to_string().starts_with("SECRETS_TTL_SECONDS=\"soon\""),
            "{err}"
        );
        assert!(from(&[("UPSTREAM_TIMEOUT_MS", "0")]).is_err());
        assert!(from(&[("SECRETS_PREFIX", "has space/")]).is_err());
        assert_eq!(
            from(&[("SECRETS_PREFIX", "prod/bots/")])
                .unwrap()
                .secret_name("viber", "b"),
            "prod/bots/viber/b"
        );
    }

    #[test]
    fn queue_urls_are_checked() {
        assert!(
            check_queue_url("https://sqs.eu-west-1.amazonaws.com/123456789012/events.fifo").is_ok()
        );
        assert!(check_queue_url("http://127.0.0.1:5000/000000000000/q").is_ok());
        assert!(check_queue_url("sqs://queue").is_err());
        assert!(check_queue_url("https://host").is_err());
        assert!(check_queue_url("https://host/").is_err());
    }
}
