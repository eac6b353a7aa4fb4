//! The ledger's settings and its fail-open screening, against small ledgers of the port's own.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::*;

/// A ledger in memory, with the behaviour the port promises.
#[derive(Debug, Default)]
struct InMemory(Mutex<HashMap<String, SystemTime>>);

#[async_trait]
impl Ledger for InMemory {
    async fn seen(&self, ids: &[&str], now: SystemTime) -> Result<Vec<bool>, LedgerError> {
        let map = self.0.lock().unwrap();
        Ok(ids
            .iter()
            .map(|id| map.get(*id).is_some_and(|expires| *expires > now))
            .collect())
    }

    async fn record(&self, ids: &[&str], expires: SystemTime) -> Result<(), LedgerError> {
        let mut map = self.0.lock().unwrap();
        for id in ids {
            map.insert((*id).to_owned(), expires);
        }
        Ok(())
    }
}

/// A ledger that never answers.
#[derive(Debug)]
struct Hung;

#[async_trait]
impl Ledger for Hung {
    async fn seen(&self, _: &[&str], _: SystemTime) -> Result<Vec<bool>, LedgerError> {
        std::future::pending().await
    }
    async fn record(&self, _: &[&str], _: SystemTime) -> Result<(), LedgerError> {
        std::future::pending().await
    }
}

/// A ledger that refuses every call.
#[derive(Debug)]
struct Down;

#[async_trait]
impl Ledger for Down {
    async fn seen(&self, _: &[&str], _: SystemTime) -> Result<Vec<bool>, LedgerError> {
        Err(LedgerError::Unavailable("connection refused".into()))
    }
    async fn record(&self, _: &[&str], _: SystemTime) -> Result<(), LedgerError> {
        Err(LedgerError::Unavailable("connection refused".into()))
    }
}

fn envelope(event_id: &str) -> Envelope {
    serde_json::from_value(serde_json::json!({
        "version": 1, "channel": "telegram", "bot": "demo", "chat_id": "42",
        "event": "message", "message": {"type": "text", "text": "hi"},
        "event_id": event_id, "received_at": "2026-12-02T00:00:00.000Z", "raw": {}
    }))
    .expect("a well-formed envelope")
}

fn ids(envelopes: &[Envelope]) -> Vec<&str> {
    envelopes.iter().map(|e| e.event_id.as_str()).collect()
}

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn a_batch_keeps_only_the_unseen_in_order_and_they_expire_after_the_horizon() {
    let ledger = Arc::new(InMemory::default());
    let guard = Guard::new(ledger.clone(), HOUR);
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let by = Instant::now() + Duration::from_secs(1);
    assert!(
        guard
            .record(&[envelope("a"), envelope("c")], start, by)
            .await
    );

    let batch = ["a", "b", "c", "d"].map(envelope).to_vec();
    let screened = guard.screen(batch.clone(), start + HOUR / 2, by).await;
    assert_eq!(ids(&screened.fresh), ["b", "d"]);
    assert_eq!((screened.duplicates, screened.missed), (2, false));

    let later = guard.screen(batch, start + HOUR, by).await;
    assert_eq!(
        ids(&later.fresh),
        ["a", "b", "c", "d"],
        "expired at the horizon"
    );
}

#[tokio::test(start_paused = true)]
async fn a_hung_ledger_lets_everything_through_by_the_deadline() {
    let guard = Guard::new(Arc::new(Hung), HOUR);
    let by = Instant::now() + Duration::from_millis(500);
    let screened = guard
        .screen(vec![envelope("a"), envelope("b")], SystemTime::now(), by)
        .await;
    assert_eq!(ids(&screened.fresh), ["a", "b"]);
    assert!(screened.missed);
    assert!(Instant::now() >= by && Instant::now() < by + Duration::from_millis(10));
    assert!(
        !guard
            .record(
                &screened.fresh,
                SystemTime::now(),
                Instant::now() + Duration::from_millis(100)
            )
            .await
    );
}

#[tokio::test]
async fn a_ledger_that_is_down_lets_everything_through() {
    let guard = Guard::new(Arc::new(Down), HOUR);
    let by = Instant::now() + Duration::from_secs(1);
    let screened = guard
        .screen(vec![envelope("a")], SystemTime::now(), by)
        .await;
    assert_eq!((ids(&screened.fresh), screened.missed), (vec!["a"], true));
    assert!(!guard.record(&screened.fresh, SystemTime::now(), by).await);
}

#[test]
fn settings_need_a_table_and_a_horizon() {
    let from = |pairs: &[(&str, &str)]| {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        LedgerSettings::from_lookup(|name| map.get(name).cloned())
    };
    assert_eq!(from(&[]).unwrap(), None);
    assert_eq!(from(&[("LEDGER_HORIZON_HOURS", "24")]).unwrap(), None);
    assert_eq!(
        from(&[("LEDGER_TABLE", "receivers-ledger")]).unwrap(),
        Some(LedgerSettings {
            table: "receivers-ledger".into(),
            horizon: DEFAULT_HORIZON
        })
    );
    assert_eq!(
        from(&[("LEDGER_TABLE", "t-1"), ("LEDGER_HORIZON_HOURS", "0")]).unwrap(),
        None,
        "a horizon of 0 is no ledger"
    );
    assert_eq!(
        from(&[("LEDGER_TABLE", "t-1"), ("LEDGER_HORIZON_HOURS", " 2 ")])
            .unwrap()
            .map(|s| s.horizon),
        Some(2 * HOUR)
    );
    for (name, value) in [
        ("LEDGER_HORIZON_HOURS", "-1"),
        ("LEDGER_HORIZON_HOURS", "a week"),
        ("LEDGER_HORIZON_HOURS", "9000"),
        ("LEDGER_TABLE", "no spaces"),
        ("LEDGER_TABLE", "ab"),
    ] {
        let mut pairs = vec![(name, value)];
        if name != "LEDGER_TABLE" {
            pairs.push(("LEDGER_TABLE", "t-1"));
        }
        assert!(from(&pairs).is_err(), "{name}={value} is refused");
    }
}
