//! Makes a sample event new and signs it the way its platform does, with the bot's secret:
//! fresh ids (so a receiver does not drop it as a retry), current times, then the signature.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::json;
use shared::SecretString;
use shared::secret::SecretDocument;
use shared::verify::{hmac_sha256, to_hex};

use super::fresh::{quoted, rewrite_field};
use super::samples::Request;
use crate::random;

/// Freshens and signs `request` for `channel` with the bot's `secret`, as of `now`.
pub fn prepare(
    channel: &str,
    request: &mut Request,
    secret: &SecretDocument,
    now: SystemTime,
) -> anyhow::Result<()> {
    let seconds = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let millis = now
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    match channel {
        "telegram" => telegram(request, &fields(secret)?),
        "viber" => viber(request, &fields(secret)?, millis),
        "facebook" => facebook(request, &fields(secret)?, millis),
        "slack" => slack(request, &fields(secret)?, seconds),
        "abc" => abc(request, &fields(secret)?, seconds),
        other => bail!("no signing for channel {other:?}"),
    }
}

fn fields<T: for<'de> Deserialize<'de>>(secret: &SecretDocument) -> anyhow::Result<T> {
    secret
        .fields()
        .map_err(|reason| anyhow!("the bot's secret cannot sign: {reason}"))
}

fn body_text(request: &Request) -> anyhow::Result<String> {
    String::from_utf8(request.body.clone()).context("the sample's body is not UTF-8")
}

#[derive(Deserialize)]
struct TelegramSecret {
    secret_token: SecretString,
}

fn telegram(request: &mut Request, secret: &TelegramSecret) -> anyhow::Result<()> {
    let body = rewrite_field(&body_text(request)?, "update_id", |_| {
        Some(random::number(100_000_000, 1_900_000_000).to_string())
    });
    request.body = body.into_bytes();
    request.set_header(
        "X-Telegram-Bot-Api-Secret-Token",
        secret.secret_token.expose(),
    );
    Ok(())
}

#[derive(Deserialize)]
struct ViberSecret {
    token: SecretString,
}

fn viber(request: &mut Request, secret: &ViberSecret, millis: u128) -> anyhow::Result<()> {
    let body = rewrite_field(&body_text(request)?, "message_token", |_| {
        Some(random::number(4_000_000_000_000_000_000, 1_000_000_000_000_000_000).to_string())
    });
    let body = rewrite_field(&body, "timestamp", |_| Some(millis.to_string()));
    let signature = hmac_sha256(secret.token.expose().as_bytes(), &[body.as_bytes()]);
    request.body = body.into_bytes();
    request.set_header("X-Viber-Content-Signature", to_hex(&signature));
    Ok(())
}

#[derive(Deserialize)]
struct FacebookSecret {
    app_secret: SecretString,
    verify_token: SecretString,
}

fn facebook(request: &mut Request, secret: &FacebookSecret, millis: u128) -> anyhow::Result<()> {
    if request.method == http::Method::GET {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&request.query)?;
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(name, value)| match name.as_str() {
                "hub.verify_token" => (name, secret.verify_token.expose().to_owned()),
                "hub.challenge" => (
                    name,
                    random::number(1_000_000_000, 9_000_000_000).to_string(),
                ),
                _ => (name, value),
            })
            .collect();
        request.query = serde_urlencoded::to_string(pairs)?;
        return Ok(());
    }
    // Every distinct mid gets one new mid, so an item that names another keeps naming it.
    let mut mids: HashMap<String, String> = HashMap::new();
    let body = rewrite_field(&body_text(request)?, "mid", |old| {
        let new = mids
            .entry(old.to_owned())
            .or_insert_with(|| quoted(&format!("m_sim{}", random::token(40))));
        Some(new.clone())
    });
    let mut offset = 0;
    let body = rewrite_field(&body, "timestamp", |_| {
        offset += 1;
        Some((millis + offset).to_string())
    });
    let body = rewrite_field(&body, "watermark", |_| Some(millis.to_string()));
    let signature = hmac_sha256(secret.app_secret.expose().as_bytes(), &[body.as_bytes()]);
    request.body = body.into_bytes();
    request.set_header(
        "X-Hub-Signature-256",
        format!("sha256={}", to_hex(&signature)),
    );
    Ok(())
}

#[derive(Deserialize)]
struct SlackSecret {
    signing_secret: SecretString,
}

fn slack(request: &mut Request, secret: &SlackSecret, seconds: u64) -> anyhow::Result<()> {
    let trigger_id = || {
        format!(
            "{}.{}.{}",
            random::number(10_000_000_000, 90_000_000_000),
            random::number(100_000_000, 900_000_000),
            random::hex(32)
        )
    };
    let text = body_text(request)?;
    let body = if text.trim_start().starts_with('{') {
        let body = rewrite_field(&text, "event_id", |_| {
            Some(quoted(&format!("Ev{}", random::upper_alphanumeric(10))))
        });
        rewrite_field(&body, "event_time", |_| Some(seconds.to_string()))
    } else {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&text)?;
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(name, value)| match name.as_str() {
                "trigger_id" => (name, trigger_id()),
                "payload" => {
                    let value =
                        rewrite_field(&value, "trigger_id", |_| Some(quoted(&trigger_id())));
                    (name, value)
                }
                _ => (name, value),
            })
            .collect();
        serde_urlencoded::to_string(pairs)?
    };
    let timestamp = seconds.to_string();
    let signature = hmac_sha256(
        secret.signing_secret.expose().as_bytes(),
        &[b"v0:", timestamp.as_bytes(), b":", body.as_bytes()],
    );
    request.body = body.into_bytes();
    request.set_header("X-Slack-Request-Timestamp", timestamp);
    request.set_header("X-Slack-Signature", format!("v0={}", to_hex(&signature)));
    Ok(())
}

#[derive(Deserialize)]
struct AbcSecret {
    api_secret: SecretString,
    csp_id: String,
    #[serde(default)]
    business_id: Option<String>,
}

fn abc(request: &mut Request, secret: &AbcSecret, seconds: u64) -> anyhow::Result<()> {
    let gzipped = request.body.starts_with(&[0x1f, 0x8b]);
    let mut text = String::new();
    if gzipped {
        flate2::read::GzDecoder::new(request.body.as_slice())
            .read_to_string(&mut text)
            .context("the sample's gzip body does not inflate")?;
    } else {
        text = body_text(request)?;
    }
    let id = random::uuid();
    if let Some(old) = request.header("id").map(quoted) {
        text = rewrite_field(&text, "id", |value| (value == old).then(|| quoted(&id)));
    }
    request.set_header("id", id);
    if let Some(business) = secret.business_id.as_deref().filter(|id| !id.is_empty()) {
        text = rewrite_field(&text, "destinationId", |_| Some(quoted(business)));
        request.set_header("destination-id", business);
    }
    request.body = if gzipped {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text.as_bytes())?;
        encoder.finish()?
    } else {
        text.into_bytes()
    };
    let key = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(secret.api_secret.expose()).ok())
        .ok_or_else(|| anyhow!("the bot's api_secret is not base64"))?;
    let header = URL_SAFE_NO_PAD.encode(json!({"alg": "HS256", "typ": "JWT"}).to_string());
    let claims = URL_SAFE_NO_PAD.encode(json!({"aud": secret.csp_id, "iat": seconds}).to_string());
    let signing_input = format!("{header}.{claims}");
    let signature = URL_SAFE_NO_PAD.encode(hmac_sha256(&key, &[signing_input.as_bytes()]));
    request.set_header(
        "Authorization",
        format!("Bearer {signing_input}.{signature}"),
    );
    Ok(())
}
