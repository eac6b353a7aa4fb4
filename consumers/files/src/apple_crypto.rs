//! Apple Messages for Business attachments: how the envelope's `key` and `signature` are written,
//! how the downloaded file is checked against the signature, and how it is decrypted.
//!
//! What is implemented, and from where:
//!
//! - **Cipher**: AES-256 in CTR mode, no padding, an all-zero 16-byte initial counter block
//!   incremented as one 128-bit big-endian number. Apple's Business Chat API documentation,
//!   "Encrypting an Attachment" (developer.apple.com/documentation/businesschatapi/messages_sent/
//!   encrypting_an_attachment): "AES/CTR/NoPadding algorithm with an all-zero, 16-byte
//!   initialization vector"; public MSP implementations decrypt received files the same way
//!   (PyCryptodome `Counter.new(128, initial_value=0)`; Go `cipher.NewCTR` with a zero IV).
//! - **Key**: the 256-bit key as hex, prefixed with `00` (register.apple.com, Messages for
//!   Business REST API, "Text Message Type": "remove the 00 prefix from the hex-encoded string,
//!   then decode"). A key of exactly 64 hex digits, without the prefix, is taken as well.
//! - **Signature**: the MMCS file checksum of the stored file, that is of the *encrypted* bytes
//!   (an MSP's upload sends the ciphertext and puts the `fileChecksum` Apple returns into
//!   `signature-base64`). It is 21 bytes: a kind byte and a SHA-1 digest. Kind `0x01` is SHA-1
//!   of the bytes (the form of Apple's documented example, whose base64 `AThQ…` starts with
//!   `0x01`, and of iCloud file checksums); kind `0x81` is SHA-1 of the salt
//!   `com.apple.XattrObjectSalt\0com.apple.DataObjectSalt\0` followed by the bytes (the form the
//!   open-source iMessage clients rustpush and beeper/imessage compute for MMCS uploads). The
//!   envelope carries it as hex (Apple's `signature`) or base64 (`signature-base64`); `/preDownload`
//!   takes it as base64. A signature of any other form is refused, not skipped.
//!
//! The checksum is verified before decryption, so a file that was cut, altered or swapped is
//! refused and never decrypted.

use aes::Aes256;
use aes::cipher::{KeyIvInit as _, StreamCipher as _};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use sha1::{Digest as _, Sha1};

/// A checksum's length: the kind byte and a SHA-1 digest.
pub const SIGNATURE_LEN: usize = 21;
/// Kind byte of SHA-1 over the stored bytes.
pub const PLAIN_SHA1: u8 = 0x01;
/// Kind byte of SHA-1 over [`MMCS_SALT`] and the stored bytes.
pub const SALTED_SHA1: u8 = 0x81;
/// The salt of the `0x81` kind.
pub const MMCS_SALT: &[u8] = b"com.apple.XattrObjectSalt\0com.apple.DataObjectSalt\0";

type Aes256Ctr = ctr::Ctr128BE<Aes256>;

/// Why an attachment's `key` or `signature` cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("not a 256-bit key in hex (with or without the `00` prefix)")]
    Key,
    #[error("not a 21-byte MMCS file checksum (hex or base64) of kind 0x01 or 0x81")]
    Signature,
}

/// The AES key of the envelope's `key`: 64 hex digits, after an optional `00` prefix.
pub fn parse_key(text: &str) -> Result<[u8; 32], FormatError> {
    let text = text.trim();
    let digits = match text.len() {
        66 if text.starts_with("00") => &text[2..],
        64 => text,
        _ => return Err(FormatError::Key),
    };
    let mut key = [0; 32];
    hex::decode_to_slice(digits, &mut key).map_err(|_| FormatError::Key)?;
    Ok(key)
}

/// The checksum of the envelope's `signature`: hex, else base64, 21 bytes of a known kind.
pub fn parse_signature(text: &str) -> Result<[u8; SIGNATURE_LEN], FormatError> {
    let text = text.trim();
    let bytes = hex::decode(text).ok().or_else(|| {
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok())
    });
    let signature: [u8; SIGNATURE_LEN] = bytes
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(FormatError::Signature)?;
    match signature[0] {
        PLAIN_SHA1 | SALTED_SHA1 => Ok(signature),
        _ => Err(FormatError::Signature),
    }
}

