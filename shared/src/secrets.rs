//! The in-process secret cache in front of a [`SecretStore`]: TTL, shorter negative TTL, one
//! forced refresh when a credential check fails, stale values served while the store is down.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::ports::{SecretStore, SecretStoreError};
use crate::secret::SecretDocument;

/// Misses are cached for at most this long, so a new bot works soon after it is attached.
pub const NEGATIVE_TTL: Duration = Duration::from_secs(30);
/// An entry younger than this is not fetched again after a failed check (forgers cannot make
/// every request a store call).
pub const REFRESH_AFTER: Duration = Duration::from_secs(5);
/// Entries kept at most; beyond it the expired ones go, then the misses.
const MAX_ENTRIES: usize = 10_000;

/// A cached lookup: the document (or its absence) and when it was fetched.
#[derive(Debug, Clone)]
pub struct Cached {
    pub document: Option<Arc<SecretDocument>>,
    pub fetched_at: Instant,
}

impl Cached {
    /// Whether a failed credential check justifies fetching the secret again.
    pub fn may_refresh(&self) -> bool {
        self.fetched_at.elapsed() >= REFRESH_AFTER
    }
}

/// Caches secret lookups by name.
#[derive(Debug)]
pub struct SecretCache {
    store: Arc<dyn SecretStore>,
    ttl: Duration,
    entries: Mutex<HashMap<String, Cached>>,
}

impl SecretCache {
    pub fn new(store: Arc<dyn SecretStore>, ttl: Duration) -> Self {
        Self {
            store,
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The secret by name, from the cache while fresh.
    pub async fn get(&self, name: &str) -> Result<Cached, SecretStoreError> {
        if let Some(hit) = self.fresh(name) {
            return Ok(hit);
        }
        self.fetch(name).await
    }

    /// Fetches the secret from the store now, whatever the cache holds.
    pub async fn refresh(&self, name: &str) -> Result<Cached, SecretStoreError> {
        self.fetch(name).await
    }

    fn fresh(&self, name: &str) -> Option<Cached> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries.get(name)?;
        let ttl = if entry.document.is_some() {
            self.ttl
        } else {
            NEGATIVE_TTL.min(self.ttl)
        };
        (entry.fetched_at.elapsed() < ttl).then(|| entry.clone())
    }

    async fn fetch(&self, name: &str) -> Result<Cached, SecretStoreError> {
        match self.store.fetch(name).await {
            Ok(document) => {
                let cached = Cached {
                    document: document.map(Arc::new),
                    fetched_at: Instant::now(),
                };
                self.remember(name, cached.clone());
                Ok(cached)
            }
            Err(SecretStoreError::Unavailable(reason)) => self
                .stale(name)
                .ok_or(SecretStoreError::Unavailable(reason)),
            Err(other) => Err(other),
        }
    }

    /// A known secret past its TTL, served while the store cannot answer.
    fn stale(&self, name: &str) -> Option<Cached> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries.get(name).filter(|entry| entry.document.is_some())?;
        tracing::warn!(
            secret = name,
            "secret store unavailable; using the cached secret"
        );
        Some(entry.clone())
    }

    fn remember(&self, name: &str, cached: Cached) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(name) {
            let ttl = self.ttl;
            entries.retain(|_, entry| entry.document.is_some() && entry.fetched_at.elapsed() < ttl);
        }
        entries.insert(name.to_owned(), cached);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use async_trait::async_trait;
    use serde_json::json;

    use super::*;

    /// A store whose answer the test sets, counting fetches.
    #[derive(Debug, Default)]
    struct Scripted {
        answer: Mutex<Option<Result<Option<serde_json::Value>, ()>>>,
        fetches: AtomicUsize,
    }

    impl Scripted {
        fn set(&self, answer: Result<Option<serde_json::Value>, ()>) {
            *self.answer.lock().unwrap() = Some(answer);
        }
    }

    #[async_trait]
    impl SecretStore for Scripted {
        async fn fetch(&self, _name: &str) -> Result<Option<SecretDocument>, SecretStoreError> {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            match self.answer.lock().unwrap().clone().unwrap() {
                Ok(value) => Ok(value.and_then(SecretDocument::from_value)),
                Err(()) => Err(SecretStoreError::Unavailable("down".into())),
            }
        }
    }

    fn cache(store: &Arc<Scripted>) -> SecretCache {
        SecretCache::new(store.clone(), Duration::from_secs(300))
    }

    #[tokio::test(start_paused = true)]
    async fn hits_are_cached_for_the_ttl() {
        let store = Arc::new(Scripted::default());
        store.set(Ok(Some(json!({"token": "a"}))));
        let cache = cache(&store);
        cache.get("x").await.unwrap();
        tokio::time::advance(Duration::from_secs(299)).await;
        cache.get("x").await.unwrap();
        assert_eq!(store.fetches.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        cache.get("x").await.unwrap();
        assert_eq!(store.fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn misses_are_cached_for_less() {
        let store = Arc::new(Scripted::default());
        store.set(Ok(None));
        let cache = cache(&store);
        assert!(cache.get("x").await.unwrap().document.is_none());
        assert!(cache.get("x").await.unwrap().document.is_none());
        assert_eq!(store.fetches.load(Ordering::SeqCst), 1);
        tokio::time::advance(NEGATIVE_TTL).await;
        store.set(Ok(Some(json!({"token": "new bot"}))));
        assert!(cache.get("x").await.unwrap().document.is_some());
        assert_eq!(store.fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_known_secret_outlives_a_store_outage() {
        let store = Arc::new(Scripted::default());
        store.set(Ok(Some(json!({"token": "a"}))));
        let cache = cache(&store);
        cache.get("x").await.unwrap();
        tokio::time::advance(Duration::from_secs(600)).await;
        store.set(Err(()));
        assert!(cache.get("x").await.unwrap().document.is_some());
        assert!(matches!(
            cache.get("never-seen").await,
            Err(SecretStoreError::Unavailable(_))
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn refresh_is_allowed_only_on_entries_older_than_a_few_seconds() {
        let store = Arc::new(Scripted::default());
        store.set(Ok(Some(json!({"token": "a"}))));
        let cache = cache(&store);
        assert!(!cache.get("x").await.unwrap().may_refresh());
        tokio::time::advance(REFRESH_AFTER).await;
        assert!(cache.get("x").await.unwrap().may_refresh());
        store.set(Ok(Some(json!({"token": "rotated"}))));
        let fresh = cache.refresh("x").await.unwrap();
        assert_eq!(fresh.document.unwrap().field_names(), vec!["token"]);
        assert_eq!(store.fetches.load(Ordering::SeqCst), 2);
    }
}
