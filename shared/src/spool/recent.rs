//! The event ids the spool took within its deduplication window, remembered as digests, and
//! read back from the file at start by time, however many bytes that is.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::ops::ControlFlow;
use std::time::{Duration, Instant, SystemTime};

use sha2::{Digest as _, Sha256};

/// The most event ids remembered at once (about 50 MB); past it the oldest are forgotten early,
/// which only matters above ~3,000 events/s sustained for the whole window.
pub(super) const MAX_REMEMBERED: usize = 1_000_000;

/// Lines are appended in about the order of their `received_at`, but not exactly (requests
/// stamp it before they queue for the writer): reading back stops only at a line this much
/// older than the window.
const OUT_OF_ORDER_SLACK: Duration = Duration::from_secs(60);

/// An event id as remembered: the first 128 bits of its SHA-256 (a collision, which would drop
/// an event, is as likely as guessing a random 128-bit key).
pub(super) type IdDigest = u128;

pub(super) fn digest(id: &str) -> IdDigest {
    let hash = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&hash[..16]);
    IdDigest::from_le_bytes(first)
}

/// Event ids taken within the window, oldest first, as digests: memory per id stays fixed
/// whatever the platform's ids look like.
pub(super) struct Recent {
    window: Duration,
    order: VecDeque<(Instant, IdDigest)>,
    ids: HashSet<IdDigest>,
}

impl Recent {
    pub(super) fn new(window: Duration) -> Self {
        Self {
            window,
            order: VecDeque::new(),
            ids: HashSet::new(),
        }
    }

    /// Reads the spool from its end back to the first line older than the window (and the
    /// slack), remembering the ids still inside it. Lines that are not envelopes are skipped.
    pub(super) fn resume(file: &mut File, window: Duration) -> std::io::Result<Self> {
        let (now, wall) = (Instant::now(), SystemTime::now());
        let mut newest_first = Vec::new();
        super::file::lines_backwards(file, |line| {
            let Ok(seen) = serde_json::from_slice::<SeenLine>(line) else {
                return ControlFlow::Continue(());
            };
            let Ok(at) = humantime::parse_rfc3339(&seen.received_at) else {
                return ControlFlow::Continue(());
            };
            let age = wall.duration_since(at).unwrap_or_default();
            if age < window {
                newest_first.push((now.checked_sub(age).unwrap_or(now), digest(&seen.event_id)));
            }
            if age >= window + OUT_OF_ORDER_SLACK || newest_first.len() >= MAX_REMEMBERED {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })?;
        let mut recent = Self::new(window);
        newest_first.sort_by_key(|(at, _)| *at);
        for (at, id) in newest_first {
            recent.insert(at, id);
        }
        Ok(recent)
    }

    pub(super) fn forget_expired(&mut self, now: Instant) {
        while let Some((at, _)) = self.order.front() {
            if now.duration_since(*at) < self.window {
                break;
            }
            if let Some((_, id)) = self.order.pop_front() {
                self.ids.remove(&id);
            }
        }
    }

    pub(super) fn contains(&self, id: IdDigest) -> bool {
        self.ids.contains(&id)
    }

    pub(super) fn insert(&mut self, at: Instant, id: IdDigest) {
        if self.ids.insert(id) {
            self.order.push_back((at, id));
        }
        if self.order.len() > MAX_REMEMBERED
            && let Some((_, oldest)) = self.order.pop_front()
        {
            self.ids.remove(&oldest);
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.order.len()
    }
}

#[derive(serde::Deserialize)]
struct SeenLine {
    event_id: String,
    received_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_of_ids_is_bounded() {
        let mut recent = Recent::new(Duration::from_secs(300));
        let now = Instant::now();
        for n in 0..MAX_REMEMBERED + 10 {
            recent.insert(now, digest(&format!("telegram:demo:{n}")));
        }
        assert_eq!(
            (recent.len(), recent.ids.len()),
            (MAX_REMEMBERED, MAX_REMEMBERED)
        );
        assert!(
            !recent.contains(digest("telegram:demo:0")),
            "the oldest went first"
        );
        assert!(recent.contains(digest(&format!("telegram:demo:{}", MAX_REMEMBERED + 9))));
    }

    #[test]
    fn ids_expire_after_the_window() {
        let mut recent = Recent::new(Duration::from_secs(300));
        let start = Instant::now();
        recent.insert(start, digest("a"));
        recent.forget_expired(start + Duration::from_secs(299));
        assert!(recent.contains(digest("a")));
        recent.forget_expired(start + Duration::from_secs(300));
        assert!(!recent.contains(digest("a")));
    }
}
