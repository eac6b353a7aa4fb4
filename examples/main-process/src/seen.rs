//! A bounded in-memory set of handled `event_id`s: the idempotency check, shown in miniature.
//!
//! It lives as long as one warm Lambda instance and is not shared between instances, so it only
//! catches a redelivery that lands on the same instance. A real consumer keeps the key in a durable
//! store shared by every instance, e.g. a DynamoDB conditional put
//! (`PutItem` with `attribute_not_exists(event_id)` and a TTL of a few days), and treats a failed
//! condition as "already handled".

use std::collections::{HashSet, VecDeque};

/// The last `capacity` event ids handled; the oldest is forgotten first.
#[derive(Debug)]
pub struct SeenEvents {
    capacity: usize,
    ids: HashSet<String>,
    order: VecDeque<String>,
}

impl SeenEvents {
    /// An empty set that remembers up to `capacity` ids (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            ids: HashSet::with_capacity(capacity),
            order: VecDeque::with_capacity(capacity),
        }
    }

    /// Whether `event_id` was handled (and not yet forgotten).
    pub fn contains(&self, event_id: &str) -> bool {
        self.ids.contains(event_id)
    }

    /// Records `event_id` as handled; false when it already was.
    pub fn insert(&mut self, event_id: &str) -> bool {
        if self.ids.contains(event_id) {
            return false;
        }
        if self.order.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.ids.remove(&oldest);
        }
        self.ids.insert(event_id.to_owned());
        self.order.push_back(event_id.to_owned());
        true
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::SeenEvents;

    #[test]
    fn a_second_insert_is_refused() {
        let mut seen = SeenEvents::new(4);
        assert!(seen.insert("telegram:demo:1"));
        assert!(!seen.insert("telegram:demo:1"));
        assert!(seen.contains("telegram:demo:1"));
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn the_oldest_is_forgotten_at_capacity() {
        let mut seen = SeenEvents::new(2);
        assert!(seen.insert("a"));
        assert!(seen.insert("b"));
        assert!(seen.insert("c"));
        assert!(!seen.contains("a"));
        assert!(seen.contains("b") && seen.contains("c"));
        assert_eq!(seen.len(), 2);
        assert!(seen.insert("a"), "a forgotten id counts as new again");
    }

    #[test]
    fn capacity_zero_still_remembers_the_last_one() {
        let mut seen = SeenEvents::new(0);
        assert!(seen.insert("a"));
        assert!(!seen.insert("a"));
        assert!(seen.insert("b"));
        assert!(!seen.contains("a"));
    }
}
