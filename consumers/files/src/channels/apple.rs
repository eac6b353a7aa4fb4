//! Apple Messages for Business: `GET {api}/preDownload` (Apple's MSP REST API, "Getting an
//! Attachment's URL") with a JWT and the attachment's `url`, `owner` and `signature` (base64) as
//! headers, and the business id as `source-id`, answers a `download-url`; the file there is
//! encrypted. It is checked against its signature, then decrypted: see [`crate::apple_crypto`].
//!
//! The JWT is HS256 under the decoded `api_secret` with `iss` = the secret's `csp_id` and `iat`
//! (Apple's "Authorizing Messages": `iss` for traffic from the provider to Apple), made by the
//! Apple receiver's own encoder. The business id is the secret's `business_id`, else the
//! envelope's `context.destination_id` (the business the customer wrote to).

use std::time::SystemTime;

use abc_receiver::abc::jwt;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use serde::Deserialize;
use serde_json::Value;
use shared_core::verify::unix_seconds;

use super::{Job, api_url, web_url};
use crate::apple_crypto::{self, FormatError};
use crate::credentials::{apple_signing_key, credential, optional_field};
use crate::transfer::Fetched;
use crate::{Channel, FetchError};

const LOOKUP: &str = "preDownload";
const STEP: &str = "the encrypted file";

#[derive(Debug, Deserialize)]
struct PreDownload {
    #[serde(rename = "download-url", default)]
    download_url: Option<String>,
}

pub async fn fetch(job: &Job<'_>) -> Result<Fetched, FetchError> {
    let signing_key = apple_signing_key(job.secret)?;
    let csp_id = credential(job.secret, Channel::Apple, "csp_id")?;
    let business_id = optional_field(job.secret, Channel::Apple, "business_id")?
        .or_else(|| text(job.context.get("destination_id")))
        .ok_or(FetchError::Secret {
            channel: Channel::Apple,
            reason: "no `business_id`, and the envelope has no context.destination_id".to_owned(),
        })?;
    let attachment = job.attachment;
    let url = job.required("url", attachment.url.as_ref())?;
    let owner = job.required("owner", attachment.owner.as_ref())?;
    let key = apple_crypto::parse_key(&job.required("key", attachment.key.as_ref())?)
        .map_err(|err| invalid("key", err))?;
    let signature =
        apple_crypto::parse_signature(&job.required("signature", attachment.signature.as_ref())?)
            .map_err(|err| invalid("signature", err))?;

    let claims = serde_json::json!({
        "iss": csp_id.expose(),
        "iat": unix_seconds(SystemTime::now()),
    })
    .to_string();
    let token = jwt::encode(
        br#"{"alg":"HS256","typ":"JWT"}"#,
        claims.as_bytes(),
        &signing_key,
    );
    let secrets = [token.as_str()];
    let request = job
        .http
        .client
        .get(api_url(
            &job.config.apple_api,
            "preDownload",
            Channel::Apple,
        )?)
        .bearer_auth(&token)
        .header("source-id", header("business id", &business_id)?)
        .header("url", header("url", &url)?)
        .header("owner", header("owner", &owner)?)
        .header(
            "signature",
            header("signature", &STANDARD.encode(signature))?,
        );
    let response = job.http.send(request, LOOKUP, &secrets).await?;
    let status = response.status();
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        return Err(FetchError::Refused {
            channel: Channel::Apple,
            step: LOOKUP,
            status: status.as_u16(),
            hint: "check the secret's `api_secret` and `csp_id`, and the business id",
        });
    }
    let body = job.http.answer(response, LOOKUP, &secrets).await?;
    if !status.is_success() {
        let why = (status == StatusCode::BAD_REQUEST)
            .then_some("Apple did not take the attachment's url, owner or signature");
        return Err(job.http.status(LOOKUP, status, why, &secrets));
    }
    let download_url = serde_json::from_slice::<PreDownload>(&body)
        .ok()
        .and_then(|answer| answer.download_url)
        .as_deref()
        .and_then(web_url)
        .ok_or(FetchError::BadAnswer {
            channel: Channel::Apple,
            step: LOOKUP,
            detail: "no download-url",
        })?;

    let response = job
        .http
        .send(job.http.client.get(download_url), STEP, &[])
        .await?;
    let status = response.status();
    if matches!(
        status,
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE
    ) {
        return Err(FetchError::Expired {
            channel: Channel::Apple,
            status: status.as_u16(),
        });
    }
    if !status.is_success() {
        return Err(job.http.status(STEP, status, None, &[]));
    }
    let mut fetched = job.http.file(response, STEP, &[]).await?;
    if !apple_crypto::checksum_matches(&signature, &fetched.bytes) {
        return Err(FetchError::Checksum {
            channel: Channel::Apple,
            detail: "the downloaded bytes are not the ones Apple signed (altered, cut short, or another file)",
        });
    }
    apple_crypto::apply_cipher(&key, &mut fetched.bytes);
    // What Apple served is the encrypted blob; its type says nothing about the file.
    fetched.content_type = None;
    Ok(fetched)
}

fn invalid(field: &'static str, err: FormatError) -> FetchError {
    FetchError::InvalidField {
        channel: Channel::Apple,
        field,
        reason: match err {
            FormatError::Key => "not a 256-bit key in hex",
            FormatError::Signature => "not an MMCS file checksum of a known kind",
        },
    }
}

fn header(field: &'static str, value: &str) -> Result<HeaderValue, FetchError> {
    HeaderValue::from_str(value).map_err(|_| FetchError::InvalidField {
        channel: Channel::Apple,
        field,
        reason: "it holds characters an HTTP header cannot carry",
    })
}

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}
