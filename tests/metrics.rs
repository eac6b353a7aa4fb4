//! What the Lambda handler reports, over moto: one EMF object per invocation whose counts match
//! what was sent (accepted, duplicate, echo, each rejection, outages).
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use facebook_receiver::Facebook;
use integration_tests::{
    Aws, api_gateway_request, free_port, header_pairs, lambda_answer, post, sdk_for, settings,
    signed, unique,
};
use serde_json::{Value, json};
use shared::aws::secrets_manager::SecretsManager;
use shared::aws::sqs::SqsQueue;
use shared::config::Settings;
use shared::ledger::LedgerSettings;
use shared::metrics::emf::EmfSink;
use shared::pipeline::Pipeline;
use shared::sample::Outgoing;
use shared::secrets::SecretCache;

const APP_SECRET: &str = "metrics-app-secret";
const VERIFY_TOKEN: &str = "metrics-verify-token";

/// What the sink was given, as stdout would have been.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        let bytes = self.0.lock().unwrap().clone();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.is_empty() || text.ends_with('\n'));
        text.lines().map(str::to_owned).collect()
    }
}

fn secret() -> Value {
    json!({"app_secret": APP_SECRET, "verify_token": VERIFY_TOKEN, "page_access_token": "EAAB"})
}

/// A page entry with a text message per mid and, if asked, the page's own echo.
fn messages(mids: &[String], echo: bool) -> Vec<u8> {
    let mut messaging: Vec<Value> = mids
        .iter()
        .enumerate()
        .map(|(n, mid)| {
            json!({"sender": {"id": "7381234567890123"}, "recipient": {"id": "104729178325631"},
                   "timestamp": 1_795_525_200_000_u64 + n as u64, "message": {"mid": mid, "text": format!("text {n}")}})
        })
        .collect();
    if echo {
        messaging.push(json!({"sender": {"id": "104729178325631"}, "recipient": {"id": "7381234567890123"},
            "timestamp": 1_795_525_200_900_u64, "message": {"is_echo": true, "mid": format!("m_echo_{}", unique("e")), "text": "ours"}}));
    }
    json!({"object": "page", "entry": [{"id": "104729178325631", "time": 1_795_525_200_500_u64, "messaging": messaging}]})
        .to_string()
        .into_bytes()
}

fn signed_with(request: Outgoing, app_secret: &str, verify_token: &str) -> Outgoing {
    signed(
        &Facebook,
        &json!({"app_secret": app_secret, "verify_token": verify_token}),
        request,
        SystemTime::now(),
    )
}

fn mids(count: usize) -> Vec<String> {
    let base = unique("mid");
    (0..count).map(|n| format!("m_{base}_{n}")).collect()
}

/// An API Gateway request for `request` to `/facebook/{bot}`, with `method` if given.
fn gateway(request: &Outgoing, bot: &str, method: Option<&str>) -> lambda_http::Request {
    let query = request
        .query
        .as_deref()
        .map_or_else(String::new, |query| format!("?{query}"));
    let headers = header_pairs(request);
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    api_gateway_request(
        method.unwrap_or(request.method.as_str()),
        &format!("/facebook/{bot}{query}"),
        bot,
        &headers,
        &request.body,
    )
}

async fn invoke(
    pipeline: &Pipeline<Facebook>,
    sink: &EmfSink,
    request: lambda_http::Request,
) -> u16 {
    lambda_answer(&shared::lambda::handle_with_metrics(pipeline, sink, request).await).0
}

/// Holds `object` to the EMF specification: `_aws` with a Timestamp and CloudWatchMetrics
/// directives whose dimensions are string members and whose metrics are number members.
fn assert_valid_emf(object: &Value) {
    let metadata = &object["_aws"];
    assert!(metadata["Timestamp"].as_u64().unwrap() > 1_700_000_000_000);
    let directives = metadata["CloudWatchMetrics"].as_array().unwrap();
    assert!(!directives.is_empty());
    for directive in directives {
        assert_eq!(directive["Namespace"], "MessengerReceivers");
        for set in directive["Dimensions"].as_array().unwrap() {
            let set = set.as_array().unwrap();
            assert!((1..=30).contains(&set.len()));
            for key in set {
                assert!(
                    object[key.as_str().unwrap()].is_string(),
                    "{key} in {object}"
                );
            }
        }
        for metric in directive["Metrics"].as_array().unwrap() {
            let name = metric["Name"].as_str().unwrap();
            assert!(["Count", "Milliseconds"].contains(&metric["Unit"].as_str().unwrap()));
            assert!(object[name].is_number(), "{name} in {object}");
        }
    }
}

/// One expected object: bot, enqueued, duplicates, echoes, reason, unavailable.
type Expected = (&'static str, u64, u64, u64, Option<&'static str>, u64);

