//! The ledger on moto's DynamoDB, through the Lambda handler: a retry after a restart reaches a
//! standard queue once, a ledger outage still enqueues within the deadline, a failed record
//! loses nothing, and a batch with seen and new events enqueues only the new ones, in order.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use integration_tests::{
    Aws, Deployed, Link, Proxy, free_port, post, sdk_for, sdk_with_timeout, settings, signed,
    telegram_update, unique,
};
use serde_json::{Value, json};
use shared::aws::dynamodb::DynamoLedger;
use shared::aws::secrets_manager::SecretsManager;
use shared::aws::sqs::SqsQueue;
use shared::config::Settings;
use shared::ledger::{Guard, LedgerSettings};
use shared::pipeline::Pipeline;
use shared::ports::{Ledger, LedgerError};
use shared::secrets::SecretCache;
use telegram_receiver::Telegram;

const TOKEN: &str = "tg-ledger-token";
const HEADER: &str = "x-telegram-bot-api-secret-token";
const WEEK: Duration = Duration::from_secs(168 * 3600);

/// A bot's secret on moto under its own prefix, and a ledger table.
struct Stack {
    aws: Aws,
    settings: Settings,
    ledger: LedgerSettings,
}

impl Stack {
    async fn new<C: shared::Channel>(secret: &Value) -> Self {
        let aws = Aws::new().await;
        let settings = Settings {
            secrets_prefix: format!("{}/", unique("ledger")),
            ..settings()
        };
        aws.put_secret(&settings.secret_name(C::NAME, "demo"), secret)
            .await;
        let ledger = LedgerSettings {
            table: aws.ledger_table().await,
            horizon: WEEK,
        };
        Self {
            aws,
            settings,
            ledger,
        }
    }

    /// A cold start of the receiver's Lambda on `queue_url`, as `from_env` builds it.
    async fn start<C: shared::Channel>(
        &self,
        channel: C,
        queue_url: &str,
        ledger: bool,
    ) -> Deployed<C> {
        let aws = Aws::new().await;
        let ledger = ledger.then_some(&self.ledger);
        let pipeline = shared::lambda::connect(
            channel,
            self.settings.clone(),
            &aws.sdk,
            queue_url.to_owned(),
            ledger,
        )
        .await;
        Deployed {
            aws,
            queue_url: queue_url.to_owned(),
            settings: self.settings.clone(),
            pipeline,
        }
    }

    /// A pipeline whose ledger is `ledger` (queue and secrets straight on moto).
    async fn with_ledger(&self, queue_url: &str, ledger: Arc<dyn Ledger>) -> Pipeline<Telegram> {
        let store = SecretsManager::with_config(&self.aws.sdk);
        let cache = Arc::new(SecretCache::new(Arc::new(store), self.settings.secrets_ttl));
        let queue = SqsQueue::with_config(&self.aws.sdk, queue_url);
        Pipeline::new(Telegram, cache, Arc::new(queue), self.settings.clone())
            .with_ledger(Some(Guard::new(ledger, WEEK)))
    }
}

async fn deliver(deployed: &Deployed<Telegram>, update_id: u64) -> u16 {
    let body = telegram_update(update_id, &format!("update {update_id}"));
    deployed
        .invoke(
            "POST",
            "/telegram/demo",
            &[(HEADER, TOKEN.to_owned())],
            &body,
        )
        .await
        .0
}

/// The status of a delivery and the ledger errors its metrics report counted.
async fn deliver_counted(pipeline: &Pipeline<Telegram>, update_id: u64) -> (u16, usize) {
    let body = telegram_update(update_id, &format!("update {update_id}"));
    let request = integration_tests::api_gateway_request(
        "POST",
        "/telegram/demo",
        "demo",
        &[(HEADER, TOKEN)],
        &body,
    );
    let handled = pipeline
        .handle_counted(shared::lambda::inbound::<Telegram>(request))
        .await;
    (handled.answer.status.as_u16(), handled.report.ledger_errors)
}

