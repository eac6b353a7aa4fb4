//! Slack: the envelope's `url` is the file's `url_private`, read with the bot token as a Bearer
//! credential. The token goes only to Slack's file hosts. Slack answers a wrong token, or one
//! without the `files:read` scope, with its sign-in page and status 200: that is an error.

use reqwest::StatusCode;

use super::Job;
use crate::credentials::credential;
use crate::transfer::{Fetched, refuse_web_page};
use crate::{Channel, FetchError};

const STEP: &str = "the file";
const TOKEN_HINT: &str =
    "the secret's `bot_token` is wrong, revoked, or lacks the files:read scope";

pub async fn fetch(job: &Job<'_>) -> Result<Fetched, FetchError> {
    let token = credential(job.secret, Channel::Slack, "bot_token")?;
    let url = job.attachment_url()?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if !is_slack_file_host(&host, &job.config.slack_file_hosts) {
        return Err(FetchError::InvalidField {
            channel: Channel::Slack,
            field: "url",
            reason: "it is not on a Slack file host, so the bot token is not sent there",
        });
    }
    let secrets = [token.expose()];
    let request = job.http.client.get(url).bearer_auth(token.expose());
    let response = job.http.send(request, STEP, &secrets).await?;
    let status = response.status();
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        return Err(FetchError::Refused {
            channel: Channel::Slack,
            step: STEP,
            status: status.as_u16(),
            hint: TOKEN_HINT,
        });
    }
    if !status.is_success() {
        let why = (status == StatusCode::NOT_FOUND)
            .then_some("the file was deleted, or is not shared where the bot is");
        return Err(job.http.status(STEP, status, why, &secrets));
    }
    let fetched = job.http.file(response, STEP, &secrets).await?;
    refuse_web_page(
        Channel::Slack,
        job.attachment.mime_type.as_deref(),
        &fetched,
        TOKEN_HINT,
    )?;
    Ok(fetched)
}

/// `host` is one of `allowed`, or a subdomain of one.
fn is_slack_file_host(host: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|allowed| {
        let allowed = allowed.trim().to_ascii_lowercase();
        !allowed.is_empty()
            && (host == allowed
                || host
                    .strip_suffix(allowed.as_str())
                    .is_some_and(|prefix| prefix.ends_with('.')))
    })
}

#[cfg(test)]
mod tests {
    use super::is_slack_file_host;

    #[test]
    fn the_token_goes_to_slack_file_hosts_only() {
        let allowed = vec!["files.slack.com".to_owned()];
        assert!(is_slack_file_host("files.slack.com", &allowed));
        assert!(is_slack_file_host("eu.files.slack.com", &allowed));
        assert!(!is_slack_file_host("evilfiles.slack.com", &allowed));
        assert!(!is_slack_file_host(
            "files.slack.com.evil.example",
            &allowed
        ));
        assert!(!is_slack_file_host("files.slack.com", &[String::new()]));
    }
}
