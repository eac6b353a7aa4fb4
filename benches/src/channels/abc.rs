//! Apple Messages for Business: a customer's text with photos (U+FFFC placeholders in
//! the body), gzipped or not; Apple's token in `Authorization` (`Abc::sign`) and the routing
//! headers.

use std::io::Write as _;

use abc_receiver::{Abc, AbcSecret};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

use crate::prose::{Language, text};
use crate::{Outgoing, post, signed};

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

/// The key Apple signs the demo bot's tokens with: `API_SECRET` decoded.
pub fn key() -> Vec<u8> {
    STANDARD.decode(API_SECRET).expect("base64 secret")
}

/// The demo bot's secret, not bound to one business: any `destination-id` is the bot's.
pub fn any_business_secret() -> AbcSecret {
    AbcSecret::new(API_SECRET, CSP_ID, None).expect("base64 secret")
}

/// `body` (plain JSON) with Apple's routing headers, taken from the body's `id`, `sourceId` and
/// `destinationId` (each left out when it is no header value), not signed yet.
pub fn unsigned(body: Vec<u8>) -> Outgoing {
    let value: Value = serde_json::from_slice(&body).unwrap_or_default();
    let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
    let mut request = post(body, "application/json");
    for (header, name) in [
        ("id", "id"),
        ("source-id", "sourceId"),
        ("destination-id", "destinationId"),
    ] {
        let _ = request.set_header(header, &field(name));
    }
    for (header, value) in [
        ("device-agent", "iPhone OS"),
        ("capability-list", "AUTH,LIST,TIME,FORM,QUICK,AUTH2"),
    ] {
        request.set_header(header, value).expect("a header value");
    }
    request
}

/// `body` as Apple posts it to the demo bot: the routing headers and a token issued at the
/// fixed "now".
pub fn sign(body: Vec<u8>) -> Outgoing {
    signed(&Abc::default(), &secret(), unsigned(body))
}

/// The same request with its body gzipped, as Apple posts it (the token does not cover it).
pub fn gzipped(mut request: Outgoing) -> Outgoing {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(&request.body).expect("gzip into memory");
    request.body = encoder.finish().expect("gzip into memory");
    request
        .set_header("content-encoding", "gzip")
        .expect("a header value");
    request
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
