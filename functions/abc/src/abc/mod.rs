//! Apple Messages for Business: the channel. Inflates gzip bodies, checks the HS256 JWT and the
//! business, and turns each posted message into one envelope event.

pub mod inflate;
pub mod interactive;
pub mod jwt;
pub mod normalize;
pub mod payload;
pub mod secret;

use std::time::{Duration, SystemTime};

use serde_json::value::RawValue;
use shared_core::channel::Verified;
use shared_core::sample::{Fresh, Outgoing, SignError, quoted, rewrite_field};
use shared_core::setting::ConfigError;
use shared_core::verify::unix_seconds;
use shared_core::{Channel, Outcome, Rejection, Request};

pub use secret::AbcSecret;

/// The environment variable that sets [`Abc::max_token_age`].
pub const MAX_TOKEN_AGE_VAR: &str = "ABC_MAX_TOKEN_AGE_SECONDS";

/// The longest maximum token age the setting takes: one day.
const MAX_TOKEN_AGE_LIMIT: u64 = 86_400;

/// The Apple Messages for Business receiver.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Abc {
    /// Refuse tokens issued longer ago than this (`ABC_MAX_TOKEN_AGE_SECONDS`); unset: no limit,
    /// as Apple documents no token lifetime.
    pub max_token_age: Option<Duration>,
}

impl Abc {
    /// From the process environment; a bad value fails here, at start.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// From any name → value lookup. An unset or empty `ABC_MAX_TOKEN_AGE_SECONDS` means no limit;
    /// otherwise it is a whole number of seconds from 1 to 86400.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let Some(value) = lookup(MAX_TOKEN_AGE_VAR).filter(|value| !value.trim().is_empty()) else {
            return Ok(Self::default());
        };
        match value.trim().parse::<u64>() {
            Ok(seconds) if (1..=MAX_TOKEN_AGE_LIMIT).contains(&seconds) => Ok(Self {
                max_token_age: Some(Duration::from_secs(seconds)),
            }),
            _ => Err(ConfigError::Invalid {
                name: MAX_TOKEN_AGE_VAR,
                value,
                reason: "expected a whole number of seconds from 1 to 86400",
            }),
        }
    }
}

impl Channel for Abc {
    const NAME: &'static str = "abc";
    const SECRET_FIELDS: &'static [&'static str] = &["api_secret", "csp_id"];
    const SIGNATURE_HEADERS: &'static [&'static str] = &["authorization"];

    type Secret = AbcSecret;

    /// Apple appends `/message` to the registered endpoint.
    fn path_suffixes(&self) -> &'static [&'static str] {
        &["/message"]
    }

    fn decode_body(
        &self,
        request: &Request<'_>,
        limit: usize,
    ) -> Result<Option<Vec<u8>>, Rejection> {
        if inflate::is_gzip(request) {
            inflate::gunzip(request.body, limit).map(Some)
        } else {
            Ok(None)
        }
    }

    fn authenticate(
        &self,
        request: &Request<'_>,
        secret: &AbcSecret,
        now: SystemTime,
    ) -> Result<(), Rejection> {
        let unauthenticated = |err: jwt::TokenError| Rejection::Unauthenticated(err.reason());
        let token = jwt::bearer(request.header("authorization")).map_err(unauthenticated)?;
        let key = secret
            .signing_key()
            .ok_or(Rejection::Unauthenticated("api_secret is not base64"))?;
        let expect = jwt::Expectations {
            key: &key,
            audience: &secret.csp_id,
            now,
            max_age: self.max_token_age,
        };
        jwt::verify(token, &expect).map_err(unauthenticated)?;
        let business_id = secret
            .business_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty());
        let destination = request.header("destination-id").map(str::trim);
        if business_id.is_some_and(|business_id| destination != Some(business_id)) {
            return Err(Rejection::NotThisBot(
                "destination-id is not the bot's business",
            ));
        }
        Ok(())
    }

    /// Apple's JWT, and the bot's business as `destination-id` when the secret names one.
    fn sign(
        &self,
        request: &mut Outgoing,
        secret: &AbcSecret,
        now: SystemTime,
    ) -> Result<(), SignError> {
        let key = secret
            .signing_key()
            .ok_or_else(|| SignError::Secret("api_secret is not base64".to_owned()))?;
        let token = jwt::mint(
            &key,
            &secret.csp_id,
            unix_seconds(now).max(0).unsigned_abs(),
        );
        request.set_header("authorization", &format!("Bearer {token}"))?;
        if let Some(business) = secret.business_id.as_deref().filter(|id| !id.is_empty()) {
            request.set_header("destination-id", business)?;
        }
        Ok(())
    }

    /// A new message id, in the `id` header and wherever the body repeats it, and the bot's
    /// business as the body's `destinationId`; a gzipped body stays gzipped.
    fn freshen(
        &self,
        request: &mut Outgoing,
        secret: &AbcSecret,
        fresh: &mut Fresh,
    ) -> Result<(), SignError> {
        let id = fresh.uuid();
        let old = request.header("id").map(quoted);
        let business = secret.business_id.clone().filter(|id| !id.is_empty());
        inflate::rewrite_body(&mut request.body, |text| {
            let mut text = text.to_owned();
            if let Some(old) = &old {
                text = rewrite_field(&text, "id", |value| (value == old).then(|| quoted(&id)));
            }
            if let Some(business) = &business {
                text = rewrite_field(&text, "destinationId", |_| Some(quoted(business)));
            }
            text
        })
        .map_err(SignError::Request)?;
        request.set_header("id", &id)
    }

    fn receive(
        &self,
        request: &Verified<'_>,
        _secret: &AbcSecret,
        _now: SystemTime,
    ) -> Result<Outcome, Rejection> {
        let text = std::str::from_utf8(request.body)
            .map_err(|_| Rejection::malformed("the body is not UTF-8"))?;
        let raw = RawValue::from_string(text.to_owned())
            .map_err(|err| Rejection::malformed(format_args!("the body is not JSON: {err}")))?;
        if !raw.get().starts_with('{') {
            return Err(Rejection::malformed("the body is not a JSON object"));
        }
        Ok(Outcome::events(vec![normalize::event(request, raw)?]))
    }
}