/// The checksum of `stored` of the given kind (`None` for a kind not known here).
pub fn checksum(kind: u8, stored: &[u8]) -> Option<[u8; SIGNATURE_LEN]> {
    let mut hasher = Sha1::new();
    match kind {
        PLAIN_SHA1 => {}
        SALTED_SHA1 => hasher.update(MMCS_SALT),
        _ => return None,
    }
    hasher.update(stored);
    let mut out = [0; SIGNATURE_LEN];
    out[0] = kind;
    out[1..].copy_from_slice(&hasher.finalize());
    Some(out)
}

/// Whether `stored` (the encrypted file as downloaded) is the file `signature` names.
pub fn checksum_matches(signature: &[u8; SIGNATURE_LEN], stored: &[u8]) -> bool {
    checksum(signature[0], stored).is_some_and(|computed| &computed == signature)
}

/// Decrypts (or encrypts: CTR is its own inverse) `data` in place with Apple's scheme.
pub fn apply_cipher(key: &[u8; 32], data: &mut [u8]) {
    apply_ctr(key, &[0; 16], data);
}

fn apply_ctr(key: &[u8; 32], initial_counter: &[u8; 16], data: &mut [u8]) {
    let mut cipher = Aes256Ctr::new(key.into(), initial_counter.into());
    cipher.apply_keystream(data);
}

#[cfg(test)]
mod tests {
    use aes::cipher::{BlockEncrypt as _, KeyInit as _};

    use super::*;

    #[test]
    fn the_ctr_mode_is_the_standard_one() {
        // NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt, blocks 1 and 2 (the counter carries).
        let key: [u8; 32] =
            hex::decode("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
                .unwrap()
                .try_into()
                .unwrap();
        let counter: [u8; 16] = hex::decode("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
            .unwrap()
            .try_into()
            .unwrap();
        let mut data =
            hex::decode("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
                .unwrap();
        apply_ctr(&key, &counter, &mut data);
        assert_eq!(
            hex::encode(data),
            "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
        );
    }

    #[test]
    fn apples_counter_starts_at_zero() {
        let key = [7u8; 32];
        let mut data = vec![0u8; 40];
        apply_cipher(&key, &mut data);
        let mut first = aes::Block::default();
        Aes256::new(&key.into()).encrypt_block(&mut first);
        assert_eq!(&data[..16], first.as_slice());
        let mut second = aes::Block::from([0u8; 16]);
        second[15] = 1;
        Aes256::new(&key.into()).encrypt_block(&mut second);
        assert_eq!(&data[16..32], second.as_slice());
        apply_cipher(&key, &mut data);
        assert_eq!(data, vec![0u8; 40], "the same call decrypts");
    }

    #[test]
    fn keys_come_with_or_without_their_prefix() {
        let hex64 = "ab".repeat(32);
        assert_eq!(parse_key(&format!("00{hex64}")), Ok([0xab; 32]));
        assert_eq!(parse_key(&hex64.to_uppercase()), Ok([0xab; 32]));
        assert_eq!(parse_key(&format!("01{hex64}")), Err(FormatError::Key));
        assert_eq!(parse_key("00abcd"), Err(FormatError::Key));
        assert_eq!(parse_key(&"zz".repeat(32)), Err(FormatError::Key));
    }

    #[test]
    fn signatures_are_hex_or_base64_of_a_known_kind() {
        let sha1_abc = "a9993e364706816aba3e25717850c26c9cd0d89d";
        let plain = parse_signature(&format!("01{sha1_abc}")).expect("hex");
        assert!(checksum_matches(&plain, b"abc"));
        assert!(!checksum_matches(&plain, b"abd"));
        let as_base64 = STANDARD.encode(plain);
        assert_eq!(parse_signature(&as_base64), Ok(plain));
        assert_eq!(
            parse_signature(&format!("02{sha1_abc}")),
            Err(FormatError::Signature)
        );
        assert_eq!(parse_signature("01abcd"), Err(FormatError::Signature));
    }

    #[test]
    fn the_salted_kind_hashes_the_salt_first() {
        let salted = checksum(SALTED_SHA1, b"file").expect("known kind");
        let mut hasher = Sha1::new();
        hasher.update(b"com.apple.XattrObjectSalt\0com.apple.DataObjectSalt\0file");
        assert_eq!(&salted[1..], hasher.finalize().as_slice());
        assert!(checksum_matches(&salted, b"file"));
        assert_ne!(salted[1..], checksum(PLAIN_SHA1, b"file").unwrap()[1..]);
        assert_eq!(checksum(0x02, b"file"), None);
    }
}
