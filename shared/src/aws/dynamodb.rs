//! The DynamoDB ledger adapter: event ids looked up with `BatchGetItem` (strongly consistent,
//! 100 keys a call) and recorded with `BatchWriteItem` (25 a call), the items DynamoDB leaves
//! unprocessed retried with a short backoff; the caller's deadline bounds it all.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, PutRequest, WriteRequest};
use sha2::{Digest as _, Sha256};

use crate::ports::{Ledger, LedgerError};

/// DynamoDB's limits per call.
const GET_KEYS: usize = 100;
const WRITE_ITEMS: usize = 25;
/// Rounds for what a batch left unprocessed (throttling); the request deadline still bounds them.
const ROUNDS: u32 = 5;
/// The partition key holds the event id itself up to this many bytes (DynamoDB takes 2,048),
/// else `sha256:` and its hex digest.
const MAX_PLAIN_KEY: usize = 1024;

/// The ledger table: partition key `id` (string), TTL attribute `expires` (epoch seconds).
#[derive(Debug, Clone)]
pub struct DynamoLedger {
    client: Client,
    table: String,
}

impl DynamoLedger {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// A client for `table` with the shared SDK configuration ([`super::sdk_config`]).
    pub fn with_config(sdk: &super::SdkConfig, table: impl Into<String>) -> Self {
        Self::new(Client::new(sdk), table)
    }

    /// One cheap read (a `BatchGetItem` of a key that is never written: the receivers' role
    /// allows only the two batch calls) that opens the connection and checks the table and the
    /// read permission.
    pub async fn warm_up(&self) -> Result<(), LedgerError> {
        let mut seen = HashSet::new();
        self.seen_among(&[".warm-up".to_owned()], 0, &mut seen)
            .await
    }

    async fn seen_among(
        &self,
        keys: &[String],
        now: u64,
        seen: &mut HashSet<String>,
    ) -> Result<(), LedgerError> {
        let mut pending = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(keys.iter().map(|key| key_item(key)).collect()))
                .consistent_read(true)
                .projection_expression("#id, #expires")
                .expression_attribute_names("#id", "id")
                .expression_attribute_names("#expires", "expires")
                .build()
                .map_err(|err| LedgerError::Unavailable(err.to_string()))?,
        );
        for round in 0..ROUNDS {
            let Some(request) = pending.take() else {
                return Ok(());
            };
            backoff(round).await;
            let output = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(unavailable)?;
            let items = output
                .responses()
                .and_then(|responses| responses.get(&self.table));
            for item in items.into_iter().flatten() {
                if let (Some(AttributeValue::S(id)), Some(expires)) =
                    (item.get("id"), item.get("expires").and_then(epoch_seconds))
                    && expires > now
                {
                    seen.insert(id.clone());
                }
            }
            pending = output
                .unprocessed_keys()
                .and_then(|left| left.get(&self.table))
                .filter(|left| !left.keys().is_empty())
                .cloned();
        }
        match pending {
            None => Ok(()),
            Some(_) => Err(LedgerError::Unavailable(
                "DynamoDB left keys unprocessed after every retry".into(),
            )),
        }
    }

    async fn put_all(&self, keys: &[String], expires: u64) -> Result<(), LedgerError> {
        let mut pending: Vec<WriteRequest> = keys
            .iter()
            .map(|key| {
                let mut item = key_item(key);
                item.insert("expires".into(), AttributeValue::N(expires.to_string()));
                PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .map(|put| WriteRequest::builder().put_request(put).build())
                    .map_err(|err| LedgerError::Unavailable(err.to_string()))
            })
            .collect::<Result<_, _>>()?;
        for round in 0..ROUNDS {
            if pending.is_empty() {
                return Ok(());
            }
            backoff(round).await;
            let output = self
                .client
                .batch_write_item()
                .request_items(&self.table, std::mem::take(&mut pending))
                .send()
                .await
                .map_err(unavailable)?;
            pending = output
                .unprocessed_items()
                .and_then(|left| left.get(&self.table))
                .cloned()
                .unwrap_or_default();
        }
        if pending.is_empty() {
            Ok(())
        } else {
            Err(LedgerError::Unavailable(
                "DynamoDB left items unwritten after every retry".into(),
            ))
        }
    }
}

#[async_trait]
impl Ledger for DynamoLedger {
    async fn seen(&self, ids: &[&str], now: SystemTime) -> Result<Vec<bool>, LedgerError> {
        let keys: Vec<String> = ids.iter().map(|id| key_of(id)).collect();
        let now = seconds(now);
        let mut seen = HashSet::new();
        for chunk in distinct(&keys).chunks(GET_KEYS) {
            self.seen_among(chunk, now, &mut seen).await?;
        }
        Ok(keys.iter().map(|key| seen.contains(key)).collect())
    }

    async fn record(&self, ids: &[&str], expires: SystemTime) -> Result<(), LedgerError> {
        let keys: Vec<String> = ids.iter().map(|id| key_of(id)).collect();
        let expires = seconds(expires);
        for chunk in distinct(&keys).chunks(WRITE_ITEMS) {
            self.put_all(chunk, expires).await?;
        }
        Ok(())
    }
}

/// The item key of an event id: the id itself, or the digest of a very long one.
pub fn key_of(event_id: &str) -> String {
    if event_id.len() <= MAX_PLAIN_KEY {
        event_id.to_owned()
    } else {
        let digest = Sha256::digest(event_id.as_bytes());
        let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        format!("sha256:{hex}")
    }
}

/// The keys without repeats, in first-seen order (DynamoDB refuses a batch that repeats one).
fn distinct(keys: &[String]) -> Vec<String> {
    let mut once = HashSet::new();
    keys.iter()
        .filter(|key| once.insert(key.as_str()))
        .cloned()
        .collect()
}

fn key_item(key: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([("id".to_owned(), AttributeValue::S(key.to_owned()))])
}

fn epoch_seconds(value: &AttributeValue) -> Option<u64> {
    match value {
        AttributeValue::N(number) => number.parse::<u64>().ok(),
        _ => None,
    }
}

fn seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

/// No wait before the first call; then 25, 50, 100, 200 ms.
async fn backoff(round: u32) {
    if round > 0 {
        tokio::time::sleep(Duration::from_millis(25 << (round - 1))).await;
    }
}

fn unavailable<E: std::error::Error + 'static>(err: E) -> LedgerError {
    LedgerError::Unavailable(DisplayErrorContext(err).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_become_digests_and_short_ones_stay() {
        assert_eq!(key_of("telegram:demo:1"), "telegram:demo:1");
        let long = format!("abc:shop:{}", "x".repeat(2000));
        let key = key_of(&long);
        assert!(key.starts_with("sha256:") && key.len() == 7 + 64, "{key}");
        assert_ne!(key, key_of(&format!("{long}y")));
    }

    #[test]
    fn repeated_keys_are_sent_once() {
        let keys = ["a", "b", "a", "c", "b"].map(String::from);
        assert_eq!(distinct(&keys), ["a", "b", "c"].map(String::from));
    }
}
