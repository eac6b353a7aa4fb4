//! The registry against everything else that names the messengers: the envelope schema, the
//! SAM template, the demo secrets, the sample events and the function crates. A messenger added
//! in one place and forgotten in another fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use shared_core::channel::verify;
use shared_core::sample::Fresh;
use shared_core::secret::SecretDocument;
use shared_core::setting::ConfigError;
use shared_core::{Channel, Outcome};

use super::{Visitor, all, samples, visit_all};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repository().join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn names() -> BTreeSet<&'static str> {
    all().iter().map(|messenger| messenger.name).collect()
}

#[test]
fn the_schema_names_the_same_channels() {
    let schema: Value = serde_json::from_str(&read("shared/schema/envelope.schema.json")).unwrap();
    let listed: BTreeSet<&str> = schema["properties"]["channel"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(listed, names());
    let pattern = schema["properties"]["event_id"]["pattern"]
        .as_str()
        .unwrap();
    for name in names() {
        assert!(pattern.contains(name), "event_id pattern lacks {name}");
    }
}

#[test]
fn the_template_deploys_every_messenger_and_nothing_else() {
    let template = read("template.yaml");
    let binaries: BTreeSet<String> = template
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Binary: "))
        .map(str::to_owned)
        .filter(|binary| binary != "main-process-example")
        .collect();
    let expected: BTreeSet<String> = all().iter().map(|m| m.lambda_binary()).collect();
    assert_eq!(binaries, expected, "template.yaml's receiver functions");
    for messenger in all() {
        let name = messenger.name;
        for needle in [
            format!("CodeUri: functions/{name}\n"),
            format!("Path: /{name}/{{bot}}\n"),
            format!(":secret:${{SecretsPrefix}}{name}/*\n"),
        ] {
            assert!(template.contains(&needle), "template.yaml lacks {needle:?}");
        }
        for suffix in messenger.path_suffixes {
            let route = format!("Path: /{name}/{{bot}}{suffix}\n");
            assert!(template.contains(&route), "template.yaml lacks {route:?}");
        }
    }
}

#[test]
fn every_function_crate_is_a_messenger() {
    let crates: BTreeSet<String> = std::fs::read_dir(repository().join("functions"))
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().join("Cargo.toml").exists())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    let names: BTreeSet<String> = names().into_iter().map(str::to_owned).collect();
    assert_eq!(crates, names);
}

#[test]
fn the_demo_secrets_have_a_usable_bot_for_every_messenger() {
    let demo: Value = serde_json::from_str(&read("bots.example.json")).unwrap();
    let channels: BTreeSet<&str> = demo
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|key| key.strip_prefix("receivers/")?.split('/').next())
        .collect();
    assert_eq!(channels, names());
    for messenger in all() {
        let document = demo_secret(messenger.name);
        assert!(
            document.check_fields(messenger.secret_fields).is_ok(),
            "{}: {document:?}",
            messenger.name
        );
    }
}

fn demo_secret(channel: &str) -> SecretDocument {
    let demo: Value = serde_json::from_str(&read("bots.example.json")).unwrap();
    SecretDocument::from_value(demo[format!("receivers/{channel}/demo")].clone())
        .unwrap_or_else(|| panic!("no demo bot for {channel}"))
}

#[test]
fn every_messenger_has_samples_and_every_sample_a_messenger() {
    let with_samples: BTreeSet<&str> = samples::channels().into_iter().collect();
    assert_eq!(with_samples, names());
}

/// Every sample of every messenger, made fresh and signed through the registry with the demo
/// bot's secret, passes its channel's `authenticate` and `receive`.
struct SamplesHold(usize);

impl Visitor for SamplesHold {
    type Error = ConfigError;

    fn visit<C: Channel + Default>(&mut self, channel: C) -> Result<(), ConfigError> {
        let messenger = super::find(C::NAME).unwrap();
        let document = demo_secret(C::NAME);
        let secret: C::Secret = document.fields().unwrap();
        let mut fresh = Fresh::new(std::time::SystemTime::now(), 7);
        for kind in samples::kinds(C::NAME) {
            let (_, mut request) = samples::find(C::NAME, kind).unwrap();
            messenger
                .prepare(&mut request, &document, &mut fresh)
                .unwrap();
            let verified = verify(&channel, request.as_request(), &secret, fresh.now())
                .unwrap_or_else(|err| panic!("{}/{kind}: {err}", C::NAME));
            let decoded = channel.decode_body(&request.as_request(), 1 << 20).unwrap();
            let outcome = match decoded {
                Some(body) => {
                    let mut inflated = request.clone();
                    inflated.body = body;
                    let verified =
                        verify(&channel, inflated.as_request(), &secret, fresh.now()).unwrap();
                    channel.receive(&verified, &secret, fresh.now())
                }
                None => channel.receive(&verified, &secret, fresh.now()),
            };
            match outcome.unwrap_or_else(|err| panic!("{}/{kind}: {err}", C::NAME)) {
                Outcome::Handshake(_) => {}
                Outcome::Events { events, .. } => assert!(!events.is_empty(), "{}/{kind}", C::NAME),
            }
            self.0 += 1;
        }
        Ok(())
    }
}

#[test]
fn every_sample_signed_through_the_registry_is_accepted() {
    let mut check = SamplesHold(0);
    visit_all(&mut check, &|_| None).unwrap();
    assert!(check.0 >= names().len() * 2, "{} samples", check.0);
}