#[tokio::test]
async fn every_invocation_writes_one_emf_object_whose_counts_match_what_was_sent() {
    let aws = Aws::new().await;
    let queue_url = aws.fifo_queue().await;
    let settings = Settings {
        secrets_prefix: format!("{}/", unique("metrics")),
        body_limit: 4096,
        ..settings()
    };
    aws.put_secret(&settings.secret_name("facebook", "demo"), &secret())
        .await;
    let ledger = LedgerSettings {
        table: aws.ledger_table().await,
        horizon: Duration::from_secs(3600),
    };
    let pipeline = shared::lambda::connect(
        Facebook,
        settings.clone(),
        &aws.sdk,
        queue_url.clone(),
        Some(&ledger),
    )
    .await;
    let captured = Captured::default();
    let sink = EmfSink::to(captured.clone());
    let post = |body: &[u8]| post(body, "application/json");

    let batch = messages(&mids(2), true);
    let accepted = signed_with(post(&batch), APP_SECRET, VERIFY_TOKEN);
    let one = signed_with(post(&messages(&mids(1), false)), APP_SECRET, VERIFY_TOKEN);
    let handshake = Outgoing::get("hub.mode=subscribe&hub.challenge=77");
    let requests: Vec<(lambda_http::Request, u16)> = vec![
        (gateway(&accepted, "demo", None), 200),
        (gateway(&accepted, "demo", None), 200),
        (gateway(&one, "demo", None), 200),
        (
            gateway(&signed_with(handshake, APP_SECRET, "wrong"), "demo", None),
            403,
        ),
        (
            gateway(&signed_with(post(&batch), "forged", ""), "demo", None),
            401,
        ),
        (gateway(&accepted, "ghost", None), 404),
        (
            gateway(&signed_with(post(b"{"), APP_SECRET, ""), "demo", None),
            400,
        ),
        (gateway(&post(&vec![b' '; 5000]), "demo", None), 413),
        (gateway(&accepted, "demo", Some("PUT")), 405),
    ];
    for (index, (request, status)) in requests.into_iter().enumerate() {
        assert_eq!(
            invoke(&pipeline, &sink, request).await,
            status,
            "request {index}"
        );
    }

    // The queue is gone: the bot is known, the enqueue fails.
    let missing = format!(
        "{}/000000000000/{}.fifo",
        integration_tests::moto_endpoint(),
        unique("gone")
    );
    let dead_queue =
        shared::lambda::connect(Facebook, settings.clone(), &aws.sdk, missing, None).await;
    let retry = signed_with(post(&messages(&mids(1), false)), APP_SECRET, VERIFY_TOKEN);
    assert_eq!(
        invoke(&dead_queue, &sink, gateway(&retry, "demo", None)).await,
        503
    );
    // The secret store is gone: a bot not cached cannot be told known or unknown.
    let nowhere = sdk_for(&format!("http://127.0.0.1:{}", free_port())).await;
    let store = SecretsManager::with_config(&nowhere);
    let cache = Arc::new(SecretCache::new(Arc::new(store), settings.secrets_ttl));
    let queue = SqsQueue::with_config(&aws.sdk, queue_url.clone());
    let dead_store = Pipeline::new(Facebook, cache, Arc::new(queue), settings);
    assert_eq!(
        invoke(&dead_store, &sink, gateway(&retry, "demo", None)).await,
        503
    );

    let expected: [Expected; 11] = [
        ("demo", 2, 0, 1, None, 0),
        ("demo", 0, 2, 1, None, 0),
        ("demo", 1, 0, 0, None, 0),
        ("demo", 0, 0, 0, Some("signature"), 0),
        ("demo", 0, 0, 0, Some("signature"), 0),
        ("unknown", 0, 0, 0, Some("unknown_bot"), 0),
        ("demo", 0, 0, 0, Some("malformed"), 0),
        ("unknown", 0, 0, 0, Some("too_large"), 0),
        ("unknown", 0, 0, 0, Some("method"), 0),
        ("demo", 0, 0, 0, None, 1),
        ("unknown", 0, 0, 0, None, 1),
    ];
    let lines = captured.lines();
    assert_eq!(lines.len(), expected.len(), "one object per invocation");
    for (index, (line, want)) in lines.iter().zip(expected).enumerate() {
        for secret in [APP_SECRET, VERIFY_TOKEN, "EAAB"] {
            assert!(!line.contains(secret), "no secret in the metrics: {line}");
        }
        let object: Value = serde_json::from_str(line).unwrap();
        assert_valid_emf(&object);
        let (bot, enqueued, duplicates, echoes, reason, unavailable) = want;
        let got = (
            object["bot"].as_str().unwrap(),
            object["Enqueued"].as_u64().unwrap(),
            object["Duplicates"].as_u64().unwrap(),
            object["Echoes"].as_u64().unwrap(),
            object["reason"].as_str(),
            object["Unavailable"].as_u64().unwrap(),
        );
        assert_eq!(
            got,
            (bot, enqueued, duplicates, echoes, reason, unavailable),
            "object {index}: {line}"
        );
        assert_eq!(object["channel"], "facebook");
        assert_eq!(object["Requests"], 1);
        assert_eq!(object["Rejected"], u64::from(reason.is_some()));
        assert_eq!(object["ColdStart"], u64::from(index == 0), "object {index}");
        assert!(object["HandlerMs"].as_f64().unwrap() > 0.0);
        let sent = enqueued > 0 || index == 9;
        assert_eq!(
            object.get("EnqueueMs").is_some(),
            sent,
            "object {index}: {line}"
        );
        let directives = object["_aws"]["CloudWatchMetrics"].as_array().unwrap();
        assert_eq!(
            directives[0]["Dimensions"],
            json!([["channel"], ["channel", "bot"]])
        );
        if reason.is_some() {
            assert_eq!(
                directives[1]["Dimensions"],
                json!([["channel", "reason"], ["channel", "bot", "reason"]])
            );
        } else {
            assert_eq!(directives.len(), 1);
        }
    }
    let total = |name: &str| -> u64 {
        lines
            .iter()
            .map(|line| {
                serde_json::from_str::<Value>(line).unwrap()[name]
                    .as_u64()
                    .unwrap()
            })
            .sum()
    };
    assert_eq!(
        [
            total("Requests"),
            total("Enqueued"),
            total("Duplicates"),
            total("Echoes"),
            total("Rejected"),
            total("Unavailable")
        ],
        [11, 3, 2, 2, 6, 2]
    );
    assert_eq!(
        aws.drain(&queue_url, 3, Duration::from_secs(5)).await.len(),
        3
    );
}
