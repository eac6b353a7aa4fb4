//! Telegram: `getFile` turns the attachment's `file_id` into a `file_path`, then the file is at
//! `{api}/file/bot{token}/{file_path}`. Both URLs carry the bot token, so neither is ever shown.
//! The Bot API serves files up to 20 MB; `getFile` refuses larger ones.

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Job, api_url};
use crate::credentials::credential;
use crate::transfer::{Fetched, refuse_web_page};
use crate::{Channel, FetchError};

const LOOKUP: &str = "getFile";
const STEP: &str = "the file";

/// The Bot API's answer to `getFile`.
#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(default)]
    ok: bool,
    #[serde(default)]
    result: Option<File>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
struct File {
    #[serde(default)]
    file_path: Option<String>,
    #[serde(default)]
    file_size: Option<u64>,
}

pub async fn fetch(job: &Job<'_>) -> Result<Fetched, FetchError> {
    let token = credential(job.secret, Channel::Telegram, "token")?;
    let file_id = job.required("file_id", job.attachment.file_id.as_ref())?;
    let secrets = [token.expose()];
    let api = &job.config.telegram_api;

    let mut lookup = api_url(
        api,
        &format!("bot{}/getFile", token.expose()),
        Channel::Telegram,
    )?;
    lookup.query_pairs_mut().append_pair("file_id", &file_id);
    let response = job
        .http
        .send(job.http.client.get(lookup), LOOKUP, &secrets)
        .await?;
    let status = response.status();
    let body = job.http.answer(response, LOOKUP, &secrets).await?;
    let answer: Option<Answer> = serde_json::from_slice(&body).ok();
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::NOT_FOUND) && !answered_ok(&answer) {
        // The Bot API answers an unknown token with 401, or 404 on some paths.
        return Err(FetchError::Refused {
            channel: Channel::Telegram,
            step: LOOKUP,
            status: status.as_u16(),
            hint: "the secret's `token` is wrong or revoked",
        });
    }
    let file = match answer {
        Some(Answer {
            ok: true,
            result: Some(file),
            ..
        }) if status.is_success() => file,
        Some(answer) => {
            let description = answer.description.as_deref();
            let too_big = description.is_some_and(|text| text.contains("too big"));
            if too_big {
                return Err(job.http.status(
                    LOOKUP,
                    status,
                    Some("the Bot API hands out files up to 20 MB only"),
                    &secrets,
                ));
            }
            return Err(job.http.status(LOOKUP, status, description, &secrets));
        }
        None => {
            return Err(FetchError::BadAnswer {
                channel: Channel::Telegram,
                step: LOOKUP,
                detail: "not the Bot API's JSON",
            });
        }
    };
    if file
        .file_size
        .is_some_and(|size| size > job.config.max_bytes)
    {
        return Err(FetchError::TooLarge {
            limit: job.config.max_bytes,
        });
    }
    let file_path = file
        .file_path
        .filter(|path| !path.trim().is_empty())
        .ok_or(FetchError::BadAnswer {
            channel: Channel::Telegram,
            step: LOOKUP,
            detail: "no file_path",
        })?;

    let url = api_url(
        api,
        &format!(
            "file/bot{}/{}",
            token.expose(),
            file_path.trim_start_matches('/')
        ),
        Channel::Telegram,
    )?;
    let response = job
        .http
        .send(job.http.client.get(url), STEP, &secrets)
        .await?;
    let status = response.status();
    if !status.is_success() {
        let why = (status == StatusCode::NOT_FOUND)
            .then_some("a file link lasts an hour; fetch it again for a new one");
        return Err(job.http.status(STEP, status, why, &secrets));
    }
    let fetched = job.http.file(response, STEP, &secrets).await?;
    refuse_web_page(
        Channel::Telegram,
        job.attachment.mime_type.as_deref(),
        &fetched,
        "the Bot API served a page, not the file",
    )?;
    Ok(fetched)
}

fn answered_ok(answer: &Option<Answer>) -> bool {
    answer.as_ref().is_some_and(|answer| answer.ok)
}
