//! Meta's webhook mechanism, shared by Facebook Messenger and the WhatsApp Cloud API: the GET
//! subscription handshake, the `X-Hub-Signature-256` body signature, and their inverses.

use http::Method;

use crate::channel::{Outcome, Rejection, Reply, Request};
use crate::sample::{Fresh, Outgoing, SignError};
use crate::secret::SecretString;
use crate::verify::{constant_time_eq, hex_signature_matches, hmac_sha256, to_hex};

/// The header Meta signs every POST with: `sha256=` + hex HMAC-SHA256(body, app secret).
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// The body of the 200 answer to a delivered batch (Meta only needs the status).
pub const EVENT_RECEIVED: &str = "EVENT_RECEIVED";

const SIGNATURE_PREFIX: &str = "sha256=";

/// Whether the request is Meta's subscription handshake (a GET) rather than a delivery.
pub fn is_handshake(request: &Request<'_>) -> bool {
    *request.method == Method::GET
}

/// The handshake's verify token for a GET, the body's signature for anything else.
pub fn authenticate(
    request: &Request<'_>,
    app_secret: &SecretString,
    verify_token: &SecretString,
) -> Result<(), Rejection> {
    if is_handshake(request) {
        check_handshake(request, verify_token)
    } else {
        check_signature(request, app_secret)
    }
}

/// The GET handshake: `hub.mode=subscribe` and the bot's `hub.verify_token`, else 403.
pub fn check_handshake(
    request: &Request<'_>,
    verify_token: &SecretString,
) -> Result<(), Rejection> {
    if request.query_param("hub.mode").as_deref() != Some("subscribe") {
        return Err(Rejection::Forbidden("hub.mode is not subscribe"));
    }
    let expected = verify_token.expose().as_bytes();
    let given = request
        .query_param("hub.verify_token")
        .ok_or(Rejection::Forbidden("no hub.verify_token"))?;
    // An empty token in the secret is a misconfiguration, never a match.
    if expected.is_empty() || !constant_time_eq(expected, given.as_bytes()) {
        return Err(Rejection::Forbidden("wrong hub.verify_token"));
    }
    Ok(())
}

/// A POST: the body's HMAC-SHA256 under the app secret must match `X-Hub-Signature-256`, else 401.
pub fn check_signature(request: &Request<'_>, app_secret: &SecretString) -> Result<(), Rejection> {
    let header = request
        .header(SIGNATURE_HEADER)
        .ok_or(Rejection::Unauthenticated("no X-Hub-Signature-256"))?;
    let given = header
        .trim()
        .strip_prefix(SIGNATURE_PREFIX)
        .ok_or(Rejection::Unauthenticated(
            "X-Hub-Signature-256 is not sha256=<hex>",
        ))?;
    let key = app_secret.expose().as_bytes();
    if key.is_empty() {
        return Err(Rejection::Unauthenticated("the bot's app_secret is empty"));
    }
    let expected = hmac_sha256(key, &[request.body]);
    if !hex_signature_matches(&expected, given) {
        return Err(Rejection::Unauthenticated(
            "X-Hub-Signature-256 does not match",
        ));
    }
    Ok(())
}

/// The answer to an authenticated handshake: its `hub.challenge`, as text (400 without one).
pub fn answer_handshake(request: &Request<'_>) -> Result<Outcome, Rejection> {
    let challenge = request
        .query_param("hub.challenge")
        .ok_or_else(|| Rejection::malformed("no hub.challenge"))?;
    Ok(Outcome::Handshake(Reply::text(challenge)))
}

/// The `X-Hub-Signature-256` value Meta sends with `body` for an app with this secret.
pub fn sign(body: &[u8], app_secret: &SecretString) -> String {
    let mac = hmac_sha256(app_secret.expose().as_bytes(), &[body]);
    format!("{SIGNATURE_PREFIX}{}", to_hex(&mac))
}

/// The query string of the handshake Meta sends when a webhook is registered with `verify_token`.
pub fn handshake_query(verify_token: &SecretString, challenge: &str) -> String {
    serde_urlencoded::to_string([
        ("hub.mode", "subscribe"),
        ("hub.verify_token", verify_token.expose()),
        ("hub.challenge", challenge),
    ])
    .unwrap_or_default()
}

/// `appsecret_proof` for a Graph API call: hex HMAC-SHA256 of the access token under the app
/// secret, which proves the caller holds both.
pub fn appsecret_proof(access_token: &SecretString, app_secret: &SecretString) -> String {
    to_hex(&hmac_sha256(
        app_secret.expose().as_bytes(),
        &[access_token.expose().as_bytes()],
    ))
}

/// Signs `request` as Meta does: a GET handshake gets the bot's verify token (and the mode),
/// keeping its challenge; any other request the body's `X-Hub-Signature-256`.
pub fn sign_request(
    request: &mut Outgoing,
    app_secret: &SecretString,
    verify_token: &SecretString,
) -> Result<(), SignError> {
    if request.method != Method::GET {
        let signature = sign(&request.body, app_secret);
        return request.set_header(SIGNATURE_HEADER, &signature);
    }
    let challenge = request
        .as_request()
        .query_param("hub.challenge")
        .unwrap_or_else(|| "1".to_owned());
    request.query = Some(handshake_query(verify_token, &challenge));
    Ok(())
}

