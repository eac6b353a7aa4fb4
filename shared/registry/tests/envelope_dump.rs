//! The envelopes of every sample event (`events/`) and every payload fixture
//! (`functions/<channel>/tests/fixtures`), signed with the demo bots' secrets: they match the
//! schema, carry no credential, read back as written, and are dumped as JSON Lines for the
//! consumers' round trip (`scripts/check-consumers`) when `ENVELOPE_DUMP` names a file.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use messengers::{Visitor, samples, visit_all};
use serde_json::{Map, Value, json};
use shared_core::channel::{envelope_from, verify};
use shared_core::sample::Outgoing;
use shared_core::secret::SecretDocument;
use shared_core::setting::ConfigError;
use shared_core::testing::{assert_matches_schema, fixed_now};
use shared_core::{Channel, Envelope, EventKind, MessageType, Outcome};

const RECEIVED_AT: &str = "2026-11-24T13:00:01.120Z";

/// One envelope and the file it was made from.
struct Made {
    source: String,
    envelope: Envelope,
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo_bots() -> Value {
    let text = std::fs::read_to_string(repository().join("bots.example.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every envelope, made once for all the tests.
fn made() -> &'static [Made] {
    static MADE: OnceLock<Vec<Made>> = OnceLock::new();
    MADE.get_or_init(|| {
        let mut collect = Collect(Vec::new());
        visit_all(&mut collect, &|_| None).unwrap();
        collect.0
    })
}

/// Runs each messenger's samples and fixtures through its channel, as the pipeline would.
struct Collect(Vec<Made>);

impl Visitor for Collect {
    type Error = ConfigError;

    fn visit<C: Channel + Default>(&mut self, channel: C) -> Result<(), ConfigError> {
        let bot = demo_bots()[format!("receivers/{}/demo", C::NAME)].clone();
        let document = SecretDocument::from_value(bot).expect("a demo bot per messenger");
        let secret: C::Secret = document.fields().expect("the demo secret reads");
        for kind in samples::kinds(C::NAME) {
            let (_, request) = samples::find(C::NAME, kind).unwrap();
            self.take(
                &channel,
                &secret,
                format!("events/{}/{kind}", C::NAME),
                request,
            );
        }
        for (source, request) in fixture_requests(C::NAME) {
            self.take(&channel, &secret, source, request);
        }
        Ok(())
    }
}

impl Collect {
    fn take<C: Channel>(
        &mut self,
        channel: &C,
        secret: &C::Secret,
        source: String,
        mut request: Outgoing,
    ) {
        let fail = |what: &dyn std::fmt::Display| -> ! { panic!("{source}: {what}") };
        if let Err(err) = channel.sign(&mut request, secret, fixed_now()) {
            fail(&err);
        }
        match channel.decode_body(&request.as_request(), 1 << 20) {
            Ok(Some(body)) => request.body = body,
            Ok(None) => {}
            Err(err) => fail(&err),
        }
        let outcome = verify(channel, request.as_request(), secret, fixed_now())
            .and_then(|verified| channel.receive(&verified, secret, fixed_now()))
            .unwrap_or_else(|err| fail(&err));
        if let Outcome::Events { events, .. } = outcome {
            for event in events {
                let envelope = envelope_from(C::NAME, "demo", RECEIVED_AT, event);
                assert_matches_schema(&envelope);
                let source = source.clone();
                self.0.push(Made { source, envelope });
            }
        }
    }
}

/// Each fixture of the messenger as the platform posts it, unsigned (its path, its request).
fn fixture_requests(channel: &str) -> Vec<(String, Outgoing)> {
    let mut files = Vec::new();
    json_files(
        &repository()
            .join("functions")
            .join(channel)
            .join("tests/fixtures"),
        &mut files,
    );
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let folder = path
                .parent()
                .and_then(Path::file_name)
                .and_then(|f| f.to_str());
            let request = match (channel, folder) {
                ("slack", Some("interactivity")) => form(&[("payload".to_owned(), text)]),
                ("slack", Some("commands")) => {
                    let fields: Map<String, Value> = serde_json::from_str(&text).unwrap();
                    let pairs: Vec<(String, String)> = fields
                        .into_iter()
                        .map(|(name, value)| (name, value.as_str().unwrap_or_default().to_owned()))
                        .collect();
                    form(&pairs)
                }
                ("abc", _) => with_apple_headers(&text),
                _ => with_type(Outgoing::post(text), "application/json"),
            };
            let relative = path.strip_prefix(repository()).unwrap_or(&path);
            (relative.display().to_string(), request)
        })
        .collect()
}

fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            found.push(path);
        }
    }
}

fn with_type(mut request: Outgoing, content_type: &str) -> Outgoing {
    request.set_header("content-type", content_type).unwrap();
    request
}

/// A form post of these fields, percent-encoded as browsers and Slack send them.
fn form(fields: &[(String, String)]) -> Outgoing {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                    char::from(byte).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{byte:02X}"),
            })
            .collect()
    };
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect();
    with_type(
        Outgoing::post(body.join("&")),
        "application/x-www-form-urlencoded",
    )
}

