//! `receivers fetch` of an Apple Messages for Business attachment against a fake Apple: the
//! test encrypts a file itself (a random AES-256 key, CTR with a zero counter block, the MMCS
//! checksum `0x01 ‖ SHA-1(ciphertext)`), and the download must call `/preDownload` as Apple
//! documents, check the checksum and decrypt; an altered file must be refused.
#![allow(clippy::unwrap_used)]

mod support;

use aes::cipher::{KeyIvInit as _, StreamCipher as _};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sha1::{Digest as _, Sha1};
use support::{FakeFile, FakeFiles, directory_with_demo_bots, receivers};

/// The demo Apple bot (bots.example.json).
const API_SECRET: &str = "ZGVtby1hcHBsZS1tZXNzYWdlcy1hcGktc2VjcmV0LTMy";
const CSP_ID: &str = "7a1b2c3d-demo-4e5f-8a9b-0c1d2e3f4a5b";

struct Sealed {
    plain: Vec<u8>,
    cipher: Vec<u8>,
    key_hex: String,
    signature: Vec<u8>,
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A file encrypted as a customer's device sends it.
fn seal(plain: &[u8]) -> Sealed {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).unwrap();
    let mut cipher = plain.to_vec();
    ctr::Ctr128BE::<aes::Aes256>::new(&key.into(), &[0u8; 16].into()).apply_keystream(&mut cipher);
    let mut signature = vec![0x01];
    signature.extend_from_slice(&Sha1::digest(&cipher));
    Sealed {
        plain: plain.to_vec(),
        key_hex: format!("00{}", to_hex(&key)),
        cipher,
        signature,
    }
}

fn envelope(sealed: &Sealed) -> String {
    let attachment = json!({
        "type": "file", "name": "scan.pdf", "mime_type": "application/pdf",
        "size": sealed.cipher.len(), "url": "https://p57-content.icloud.com/MA1B2C3D4E5F",
        "owner": "p57.1234567890", "key": sealed.key_hex, "signature": to_hex(&sealed.signature)
    });
    json!({
        "version": 1, "channel": "abc", "bot": "demo", "chat_id": "urn:mbid:customer",
        "event": "message", "message": {"type": "file", "attachments": [attachment]},
        "event_id": "abc:demo:3f1c", "received_at": "2026-12-01T10:00:00.000Z",
        "context": {"destination_id": "biz-0001"}, "raw": {}
    })
    .to_string()
}

async fn apple_serving(blob: Vec<u8>) -> FakeFiles {
    FakeFiles::start(
        &[(
            "/preDownload",
            200,
            json!({"download-url": "{base}/mmcs/blob-1"}),
        )],
        vec![FakeFile::new(
            "/mmcs/blob-1",
            "application/octet-stream",
            &blob,
        )],
    )
    .await
}

fn plain_file() -> Vec<u8> {
    let mut plain = b"%PDF-1.7\n".to_vec();
    plain.extend((0..5000u32).map(|n| (n % 253) as u8));
    plain
}

#[tokio::test]
async fn apple_files_are_fetched_checked_and_decrypted() {
    let sealed = seal(&plain_file());
    let platform = apple_serving(sealed.cipher.clone()).await;
    let (dir, _) = directory_with_demo_bots();
    std::fs::write(dir.path().join("envelope.json"), envelope(&sealed)).unwrap();
    let run = receivers(
        dir.path(),
        &["fetch", "envelope.json", "--secrets-file", "bots.json"],
        &[("ABC_API_URL", &platform.url)],
    )
    .await
    .ok();
    assert_eq!(
        std::fs::read(dir.path().join("scan.pdf")).unwrap(),
        sealed.plain
    );
    assert!(
        run.stdout
            .contains(&format!("size: {} bytes", sealed.plain.len()))
    );
    assert!(
        run.stdout.contains("mime_type: application/pdf"),
        "{}",
        run.stdout
    );

    let calls = platform.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let lookup = &calls[0];
    assert_eq!(lookup.path, "/preDownload");
    assert_eq!(lookup.headers["source-id"], "biz-0001");
    assert_eq!(
        lookup.headers["url"],
        "https://p57-content.icloud.com/MA1B2C3D4E5F"
    );
    assert_eq!(lookup.headers["owner"], "p57.1234567890");
    assert_eq!(
        lookup.headers["signature"],
        STANDARD.encode(&sealed.signature)
    );
    assert!(
        !calls[1].headers.contains_key("authorization"),
        "no token for the blob"
    );

    let token = lookup.headers["authorization"]
        .strip_prefix("Bearer ")
        .expect("a bearer token");
    let (signed, signature) = token.rsplit_once('.').expect("a JWT");
    let key = STANDARD.decode(API_SECRET).unwrap();
    let expected = shared::verify::hmac_sha256(&key, &[signed.as_bytes()]);
    assert_eq!(URL_SAFE_NO_PAD.decode(signature).unwrap(), expected);
    let (header, claims) = signed.split_once('.').unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    assert_eq!(header["alg"], "HS256");
    assert_eq!(claims["iss"], CSP_ID);
    assert!(claims["iat"].as_u64().is_some(), "{claims}");
    assert!(!run.output().contains(token), "the JWT shows");
}

#[tokio::test]
async fn an_altered_apple_file_fails_its_checksum() {
    let sealed = seal(&plain_file());
    let mut tampered = sealed.cipher.clone();
    tampered[100] ^= 0x20;
    let platform = apple_serving(tampered).await;
    let (dir, _) = directory_with_demo_bots();
    std::fs::write(dir.path().join("envelope.json"), envelope(&sealed)).unwrap();
    let run = receivers(
        dir.path(),
        &["fetch", "envelope.json", "--secrets-file", "bots.json"],
        &[("ABC_API_URL", &platform.url)],
    )
    .await
    .failed();
    assert!(run.stderr.contains("checksum"), "{}", run.stderr);
    assert!(
        !dir.path().join("scan.pdf").exists(),
        "an unchecked file was written"
    );
    assert_eq!(platform.calls().len(), 2, "it was downloaded, then refused");
}

#[tokio::test]
async fn an_attachment_the_envelope_lacks_is_named() {
    let sealed = seal(b"x");
    let (dir, _) = directory_with_demo_bots();
    // The envelope given inline, as JSON.
    let run = receivers(
        dir.path(),
        &[
            "fetch",
            &envelope(&sealed),
            "--attachment",
            "3",
            "--secrets-file",
            "bots.json",
        ],
        &[("ABC_API_URL", "http://127.0.0.1:9")],
    )
    .await
    .failed();
    assert!(
        run.stderr.contains("no attachment 3 (it has 1)"),
        "{}",
        run.stderr
    );
}
