//! Tokens Apple never sends, for the tests of Apple's JWT check: `Abc::sign` makes the tokens
//! Apple does send; an attack that needs another algorithm in the header or other claims (`exp`,
//! `nbf`, `crit`, any JSON at all) takes its token from here, correctly signed by the Apple
//! crate's own encoder, so the checks after the signature see it. The integration tests, the
//! property tests of `benches/` and the fuzz targets include this one file.

/// A compact JWT whose header and claims segments are exactly `header` and `claims`, signed
/// with HMAC-SHA256 under `key` whatever the header says.
pub fn forged_apple_jwt(header: &[u8], claims: &[u8], key: &[u8]) -> String {
    abc_receiver::abc::jwt::encode(header, claims, key)
}
