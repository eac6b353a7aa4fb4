//! SQS FIFO ids: the message group (order per chat) and the deduplication id (per event).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::envelope::Envelope;
use crate::verify::sha256_hex;

/// SQS takes 1 to 128 characters of ASCII letters, digits and punctuation in both ids.
pub fn is_valid_sqs_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic())
}

/// `{channel}:{bot}:{chat_id}`, or `{channel}:{bot}:` + base64url(SHA-256(chat_id)) when that
/// would not be a valid id (Apple's customer ids alone are ~170 characters).
pub fn group_id(envelope: &Envelope) -> String {
    let literal = format!("{}:{}:{}", envelope.channel, envelope.bot, envelope.chat_id);
    if is_valid_sqs_id(&literal) {
        return literal;
    }
    let digest = Sha256::digest(envelope.chat_id.as_bytes());
    format!(
        "{}:{}:{}",
        envelope.channel,
        envelope.bot,
        URL_SAFE_NO_PAD.encode(digest)
    )
}

/// The `event_id` itself when it is a valid id, else its SHA-256 in hex.
pub fn deduplication_id(event_id: &str) -> String {
    if is_valid_sqs_id(event_id) {
        event_id.to_owned()
    } else {
        sha256_hex(event_id.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::sample_envelope;

    #[test]
    fn short_ids_are_kept_literally() {
        let envelope = sample_envelope("telegram", "demo", "-1001234567890", "telegram:demo:42");
        assert_eq!(group_id(&envelope), "telegram:demo:-1001234567890");
        assert_eq!(deduplication_id(&envelope.event_id), "telegram:demo:42");
    }

    #[test]
    fn long_chat_ids_are_hashed_into_the_group() {
        let chat = format!("urn:mbid:{}", "A".repeat(170));
        let envelope = sample_envelope("abc", "demo", &chat, "abc:demo:1");
        let group = group_id(&envelope);
        assert!(is_valid_sqs_id(&group), "{group}");
        assert!(group.starts_with("abc:demo:"));
        // base64url of 32 bytes, unpadded: 43 characters
        assert_eq!(group.len(), "abc:demo:".len() + 43);
        assert_eq!(group, group_id(&envelope.clone()), "stable");
    }

    #[test]
    fn non_ascii_or_long_event_ids_become_their_hash() {
        let long = format!("slack:demo:{}", "x".repeat(200));
        let hashed = deduplication_id(&long);
        assert_eq!(hashed.len(), 64);
        assert!(is_valid_sqs_id(&hashed));
        assert_eq!(deduplication_id("viber:démo:1").len(), 64);
        assert_eq!(deduplication_id("a b").len(), 64, "a space is not allowed");
    }

    #[test]
    fn the_limits_are_1_to_128() {
        assert!(!is_valid_sqs_id(""));
        assert!(is_valid_sqs_id(&"a".repeat(128)));
        assert!(!is_valid_sqs_id(&"a".repeat(129)));
    }
}
