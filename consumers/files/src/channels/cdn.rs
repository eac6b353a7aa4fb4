//! Viber and Facebook: the envelope's `url` is the platform's CDN link to the file, readable
//! without a credential for a limited time; a refused or missing link has expired.

use reqwest::StatusCode;

use super::Job;
use crate::FetchError;
use crate::transfer::{Fetched, refuse_web_page};

const STEP: &str = "the file";

pub async fn fetch(job: &Job<'_>) -> Result<Fetched, FetchError> {
    let channel = job.http.channel;
    let url = job.attachment_url()?;
    let response = job.http.send(job.http.client.get(url), STEP, &[]).await?;
    let status = response.status();
    if matches!(
        status,
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE
    ) {
        return Err(FetchError::Expired {
            channel,
            status: status.as_u16(),
        });
    }
    if !status.is_success() {
        return Err(job.http.status(STEP, status, None, &[]));
    }
    let fetched = job.http.file(response, STEP, &[]).await?;
    refuse_web_page(
        channel,
        job.attachment.mime_type.as_deref(),
        &fetched,
        "the link led to a page, not to the file; it may have expired",
    )?;
    Ok(fetched)
}
