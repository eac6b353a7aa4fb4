//! The JWT Apple sends in `Authorization: Bearer`: HS256 only, keyed with the decoded API secret,
//! addressed to the CSP id, checked against the clock (`exp`, `nbf`, a future `iat`, a maximum age).

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use shared_core::verify::{constant_time_eq, hmac_sha256, unix_seconds};

/// How far the sender's clock may run ahead of or behind ours.
pub const CLOCK_SKEW: Duration = Duration::from_secs(60);

/// What the token must satisfy besides its signature.
#[derive(Debug, Clone, Copy)]
pub struct Expectations<'a> {
    pub key: &'a [u8],
    pub audience: &'a str,
    pub now: SystemTime,
    pub max_age: Option<Duration>,
}

/// Why a token is refused; each becomes a 401 with [`TokenError::reason`] in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Missing,
    NotAJwt,
    WrongAlgorithm,
    CriticalExtension,
    BadSignature,
    BadClaims,
    WrongAudience,
    Expired,
    NotYetValid,
    IssuedInFuture,
    TooOld,
}

impl TokenError {
    /// A short text for the log; it never contains the token.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Missing => "no bearer token",
            Self::NotAJwt => "the token is not a JWT",
            Self::WrongAlgorithm => "the token's algorithm is not HS256",
            Self::CriticalExtension => "the token carries critical extensions",
            Self::BadSignature => "the token's signature does not match",
            Self::BadClaims => "the token's claims are not readable",
            Self::WrongAudience => "the token is not for this CSP",
            Self::Expired => "the token has expired",
            Self::NotYetValid => "the token is not valid yet",
            Self::IssuedInFuture => "the token was issued in the future",
            Self::TooOld => "the token is older than the maximum age",
        }
    }
}

#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
    crit: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Claims {
    aud: Option<Audience>,
    exp: Option<f64>,
    nbf: Option<f64>,
    iat: Option<f64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn contains(&self, wanted: &str) -> bool {
        match self {
            Self::One(aud) => aud == wanted,
            Self::Many(auds) => auds.iter().any(|aud| aud == wanted),
        }
    }
}

/// The token of an `Authorization` header value: `Bearer <token>`, the scheme in any case.
pub fn bearer(authorization: Option<&str>) -> Result<&str, TokenError> {
    let value = authorization.ok_or(TokenError::Missing)?.trim();
    let (scheme, token) = value
        .split_once(char::is_whitespace)
        .ok_or(TokenError::Missing)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(TokenError::Missing);
    }
    Ok(token)
}

/// The token Apple sends: HS256 under `key`, addressed to `audience`, issued at `issued_at`
/// (Unix seconds), with no expiry (Apple documents none). The inverse of [`verify`].
pub fn mint(key: &[u8], audience: &str, issued_at: u64) -> String {
    let claims = serde_json::json!({"aud": audience, "iat": issued_at}).to_string();
    encode(br#"{"alg":"HS256","typ":"JWT"}"#, claims.as_bytes(), key)
}

/// A compact JWT whose header and claims segments are exactly `header` and `claims`
/// (base64url), with the HMAC-SHA256 signature of those segments under `key`, whatever the
/// header says: [`mint`] makes Apple's tokens with it, and tests make the tokens Apple never
/// sends (another algorithm, `exp`, `crit`) with it.
pub fn encode(header: &[u8], claims: &[u8], key: &[u8]) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let signature = URL_SAFE_NO_PAD.encode(hmac_sha256(key, &[signing_input.as_bytes()]));
    format!("{signing_input}.{signature}")
}

/// Checks a compact JWT: algorithm, signature, audience, then the clock.
pub fn verify(token: &str, expect: &Expectations<'_>) -> Result<(), TokenError> {
    let mut parts = token.split('.');
    let (Some(header_b64), Some(claims_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::NotAJwt);
    };
    let header: Header =
        serde_json::from_slice(&decode_segment(header_b64)?).map_err(|_| TokenError::NotAJwt)?;
    if header.alg.as_deref() != Some("HS256") {
        return Err(TokenError::WrongAlgorithm);
    }
    if header.crit.is_some() {
        return Err(TokenError::CriticalExtension);
    }
    let signature = decode_segment(signature_b64).map_err(|_| TokenError::BadSignature)?;
    let expected = hmac_sha256(
        expect.key,
        &[header_b64.as_bytes(), b".", claims_b64.as_bytes()],
    );
    if !constant_time_eq(&expected, &signature) {
        return Err(TokenError::BadSignature);
    }
    let claims: Claims =
        serde_json::from_slice(&decode_segment(claims_b64)?).map_err(|_| TokenError::BadClaims)?;
    if !claims
        .aud
        .as_ref()
        .is_some_and(|aud| aud.contains(expect.audience))
    {
        return Err(TokenError::WrongAudience);
    }
    check_clock(&claims, expect)
}

fn check_clock(claims: &Claims, expect: &Expectations<'_>) -> Result<(), TokenError> {
    let now = unix_seconds(expect.now);
    let skew = seconds(CLOCK_SKEW);
    if claims
        .exp
        .is_some_and(|exp| now > whole_seconds(exp).saturating_add(skew))
    {
        return Err(TokenError::Expired);
    }
    if claims
        .nbf
        .is_some_and(|nbf| whole_seconds(nbf) > now.saturating_add(skew))
    {
        return Err(TokenError::NotYetValid);
    }
    if claims
        .iat
        .is_some_and(|iat| whole_seconds(iat) > now.saturating_add(skew))
    {
        return Err(TokenError::IssuedInFuture);
    }
    if let Some(max_age) = expect.max_age {
        let iat = claims.iat.ok_or(TokenError::TooOld)?;
        if now.saturating_sub(whole_seconds(iat)) > seconds(max_age) {
            return Err(TokenError::TooOld);
        }
    }
    Ok(())
}

/// A base64url segment, with or without its `=` padding.
fn decode_segment(segment: &str) -> Result<Vec<u8>, TokenError> {
    URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .map_err(|_| TokenError::NotAJwt)
}

/// A JSON NumericDate as whole seconds (fractions dropped; out-of-range values saturate).
#[allow(clippy::cast_possible_truncation)]
fn whole_seconds(date: f64) -> i64 {
    date.floor() as i64
}

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}
