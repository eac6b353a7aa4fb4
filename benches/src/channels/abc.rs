//! Apple Messages for Business: a customer's text with photos (U+FFFC placeholders in
//! the body), gzipped or not; an HS256 JWT in `Authorization` and the routing headers.

use std::io::Write as _;

use abc_receiver::AbcSecret;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use shared_core::verify::{hmac_sha256, unix_seconds};

use crate::prose::{Language, text};
use crate::{Case, now};

/// The demo bot's API secret and CSP id (bots.example.json).
pub const API_SECRET: &str = "ZGVtby1hcHBsZS1tZXNzYWdlcy1hcGktc2VjcmV0LTMy";
pub const CSP_ID: &str = "7a1b2c3d-demo-4e5f-8a9b-0c1d2e3f4a5b";
pub const BUSINESS_ID: &str = "6c3e1a7b-2f4d-4e8a-9b1c-0d2e3f4a5b6c";
pub const SOURCE_ID: &str = "urn:mbid:AQAAY45PVG4jg/ni/q6rWSYuu9d7Ga6K22bxp0iUmPkdOwxr3yAbisjOmtYFzw6LjDqhABFFHD/nFz6S2U5rBEcSqO7Eg0B5ikXukFD/x+6hPeOuR0Bvb3JDbU24DLlT/E5Yj9aBzFVASwfwStWnuGMX/+FXmAs=";

/// One attachment for this many words of text.
const WORDS_PER_ATTACHMENT: usize = 120;

pub fn secret() -> AbcSecret {
    AbcSecret::new(API_SECRET, CSP_ID, Some(BUSINESS_ID.to_owned())).expect("base64 secret")
}

/// An HS256 token for the demo CSP issued at the fixed "now", signed over these exact segments.
pub fn jwt(header: &[u8], claims: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let key = STANDARD.decode(API_SECRET).expect("base64 secret");
    let signature = hmac_sha256(&key, &[input.as_bytes()]);
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The token Apple sends: `{"alg":"HS256"}` and the demo CSP as audience, issued now.
pub fn valid_jwt() -> String {
    let claims = json!({"aud": CSP_ID, "iat": unix_seconds(now())});
    jwt(
        br#"{"alg":"HS256","typ":"JWT"}"#,
        claims.to_string().as_bytes(),
    )
}

/// `body` (plain JSON) with Apple's headers, taken from the body's `id` and `sourceId`.
pub fn sign(body: Vec<u8>) -> Case {
    let value: Value = serde_json::from_slice(&body).unwrap_or_default();
    let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
    Case::post(body)
        .header("content-type", "application/json")
        .header("authorization", &format!("Bearer {}", valid_jwt()))
        .try_header("id", &field("id"))
        .try_header("source-id", &field("sourceId"))
        .try_header("destination-id", &field("destinationId"))
        .header("device-agent", "iPhone OS")
        .header("capability-list", "AUTH,LIST,TIME,FORM,QUICK,AUTH2")
}

/// The same request with its body gzipped, as Apple posts it.
pub fn gzipped(case: Case) -> Case {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(&case.body).expect("gzip into memory");
    let body = encoder.finish().expect("gzip into memory");
    Case { body, ..case }.header("content-encoding", "gzip")
}

/// A body of about `target` bytes.
pub fn sized(target: usize) -> Vec<u8> {
    crate::grow(target, 4000, body)
}

/// A text of `words` words with an attachment for every 120 words.
pub fn body(words: usize) -> Vec<u8> {
    let files = words / WORDS_PER_ATTACHMENT;
    let placeholders = "\u{FFFC} ".repeat(files);
    let message = json!({
        "v": 1,
        "id": "5d2f7c1e-8a4b-4c3d-9e0f-000000000042",
        "sourceId": SOURCE_ID,
        "destinationId": BUSINESS_ID,
        "locale": "en_US",
        "type": "text",
        "body": format!("{placeholders}{}", text(Language::English, 13, words, usize::MAX)),
        "attachments": (0..files).map(attachment).collect::<Vec<_>>(),
    });
    serde_json::to_vec(&message).expect("JSON serializes")
}

fn attachment(i: usize) -> Value {
    let owner = format!("M8B1F9A7C3E5D2B4A6C8E0F1A3B5C7D9E1F3A5{i:03}.C01USN00");
    json!({
        "name": format!("IMG_{:04}.jpeg", 4100 + i),
        "mimeType": "image/jpeg",
        "size": 184_320 + i * 1024,
        "signature-base64": "gZYJyB2loaAQYTkcWl0g4XQwxjHh6w==",
        "url": format!("https://p37-content.icloud.com/{owner}"),
        "owner": owner,
        "key": "00a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "signature": "819609c81da5a1a01061391c5a5d20e17430c631e1eb"
    })
}