/// A new `hub.challenge` for a handshake GET (Meta sends a new one each time).
pub fn freshen_handshake(request: &mut Outgoing, fresh: &mut Fresh) {
    if request.method == Method::GET {
        let challenge = fresh.number(1_000_000_000, 8_000_000_000).to_string();
        let pairs: Vec<(String, String)> = request
            .query
            .as_deref()
            .and_then(|query| serde_urlencoded::from_str(query).ok())
            .unwrap_or_default();
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(name, value)| {
                if name == "hub.challenge" {
                    (name, challenge.clone())
                } else {
                    (name, value)
                }
            })
            .collect();
        request.query = serde_urlencoded::to_string(pairs).ok();
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue};

    use super::*;

    const BODY: &[u8] = br#"{"object":"whatsapp_business_account","entry":[]}"#;

    fn app_secret() -> SecretString {
        SecretString::new("meta-app-secret-7d1e")
    }

    fn verify_token() -> SecretString {
        SecretString::new("meta verify/token&1")
    }

    fn headers(signature: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(signature) = signature {
            headers.insert(
                SIGNATURE_HEADER,
                HeaderValue::from_str(signature).expect("a header value"),
            );
        }
        headers
    }

    fn post<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> Request<'a> {
        Request {
            method: &Method::POST,
            headers,
            query: None,
            path_suffix: "",
            body,
        }
    }

    fn get<'a>(headers: &'a HeaderMap, query: &'a str) -> Request<'a> {
        Request {
            method: &Method::GET,
            headers,
            query: Some(query),
            path_suffix: "",
            body: b"",
        }
    }

    #[test]
    fn a_signed_body_passes_and_a_changed_one_does_not() {
        let signed = headers(Some(&sign(BODY, &app_secret())));
        assert_eq!(check_signature(&post(&signed, BODY), &app_secret()), Ok(()));
        assert_eq!(
            authenticate(&post(&signed, BODY), &app_secret(), &verify_token()),
            Ok(())
        );
        let changed = br#"{"object":"whatsapp_business_account","entry":[{}]}"#;
        assert!(check_signature(&post(&signed, changed), &app_secret()).is_err());
    }

    #[test]
    fn the_signature_is_sha256_and_lower_case_hex() {
        let signature = sign(b"what do ya want for nothing?", &SecretString::new("Jefe"));
        // RFC 4231 test case 2.
        assert_eq!(
            signature,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn another_key_is_unauthenticated() {
        let forged = headers(Some(&sign(BODY, &SecretString::new("not-the-app-secret"))));
        assert!(matches!(
            check_signature(&post(&forged, BODY), &app_secret()),
            Err(Rejection::Unauthenticated(_))
        ));
        let empty_key = headers(Some(&sign(BODY, &SecretString::new(""))));
        assert!(matches!(
            check_signature(&post(&empty_key, BODY), &SecretString::new("")),
            Err(Rejection::Unauthenticated(_))
        ));
    }

    #[test]
    fn a_missing_header_is_unauthenticated() {
        let none = headers(None);
        assert!(matches!(
            check_signature(&post(&none, BODY), &app_secret()),
            Err(Rejection::Unauthenticated(_))
        ));
    }

    #[test]
    fn a_malformed_header_is_unauthenticated() {
        let good = sign(BODY, &app_secret());
        let hex = good.trim_start_matches(SIGNATURE_PREFIX);
        for malformed in [
            hex.to_owned(),
            format!("sha1={hex}"),
            "sha256=".to_owned(),
            format!("sha256={}", &hex[..62]),
            format!("sha256={}zz", &hex[..62]),
        ] {
            let given = headers(Some(&malformed));
            assert!(
                matches!(
                    check_signature(&post(&given, BODY), &app_secret()),
                    Err(Rejection::Unauthenticated(_))
                ),
                "{malformed}"
            );
        }
    }

    #[test]
    fn the_handshake_query_passes_and_answers_its_challenge() {
        let query = handshake_query(&verify_token(), "1158201444");
        let none = headers(None);
        let request = get(&none, &query);
        assert_eq!(check_handshake(&request, &verify_token()), Ok(()));
        assert_eq!(
            authenticate(&request, &app_secret(), &verify_token()),
            Ok(())
        );
        assert!(matches!(
            answer_handshake(&request),
            Ok(Outcome::Handshake(reply)) if reply == Reply::text("1158201444")
        ));
    }

    #[test]
    fn a_wrong_or_missing_token_or_mode_is_forbidden() {
        let none = headers(None);
        for query in [
            handshake_query(&SecretString::new("a guess"), "1"),
            "hub.mode=subscribe&hub.challenge=1".to_owned(),
            "hub.verify_token=meta+verify%2Ftoken%261&hub.challenge=1".to_owned(),
            "hub.mode=unsubscribe&hub.verify_token=meta+verify%2Ftoken%261&hub.challenge=1"
                .to_owned(),
        ] {
            assert!(
                matches!(
                    check_handshake(&get(&none, &query), &verify_token()),
                    Err(Rejection::Forbidden(_))
                ),
                "{query}"
            );
        }
        let query = handshake_query(&SecretString::new(""), "1");
        assert!(matches!(
            check_handshake(&get(&none, &query), &SecretString::new("")),
            Err(Rejection::Forbidden(_))
        ));
    }

    #[test]
    fn a_handshake_without_a_challenge_is_malformed() {
        let none = headers(None);
        let request = get(&none, "hub.mode=subscribe&hub.verify_token=x");
        assert!(matches!(
            answer_handshake(&request),
            Err(Rejection::Malformed(_))
        ));
    }
}
