//! Meta's Graph API, as `connect facebook` and `connect whatsapp` call it: every call carries the
//! access token and its `appsecret_proof`, every credential is redacted wherever it shows, and a
//! refusal is read from Meta's error object.

use shared::SecretString;

use serde_json::Map;

use super::{Identity, text, unexpected};
use crate::platform_api::{Answer, Call};

/// An app's credentials for the Graph API at `api`.
#[derive(Debug)]
pub struct GraphApp<'a> {
    pub api: &'a str,
    pub access_token: &'a SecretString,
    pub app_secret: &'a SecretString,
    /// The webhook's verify token: never shown either.
    pub verify_token: &'a str,
}

impl GraphApp<'_> {
    /// HMAC-SHA256 of the access token keyed with the app secret, as the Graph API checks it.
    pub fn appsecret_proof(&self) -> String {
        shared::meta::appsecret_proof(self.access_token, self.app_secret)
    }

    /// A call to `path`; every credential is redacted where it shows, the longest first so
    /// that no part of one survives inside another.
    pub fn call(&self, method: http::Method, path: &str) -> Call {
        let mut secrets = [
            self.access_token.expose().to_owned(),
            self.app_secret.expose().to_owned(),
            self.verify_token.to_owned(),
            self.appsecret_proof(),
        ];
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        secrets.into_iter().fold(
            Call::new(method, format!("{}/{path}", self.api)),
            Call::secret,
        )
    }

    /// The check of the credentials: `GET {path}?fields=id,name`, authenticated.
    pub fn check(&self, path: &str) -> Call {
        let mut call = self
            .call(http::Method::GET, path)
            .query("fields", "id,name");
        call.query.extend(self.credentials());
        call
    }

    /// The query (or form) fields that authenticate a call.
    pub fn credentials(&self) -> Vec<(String, String)> {
        vec![
            (
                "access_token".to_owned(),
                self.access_token.expose().to_owned(),
            ),
            ("appsecret_proof".to_owned(), self.appsecret_proof()),
        ]
    }
}

/// The object the check answered with, as `{what} {name} (id {id})`; else Meta's refusal.
pub fn identify(answer: &Answer, what: &str) -> Result<Identity, String> {
    match text(&answer.body, "/id") {
        Some(id) if answer.status.is_success() => Ok(Identity {
            describe: format!(
                "{what} {} (id {id})",
                text(&answer.body, "/name").unwrap_or_default()
            ),
            fields: Map::new(),
        }),
        _ => Err(refusal(answer)),
    }
}

/// The Graph API's refusal: `error.message`, `type` and `code`.
pub fn refusal(answer: &Answer) -> String {
    match text(&answer.body, "/error/message") {
        Some(message) => format!(
            "{message} ({} {})",
            text(&answer.body, "/error/type").unwrap_or_default(),
            text(&answer.body, "/error/code").unwrap_or_default()
        ),
        None => unexpected(answer),
    }
}
