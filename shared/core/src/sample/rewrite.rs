//! Rewrites values inside JSON text without reformatting it, so a sample keeps its bytes except
//! the ids that must be new for every simulation.

/// Rewrites the value of every `"key": value` in `text`. `replace` gets the value's JSON text (a
/// number, or a string with its quotes) and gives the new JSON text, or `None` to keep it.
pub fn rewrite_field(
    text: &str,
    key: &str,
    mut replace: impl FnMut(&str) -> Option<String>,
) -> String {
    let needle = format!("\"{key}\"");
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = rest.find(&needle) {
        let after_key = at + needle.len();
        out.push_str(&rest[..after_key]);
        rest = &rest[after_key..];
        let Some(after_colon) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let value = after_colon.trim_start();
        let length = scalar_length(value);
        if length == 0 {
            continue;
        }
        out.push_str(&rest[..rest.len() - value.len()]);
        let old = &value[..length];
        out.push_str(&replace(old).unwrap_or_else(|| old.to_owned()));
        rest = &value[length..];
    }
    out.push_str(rest);
    out
}

/// The length of the JSON string or number that `value` starts with; 0 for anything else.
fn scalar_length(value: &str) -> usize {
    let bytes = value.as_bytes();
    if bytes.first() == Some(&b'"') {
        let mut index = 1;
        while index < bytes.len() {
            match bytes[index] {
                b'\\' => index += 2,
                b'"' => return index + 1,
                _ => index += 1,
            }
        }
        return 0;
    }
    value
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(value.len())
}

/// A JSON string literal.
pub fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_the_named_fields() {
        let text =
            r#"{"update_id":900, "mid" : "m_1","mids":["m_1"],"type":"mid","x":{"mid":"m\"2"}}"#;
        let numbers = rewrite_field(text, "update_id", |old| {
            assert_eq!(old, "900");
            Some("7".into())
        });
        assert!(numbers.starts_with(r#"{"update_id":7, "#), "{numbers}");
        let mut seen = Vec::new();
        let mids = rewrite_field(text, "mid", |old| {
            seen.push(old.to_owned());
            Some(quoted("new"))
        });
        assert_eq!(seen, [r#""m_1""#, r#""m\"2""#]);
        assert_eq!(
            mids,
            r#"{"update_id":900, "mid" : "new","mids":["m_1"],"type":"mid","x":{"mid":"new"}}"#
        );
        assert_eq!(rewrite_field(text, "absent", |_| None), text);
    }
}
