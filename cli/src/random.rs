//! Fresh random values from the operating system: secret tokens and platform-shaped ids.

const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn bytes<const N: usize>() -> [u8; N] {
    let mut buffer = [0u8; N];
    if let Err(err) = getrandom::fill(&mut buffer) {
        // Without the system's randomness no secret could be trusted: stop here.
        panic!("the system's random source failed: {err}");
    }
    buffer
}

/// `len` characters of `[A-Za-z0-9_-]`, each uniformly drawn.
pub fn token(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for byte in bytes::<32>() {
            if out.len() < len {
                out.push(char::from(URL_SAFE[usize::from(byte & 63)]));
            }
        }
    }
    out
}

/// A number in `[low, low + span)`.
pub fn number(low: u64, span: u64) -> u64 {
    low + u64::from_le_bytes(bytes::<8>()) % span.max(1)
}

/// `len` lower-case hex digits.
pub fn hex(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for byte in bytes::<16>() {
            out.push_str(&format!("{byte:02x}"));
        }
    }
    out.truncate(len);
    out
}

/// `len` characters of `[A-Z0-9]`, as Slack's ids are.
pub fn upper_alphanumeric(len: usize) -> String {
    const ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    (0..len)
        .map(|_| char::from(ALPHABET[usize::try_from(number(0, 36)).unwrap_or(0)]))
        .collect()
}

/// A random (version 4) UUID, lower case.
pub fn uuid() -> String {
    let mut raw = bytes::<16>();
    raw[6] = (raw[6] & 0x0f) | 0x40;
    raw[8] = (raw[8] & 0x3f) | 0x80;
    let hex: String = raw.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_length_and_alphabet_asked_for() {
        let token = token(48);
        assert_eq!(token.len(), 48);
        assert!(
            token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(token, super::token(48));
        assert_eq!(hex(33).len(), 33);
        assert!((10..20).contains(&number(10, 10)));
        let uuid = uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.as_bytes()[14], b'4');
        assert_eq!(upper_alphanumeric(9).len(), 9);
    }
}
