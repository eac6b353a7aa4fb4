//! Tokens Apple never sends, for the tests of Apple's JWT check: `Abc::sign` makes the tokens
//! Apple does send; an attack that needs another algorithm in the header or other claims (`exp`,
//! `nbf`, `crit`, any JSON at all) takes its token from here, correctly signed, so the checks
//! after the signature see it. The integration tests, the property tests of `benches/` and the
//! fuzz targets include this one file.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A compact JWT whose header and claims segments are exactly `header` and `claims`
/// (base64url), with the HS256 signature of those segments under `key`, whatever the header says.
pub fn forged_apple_jwt(header: &[u8], claims: &[u8], key: &[u8]) -> String {
    let segments = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let signature = shared_core::verify::hmac_sha256(key, &[segments.as_bytes()]);
    format!("{segments}.{}", URL_SAFE_NO_PAD.encode(signature))
}
