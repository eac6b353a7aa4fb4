//! The values `connect`'s flags take, checked as clap parses them.

use shared::SecretString;

/// A bot name as routes take it: `[A-Za-z0-9_-]{1,64}`.
pub fn parse_bot_name(name: &str) -> Result<String, String> {
    let valid = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(name.to_owned())
    } else {
        Err("expected 1 to 64 letters, digits, '_' or '-'".to_owned())
    }
}

/// An http(s) base URL, without a trailing slash.
pub fn parse_base_url(url: &str) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url).map_err(|err| err.to_string())?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err("expected an http(s) URL such as https://api.example.com".to_owned());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("expected a base URL without ?query or #fragment".to_owned());
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// A credential flag's value; its `Debug` shows only its length.
pub fn parse_secret(value: &str) -> Result<SecretString, String> {
    let value = value.trim();
    if value.is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(SecretString::new(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_names_and_urls_are_checked() {
        assert!(parse_bot_name("my_bot-1").is_ok());
        assert!(parse_bot_name("").is_err());
        assert!(parse_bot_name("a/b").is_err());
        assert!(parse_bot_name(&"x".repeat(65)).is_err());
        assert_eq!(
            parse_base_url("https://api.example.com/prod/").as_deref(),
            Ok("https://api.example.com/prod")
        );
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("api.example.com").is_err());
    }
}