fn event_ids(received: &[integration_tests::Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.body["event_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_retry_after_a_restart_reaches_a_standard_queue_once() {
    let stack = Stack::new::<Telegram>(&json!({"secret_token": TOKEN})).await;
    let queue = stack.aws.standard_queue().await;
    let before = SystemTime::now();
    let first = stack.start(Telegram, &queue, true).await;
    assert_eq!(deliver(&first, 930_000_001).await, 200);
    // A cold start of another instance, then the platform's retry of the same update.
    let second = stack.start(Telegram, &queue, true).await;
    assert_eq!(
        deliver(&second, 930_000_001).await,
        200,
        "a duplicate is answered 200"
    );
    let received = stack.aws.drain(&queue, 2, Duration::from_secs(2)).await;
    assert_eq!(event_ids(&received), ["telegram:demo:930000001"]);

    let expires = stack
        .aws
        .ledger_expiry(&stack.ledger.table, "telegram:demo:930000001")
        .await
        .expect("the enqueued id is recorded");
    let week_from = |at: SystemTime| (at + WEEK).duration_since(UNIX_EPOCH).unwrap().as_secs();
    assert!((week_from(before)..=week_from(SystemTime::now())).contains(&expires));

    // Without the ledger, the same retry lands again on a standard queue.
    let unguarded = stack.start(Telegram, &queue, false).await;
    assert_eq!(deliver(&unguarded, 930_000_001).await, 200);
    let again = stack.aws.drain(&queue, 1, Duration::from_secs(5)).await;
    assert_eq!(event_ids(&again), ["telegram:demo:930000001"]);
}

#[tokio::test]
async fn a_ledger_outage_still_enqueues_and_answers_200_within_the_deadline() {
    let stack = Stack::new::<Telegram>(&json!({"secret_token": TOKEN})).await;
    let queue = stack.aws.fifo_queue().await;
    let link = Proxy::start(integration_tests::moto_endpoint()).await;
    // The SDK would wait a minute: only the pipeline's deadline can end a hang.
    let table = DynamoLedger::with_config(
        &sdk_with_timeout(&link.endpoint, Duration::from_secs(60)).await,
        &stack.ledger.table,
    );
    let pipeline = stack.with_ledger(&queue, Arc::new(table)).await;

    // Both calls fail, each counted (the look-up, then the record).
    link.set(Link::Hang);
    assert_eq!(deliver_counted(&pipeline, 931_000_001).await, (200, 2));
    link.set(Link::Cut);
    assert_eq!(deliver_counted(&pipeline, 931_000_002).await, (200, 2));
    let received = stack.aws.drain(&queue, 2, Duration::from_secs(5)).await;
    assert_eq!(
        event_ids(&received),
        ["telegram:demo:931000001", "telegram:demo:931000002"]
    );
    // Nothing could be recorded while the ledger was away.
    link.set(Link::Up);
    for id in ["telegram:demo:931000001", "telegram:demo:931000002"] {
        assert_eq!(stack.aws.ledger_expiry(&stack.ledger.table, id).await, None);
    }
    assert_eq!(deliver_counted(&pipeline, 931_000_003).await, (200, 0));
    assert!(
        stack
            .aws
            .ledger_expiry(&stack.ledger.table, "telegram:demo:931000003")
            .await
            .is_some(),
        "recorded again once the ledger is back"
    );
}

/// The table read on moto, written through a link that is down: a record that fails after the
/// enqueue succeeded.
#[derive(Debug)]
struct WritesLost {
    reads: DynamoLedger,
    writes: DynamoLedger,
}

#[async_trait]
impl Ledger for WritesLost {
    async fn seen(&self, ids: &[&str], now: SystemTime) -> Result<Vec<bool>, LedgerError> {
        self.reads.seen(ids, now).await
    }
    async fn record(&self, ids: &[&str], expires: SystemTime) -> Result<(), LedgerError> {
        self.writes.record(ids, expires).await
    }
}

#[tokio::test]
async fn a_failed_record_after_a_successful_enqueue_loses_nothing() {
    let stack = Stack::new::<Telegram>(&json!({"secret_token": TOKEN})).await;
    let queue = stack.aws.fifo_queue().await;
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let ledger = WritesLost {
        reads: DynamoLedger::with_config(&stack.aws.sdk, &stack.ledger.table),
        writes: DynamoLedger::with_config(&sdk_for(&nowhere).await, &stack.ledger.table),
    };
    let pipeline = stack.with_ledger(&queue, Arc::new(ledger)).await;
    assert_eq!(deliver_counted(&pipeline, 932_000_001).await, (200, 1));
    let received = stack.aws.drain(&queue, 1, Duration::from_secs(5)).await;
    assert_eq!(event_ids(&received), ["telegram:demo:932000001"]);
    assert_eq!(
        stack
            .aws
            .ledger_expiry(&stack.ledger.table, "telegram:demo:932000001")
            .await,
        None
    );
}

const APP_SECRET: &str = "ledger-app-secret";

/// A page entry with one text message per mid, from one sender, signed as Meta signs it.
fn facebook_batch(mids: &[&str]) -> shared::sample::Outgoing {
    let messaging: Vec<Value> = mids
        .iter()
        .enumerate()
        .map(|(n, mid)| {
            json!({"sender": {"id": "7381234567890123"}, "recipient": {"id": "104729178325631"},
                   "timestamp": 1_795_525_200_000_u64 + n as u64, "message": {"mid": mid, "text": format!("text {mid}")}})
        })
        .collect();
    let body = json!({"object": "page", "entry": [{"id": "104729178325631", "time": 1_795_525_200_500_u64, "messaging": messaging}]});
    signed(
        &facebook_receiver::Facebook,
        &json!({"app_secret": APP_SECRET, "verify_token": "v"}),
        post(body.to_string().as_bytes(), "application/json"),
        SystemTime::now(),
    )
}

#[tokio::test]
async fn a_batch_with_seen_and_new_events_enqueues_only_the_new_in_order() {
    let secret =
        json!({"app_secret": APP_SECRET, "verify_token": "v", "page_access_token": "EAAB"});
    let stack = Stack::new::<facebook_receiver::Facebook>(&secret).await;
    let mid = |n: u32| format!("m_{}_{n}", unique("mid"));
    let mids: Vec<String> = (1..=4).map(mid).collect();
    let all: Vec<&str> = mids.iter().map(String::as_str).collect();

    // Two of the four were taken earlier, on another queue (so that only the ledger can know).
    let earlier_queue = stack.aws.fifo_queue().await;
    let earlier = stack
        .start(facebook_receiver::Facebook, &earlier_queue, true)
        .await;
    let (status, _) = earlier.send(&facebook_batch(&[all[0], all[2]])).await;
    assert_eq!(status, 200);

    let queue = stack.aws.fifo_queue().await;
    let receiver = stack.start(facebook_receiver::Facebook, &queue, true).await;
    assert_eq!(
        receiver.send(&facebook_batch(&all)).await,
        (200, "EVENT_RECEIVED".into())
    );
    let received = receiver.envelopes(2).await;
    let expected: Vec<String> = [all[1], all[3]]
        .iter()
        .map(|mid| format!("facebook:demo:{mid}"))
        .collect();
    assert_eq!(event_ids(&received), expected);
}