/// Apple's body with the headers Apple sends beside it (the token comes from `sign`).
fn with_apple_headers(text: &str) -> Outgoing {
    let body: Value = serde_json::from_str(text).unwrap();
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    let mut request = with_type(Outgoing::post(text), "application/json");
    let headers = [
        ("id", field("id")),
        ("source-id", field("sourceId")),
        ("destination-id", field("destinationId")),
        ("device-agent", "iPhone OS".to_owned()),
        ("capability-list", "AUTH,LIST,TIME,FORM,QUICK".to_owned()),
    ];
    for (name, value) in headers {
        request.set_header(name, &value).unwrap();
    }
    request
}

#[test]
fn every_messenger_has_envelopes_from_its_samples_and_from_its_fixtures() {
    for messenger in messengers::all() {
        let from = |prefix: String| {
            made()
                .iter()
                .filter(|m| m.source.starts_with(&prefix))
                .count()
        };
        assert!(
            from(format!("events/{}/", messenger.name)) > 0,
            "{}",
            messenger.name
        );
        assert!(
            from(format!("functions/{}/", messenger.name)) > 0,
            "{}",
            messenger.name
        );
    }
}

/// Fields of a bot's secret that name it rather than prove anything: platforms send them in
/// the events themselves (Slack's `bot_id` on the bot's own messages, Apple's CSP id).
const IDENTIFIERS: &[&str] = &["bot_id", "csp_id", "business_id"];

/// Every other field's value in the demo secrets, and the prefixes of tokens that must never
/// travel.
fn credentials() -> Vec<String> {
    let mut found = vec!["xoxb-".to_owned(), "access_token=".to_owned()];
    for document in demo_bots().as_object().unwrap().values() {
        for (field, value) in document.as_object().unwrap() {
            if !IDENTIFIERS.contains(&field.as_str()) {
                found.push(value.as_str().unwrap().to_owned());
            }
        }
    }
    found
}

#[test]
fn no_envelope_carries_a_credential() {
    let credentials = credentials();
    let telegram_token = demo_bots()["receivers/telegram/demo"]["token"].clone();
    assert!(credentials.contains(&telegram_token.as_str().unwrap().to_owned()));
    for made in made() {
        let text = serde_json::to_string(&made.envelope).unwrap();
        for credential in &credentials {
            assert!(
                !text.contains(credential.as_str()),
                "{}: holds {credential:?}",
                made.source
            );
        }
    }
}

/// Envelopes as a newer receiver may write them: an event, message and attachment type and
/// channel this build does not know, and fields added later.
fn newer_envelopes(known: &Value) -> Vec<Value> {
    let mut event = known.clone();
    event["event"] = json!("poll_closed");
    let mut message_type = known.clone();
    message_type["message"]["type"] = json!("hologram");
    message_type["message"]["attachments"] =
        json!([{"type": "hologram", "url": "https://example.test/h"}]);
    let mut channel = known.clone();
    channel["channel"] = json!("line");
    channel["event_id"] = json!("line:demo:U4af4980629-1");
    let mut all = channel.clone();
    all["event"] = event["event"].clone();
    all["message"] = message_type["message"].clone();
    all["added_later"] = json!({"n": 1});
    all["message"]["added_later"] = json!(true);
    vec![event, message_type, channel, all]
}

#[test]
fn newer_vocabulary_reads_as_the_catch_all() {
    let known = serde_json::to_value(&made()[0].envelope).unwrap();
    let newer: Vec<Envelope> = newer_envelopes(&known)
        .into_iter()
        .map(|value| serde_json::from_value(value).unwrap())
        .collect();
    assert_eq!(newer[0].event, EventKind::Other);
    assert_eq!(newer[1].message.kind, MessageType::Unknown);
    assert_eq!(newer[1].message.attachments[0].kind, MessageType::Unknown);
    assert_eq!(newer[2].channel, "line");
    assert_eq!(
        (newer[3].event, newer[3].message.kind),
        (EventKind::Other, MessageType::Unknown)
    );
}

#[test]
fn every_envelope_reads_back_as_written_and_is_dumped_when_asked() {
    let mut lines = Vec::new();
    let mut sources = Vec::new();
    for made in made() {
        let text = serde_json::to_string(&made.envelope).unwrap();
        let again: Envelope = serde_json::from_str(&text).unwrap();
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            text,
            "{}",
            made.source
        );
        lines.push(text);
        sources.push(made.source.clone());
    }
    let known = serde_json::to_value(&made()[0].envelope).unwrap();
    for (index, newer) in newer_envelopes(&known).into_iter().enumerate() {
        lines.push(newer.to_string());
        sources.push(format!("newer vocabulary #{index}"));
    }
    if let Some(path) = std::env::var_os("ENVELOPE_DUMP") {
        let path = PathBuf::from(path);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let mut sources_path = path.into_os_string();
        sources_path.push(".sources");
        std::fs::write(sources_path, sources.join("\n") + "\n").unwrap();
        eprintln!("wrote {} envelopes", lines.len());
    }
}
