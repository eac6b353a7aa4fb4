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
        // What `sam build` needs to build it as CI does (cargo lambda, from its own package).
        let (id, function) = resources(&template)
            .into_iter()
            .find(|(_, block)| block.contains(&format!("CodeUri: functions/{name}\n")))
            .unwrap();
        for needle in [
            "BuildMethod: rust-cargolambda\n".to_owned(),
            format!("Binary: {}\n", messenger.lambda_binary()),
        ] {
            assert!(function.contains(&needle), "{id} lacks {needle:?}");
        }
    }
}

/// The template's resources by logical id, each with the text of its block.
fn resources(template: &str) -> Vec<(&str, String)> {
    let body = template
        .split_once("\nResources:\n")
        .and_then(|(_, rest)| rest.split_once("\nOutputs:\n"))
        .map(|(resources, _)| resources)
        .expect("template.yaml has Resources and Outputs");
    let mut blocks: Vec<(&str, String)> = Vec::new();
    for line in body.lines() {
        let id = line
            .strip_prefix("  ")
            .and_then(|rest| rest.strip_suffix(':'))
            .filter(|id| id.chars().all(|c| c.is_ascii_alphanumeric()));
        match (id, blocks.last_mut()) {
            (Some(id), _) => blocks.push((id, String::new())),
            (None, Some((_, block))) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// The dashboard's body with every `${...}` of its `!Sub` replaced by the name inside.
fn dashboard(template: &str) -> Value {
    let block = resources(template)
        .into_iter()
        .find(|(_, block)| block.contains("Type: AWS::CloudWatch::Dashboard\n"))
        .map(|(_, block)| block)
        .expect("template.yaml has a dashboard");
    let (_, after) = block
        .split_once("DashboardBody: !Sub\n")
        .expect("the dashboard body is a !Sub");
    let mut lines = after.lines();
    let start = lines.next().expect("a body").trim_end();
    assert!(start.ends_with("- |"), "{start:?}");
    let indent = start.len() - start.trim_start().len() + 2;
    let text: String = lines
        .take_while(|line| line.len() > indent && line[..indent].trim().is_empty())
        .map(|line| format!("{}\n", &line[indent..]))
        .collect();
    let mut resolved = String::new();
    let mut rest = text.as_str();
    while let Some((before, after)) = rest.split_once("${") {
        let (name, after) = after.split_once('}').expect("a closed ${");
        resolved.push_str(before);
        // A `*Item` variable is a piece of JSON itself (or nothing).
        if !name.ends_with("Item") {
            resolved.push_str(name);
        }
        rest = after;
    }
    resolved.push_str(rest);
    serde_json::from_str(&resolved).unwrap_or_else(|err| panic!("dashboard body: {err}"))
}

/// The dashboard's metrics as the strings of their arrays: namespace, name, dimension pairs.
fn dashboard_metrics(dashboard: &Value) -> Vec<Vec<&str>> {
    dashboard["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|widget| widget["properties"]["metrics"].as_array())
        .flatten()
        .filter_map(Value::as_array)
        .map(|metric| metric.iter().filter_map(Value::as_str).collect())
        .collect()
}

#[test]
fn the_template_watches_every_messenger() {
    let template = read("template.yaml");
    let resources = resources(&template);
    let alarms: Vec<&(&str, String)> = resources
        .iter()
        .filter(|(_, block)| block.contains("Type: AWS::CloudWatch::Alarm\n"))
        .collect();
    for (id, block) in &alarms {
        for action in ["AlarmActions", "OKActions"] {
            let line =
                format!("{action}: !If [HasAlarmTopic, [!Ref AlarmTopicArn], !Ref AWS::NoValue]\n");
            assert!(block.contains(&line), "{id} lacks {line:?}");
        }
    }
    let alarm = |name: &str| {
        let line = format!("AlarmName: !Sub ${{AWS::StackName}}-{name}\n");
        alarms
            .iter()
            .find(|(_, block)| block.contains(&line))
            .map(|(_, block)| block.as_str())
            .unwrap_or_else(|| panic!("template.yaml has no alarm {name}"))
    };
    alarm("dead-letter-queue");
    assert!(alarm("signature-failures").contains("GROUP BY \"channel\", \"bot\""));

    let dashboard = dashboard(&template);
    let metrics = dashboard_metrics(&dashboard);
    let shown = |wanted: &[&str]| metrics.iter().any(|metric| metric.as_slice() == wanted);
    for messenger in all() {
        let name = messenger.name;
        let function = resources
            .iter()
            .find(|(_, block)| block.contains(&format!("CodeUri: functions/{name}\n")))
            .map(|(id, _)| *id)
            .unwrap();
        let five_xx = alarm(&format!("{name}-5xx"));
        for needle in [
            format!("Value: {name}\n"),
            format!("Value: !Ref {function}\n"),
        ] {
            assert!(five_xx.contains(&needle), "{name}-5xx lacks {needle:?}");
        }
        for metric in ["Requests", "Enqueued", "Unavailable", "HandlerMs"] {
            let wanted = ["MessengerReceivers", metric, "channel", name];
            assert!(shown(&wanted), "the dashboard lacks {wanted:?}");
        }
        // The reasons of DESIGN §11.
        for reason in [
            "signature",
            "unknown_bot",
            "malformed",
            "too_large",
            "method",
        ] {
            let wanted = [
                "MessengerReceivers",
                "Rejected",
                "channel",
                name,
                "reason",
                reason,
            ];
            assert!(shown(&wanted), "the dashboard lacks {wanted:?}");
        }
        let errors = ["AWS/Lambda", "Errors", "FunctionName", function];
        assert!(shown(&errors), "the dashboard lacks {errors:?}");
    }
    for (metric, queue) in [
        ("ApproximateAgeOfOldestMessage", "QueueName"),
        ("ApproximateNumberOfMessagesVisible", "DeadLetterQueueName"),
    ] {
        let wanted = ["AWS/SQS", metric, "QueueName", queue];
        assert!(shown(&wanted), "the dashboard lacks {wanted:?}");
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
