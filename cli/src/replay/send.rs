//! Where a replay sends: the SQS queue (the envelopes as they are, ten to a batch) or a
//! receivers URL (each event as its platform sent it, signed anew with the bot's secret).

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use indicatif::ProgressBar;
use shared::config::{ConfigError, Settings};
use shared::ports::Queue;
use shared::sample::{Outgoing, SignError};
use shared::secret::SecretDocument;
use shared::{Channel, Envelope};

use super::rebuild;
use crate::stores::SecretSource;

/// Envelopes per `SendMessageBatch`.
const BATCH: usize = 10;
/// Failures shown one by one; the rest are only counted.
const SHOWN_FAILURES: u64 = 10;

/// What happened to the envelopes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub sent: u64,
    pub skipped: u64,
    pub failed: u64,
}

impl Tally {
    fn fail(&mut self, progress: &ProgressBar, what: &str, reason: &str) {
        self.failed += 1;
        if self.failed <= SHOWN_FAILURES {
            say(progress, &format!("failed: {what}: {reason}"));
        }
    }

    fn skip(&mut self, progress: &ProgressBar, what: &str, reason: &str) {
        self.skipped += 1;
        if self.skipped <= SHOWN_FAILURES {
            say(progress, &format!("skipped: {what}: {reason}"));
        }
    }
}

/// A line on stderr above the bar (shown whether the bar is or not).
fn say(progress: &ProgressBar, line: &str) {
    progress.suspend(|| eprintln!("receivers: {line}"));
}

/// Sends the envelopes themselves, in order, a batch at a time; a batch that fails counts as
/// failed whole.
pub async fn to_queue(queue: &dyn Queue, envelopes: &[Envelope], progress: &ProgressBar) -> Tally {
    let mut tally = Tally::default();
    for batch in envelopes.chunks(BATCH) {
        match queue.send(batch).await {
            Ok(()) => tally.sent += batch.len() as u64,
            Err(err) => {
                for envelope in batch {
                    tally.fail(progress, &envelope.event_id, &err.to_string());
                }
            }
        }
        progress.inc(batch.len() as u64);
    }
    tally
}

/// Posts each event to `{base}/{channel}/{bot}`, rebuilt and signed with the bot's secret; an
/// event whose bot has no usable secret is skipped.
pub async fn to_url(
    base: &str,
    envelopes: &[Envelope],
    secrets: &SecretSource,
    settings: &Settings,
    progress: &ProgressBar,
) -> anyhow::Result<Tally> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let store = secrets.store();
    let mut documents: HashMap<(String, String), Option<SecretDocument>> = HashMap::new();
    let mut tally = Tally::default();
    for envelope in envelopes {
        progress.inc(1);
        let what = envelope.event_id.as_str();
        if crate::connect::parse_bot_name(&envelope.bot).is_err() {
            tally.skip(progress, what, "the bot is not a bot name");
            continue;
        }
        let key = (envelope.channel.clone(), envelope.bot.clone());
        if !documents.contains_key(&key) {
            let name = settings.secret_name(&envelope.channel, &envelope.bot);
            match store.fetch(&name).await {
                Ok(document) => {
                    documents.insert(key.clone(), document);
                }
                Err(err) => {
                    tally.skip(progress, what, &err.to_string());
                    continue;
                }
            }
        }
        let Some(Some(secret)) = documents.get(&key) else {
            tally.skip(progress, what, "no secret for this bot");
            continue;
        };
        let request = match signed(envelope, secret) {
            Ok(request) => request,
            Err(reason) => {
                tally.skip(progress, what, &reason);
                continue;
            }
        };
        let url = format!(
            "{base}/{}/{}{}",
            envelope.channel, envelope.bot, request.path_suffix
        );
        let sent = client
            .request(request.method.clone(), &url)
            .headers(request.headers.clone())
            .body(request.body.clone())
            .send()
            .await;
        match sent {
            Ok(answer) if answer.status().is_success() => tally.sent += 1,
            Ok(answer) => tally.fail(progress, what, &format!("answered {}", answer.status())),
            Err(err) => tally.fail(progress, what, &err.without_url().to_string()),
        }
    }
    Ok(tally)
}

/// The envelope's event as its platform's request, signed now with the bot's secret.
fn signed(envelope: &Envelope, secret: &SecretDocument) -> Result<Outgoing, String> {
    let mut request = rebuild::request(envelope).map_err(|err| err.to_string())?;
    let mut signer = Signer {
        channel: &envelope.channel,
        secret,
        request: &mut request,
        now: SystemTime::now(),
        signed: None,
    };
    messengers::visit_all(&mut signer, &|name| std::env::var(name).ok())
        .map_err(|err| err.to_string())?;
    match signer.signed {
        Some(Ok(())) => Ok(request),
        Some(Err(err)) => Err(err.to_string()),
        None => Err(format!("no messenger is named {:?}", envelope.channel)),
    }
}

/// Signs with the channel of the envelope, found among every messenger of the registry.
struct Signer<'a> {
    channel: &'a str,
    secret: &'a SecretDocument,
    request: &'a mut Outgoing,
    now: SystemTime,
    signed: Option<Result<(), SignError>>,
}

impl messengers::Visitor for Signer<'_> {
    type Error = ConfigError;

    fn visit<C: Channel + Default>(&mut self, channel: C) -> Result<(), ConfigError> {
        if C::NAME == self.channel {
            let signed = self
                .secret
                .fields::<C::Secret>()
                .map_err(SignError::Secret)
                .and_then(|secret| channel.sign(self.request, &secret, self.now));
            self.signed = Some(signed);
        }
        Ok(())
    }
}
