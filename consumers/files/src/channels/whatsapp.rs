//! WhatsApp Cloud API: the attachment's `file_id` is a media id. Graph `GET /{media id}` with
//! the access token answers the media's short-lived `url` (about five minutes), its type, size
//! and SHA-256; that URL is then read with the same token, and the file checked against the hash.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::{Job, api_url, web_url};
use crate::credentials::credential;
use crate::transfer::{Fetched, refuse_web_page};
use crate::{Channel, FetchError};

const LOOKUP: &str = "the media id";
const STEP: &str = "the media file";
const TOKEN_HINT: &str = "the secret's `access_token` is wrong or expired";

/// Graph's answer for a media id.
#[derive(Debug, Deserialize)]
struct Media {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    mime_type: Option<String>,
    #[serde(default)]
    sha256: Option<String>,
    /// A number, or its decimal text.
    #[serde(default)]
    file_size: Option<Value>,
}

pub async fn fetch(job: &Job<'_>) -> Result<Fetched, FetchError> {
    let token = credential(job.secret, Channel::WhatsApp, "access_token")?;
    let media_id = job.required("file_id", job.attachment.file_id.as_ref())?;
    if !media_id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(FetchError::InvalidField {
            channel: Channel::WhatsApp,
            field: "file_id",
            reason: "a media id is letters and digits",
        });
    }
    let secrets = [token.expose()];

    let mut lookup = api_url(&job.config.graph_api, &media_id, Channel::WhatsApp)?;
    if let Some(phone) = job.context.get("phone_number_id").and_then(Value::as_str) {
        // Graph then checks that the media belongs to the number that received it.
        lookup
            .query_pairs_mut()
            .append_pair("phone_number_id", phone);
    }
    let request = job.http.client.get(lookup).bearer_auth(token.expose());
    let response = job.http.send(request, LOOKUP, &secrets).await?;
    let status = response.status();
    let body = job.http.answer(response, LOOKUP, &secrets).await?;
    if !status.is_success() {
        return Err(graph_failure(job, status, &body, &secrets));
    }
    let media: Media = serde_json::from_slice(&body).map_err(|_| FetchError::BadAnswer {
        channel: Channel::WhatsApp,
        step: LOOKUP,
        detail: "not Graph's media JSON",
    })?;
    if size_of(media.file_size.as_ref()).is_some_and(|size| size > job.config.max_bytes) {
        return Err(FetchError::TooLarge {
            limit: job.config.max_bytes,
        });
    }
    let url = media
        .url
        .as_deref()
        .and_then(web_url)
        .ok_or(FetchError::BadAnswer {
            channel: Channel::WhatsApp,
            step: LOOKUP,
            detail: "no media url",
        })?;

    let request = job.http.client.get(url).bearer_auth(token.expose());
    let response = job.http.send(request, STEP, &secrets).await?;
    let status = response.status();
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        return Err(FetchError::Refused {
            channel: Channel::WhatsApp,
            step: STEP,
            status: status.as_u16(),
            hint: TOKEN_HINT,
        });
    }
    if !status.is_success() {
        return Err(job.http.status(STEP, status, None, &secrets));
    }
    let mut fetched = job.http.file(response, STEP, &secrets).await?;
    refuse_web_page(
        Channel::WhatsApp,
        job.attachment.mime_type.as_deref(),
        &fetched,
        "the media URL led to a page, not to the file",
    )?;
    if let Some(expected) = media.sha256.as_deref().and_then(sha256_of) {
        let actual: [u8; 32] = Sha256::digest(&fetched.bytes).into();
        if actual != expected {
            return Err(FetchError::Checksum {
                channel: Channel::WhatsApp,
                detail: "its SHA-256 is not the one Graph gives for the media",
            });
        }
    }
    if fetched.content_type.is_none() {
        fetched.content_type = media.mime_type;
    }
    Ok(fetched)
}

/// A Graph error answer as an error: a refused token, else the status with Graph's message.
fn graph_failure(job: &Job<'_>, status: StatusCode, body: &[u8], secrets: &[&str]) -> FetchError {
    let error = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|value| value.get("error").cloned());
    let code = error.as_ref().and_then(|error| error["code"].as_u64());
    if status == StatusCode::UNAUTHORIZED || code == Some(190) {
        return FetchError::Refused {
            channel: Channel::WhatsApp,
            step: LOOKUP,
            status: status.as_u16(),
            hint: TOKEN_HINT,
        };
    }
    let message = error
        .as_ref()
        .and_then(|error| error["message"].as_str())
        .map(str::to_owned)
        .or_else(|| {
            matches!(status, StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND)
                .then(|| "unknown media id; WhatsApp keeps media for 30 days".to_owned())
        });
    job.http.status(LOOKUP, status, message.as_deref(), secrets)
}

/// `file_size` as Graph sends it: a number or its decimal text.
fn size_of(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A SHA-256 as hex or base64; `None` when it is neither (then it is not checked).
fn sha256_of(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    let bytes = hex::decode(text)
        .ok()
        .or_else(|| STANDARD.decode(text).ok())?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_hashes_come_in_either_form() {
        assert_eq!(size_of(Some(&Value::from(12))), Some(12));
        assert_eq!(size_of(Some(&Value::from("303833"))), Some(303_833));
        assert_eq!(size_of(Some(&Value::from("big"))), None);
        let digest: [u8; 32] = Sha256::digest(b"x").into();
        assert_eq!(sha256_of(&hex::encode(digest)), Some(digest));
        assert_eq!(sha256_of(&STANDARD.encode(digest)), Some(digest));
        assert_eq!(sha256_of("abc"), None);
    }
}
