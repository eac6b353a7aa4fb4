//! Signature checks shared by the channels: HMAC-SHA256, constant-time comparison, clock skew.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of the concatenated `parts` keyed with `key`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Whether `given_hex` (any case) is the hex form of `expected`, compared in constant time.
pub fn hex_signature_matches(expected: &[u8; 32], given_hex: &str) -> bool {
    match decode_hex32(given_hex.trim()) {
        Some(given) => constant_time_eq(expected, &given),
        None => false,
    }
}

fn decode_hex32(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *slot = (hex_digit(pair[0])? << 4) | hex_digit(pair[1])?;
    }
    Some(out)
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Lower-case hex of SHA-256(bytes): stable stand-in ids and hashed queue ids.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// Lower-case hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    out
}

/// Seconds since the Unix epoch (0 for times before it).
pub fn unix_seconds(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |elapsed| {
        i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
    })
}

/// Whether the Unix time `seconds` lies within `tolerance` of `now`, either way.
pub fn within(seconds: i64, now: SystemTime, tolerance: Duration) -> bool {
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    unix_seconds(now).abs_diff(seconds) <= tolerance.unsigned_abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            to_hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn sha256_hex_matches_fips_180_2() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hex_signature_accepts_either_case_and_refuses_the_rest() {
        let mac = hmac_sha256(b"key", &[b"body"]);
        let hex = to_hex(&mac);
        assert!(hex_signature_matches(&mac, &hex));
        assert!(hex_signature_matches(&mac, &hex.to_uppercase()));
        assert!(!hex_signature_matches(&mac, &hex[..62]));
        assert!(!hex_signature_matches(&mac, &format!("{}0", &hex[..63])));
        assert!(!hex_signature_matches(&mac, &format!("{}zz", &hex[..62])));
        assert!(!hex_signature_matches(&mac, ""));
    }

    #[test]
    fn within_is_symmetric_and_inclusive() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let five_minutes = Duration::from_secs(300);
        assert!(within(1_000_300, now, five_minutes));
        assert!(within(999_700, now, five_minutes));
        assert!(!within(1_000_301, now, five_minutes));
        assert!(!within(999_699, now, five_minutes));
        assert!(!within(i64::MIN, now, five_minutes));
    }
}
