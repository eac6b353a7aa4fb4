//! The spool's ledger: the event ids it took within its horizon, as 96-bit digests with their
//! expiry (16 bytes an id, whatever the platform's ids look like), read back from the file at
//! start by time, however many bytes that is.

use std::collections::HashMap;
use std::fs::File;
use std::ops::ControlFlow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest as _, Sha256};

/// The most event ids remembered at once by default: the most a table of 2^20 buckets holds
/// (7/8 of them), 17 MiB at its fullest (16 bytes and a control byte each); one more id would
/// double it to 34 MiB. Past it the ids closest to expiry are forgotten early, which only
/// matters above that many events within the horizon.
pub const DEFAULT_MAX_REMEMBERED: usize = 917_504;

/// Lines are appended in about the order of their `received_at`, but not exactly (requests
/// stamp it before they queue for the writer): reading back stops only at a line this much
/// older than the horizon.
const OUT_OF_ORDER_SLACK: Duration = Duration::from_secs(60);

/// How often expired ids are swept out of the table (lookups check expiry themselves).
const SWEEP_EVERY_SECONDS: u32 = 60;

/// An event id as remembered: the first 96 bits of its SHA-256. A collision, which would drop
/// an event, takes about 2^48 ids remembered at once.
pub(super) type IdDigest = [u8; 12];

pub(super) fn digest(id: &str) -> IdDigest {
    let hash = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 12];
    first.copy_from_slice(&hash[..12]);
    first
}

/// Seconds since the epoch, as the table stores expiries (fits in 32 bits until 2106).
pub(super) fn epoch_seconds(at: SystemTime) -> u32 {
    let seconds = at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    u32::try_from(seconds).unwrap_or(u32::MAX)
}

/// Event ids and when each stops counting as seen.
pub(super) struct Recent {
    horizon: Duration,
    max: usize,
    expires: HashMap<IdDigest, u32>,
    next_sweep: u32,
}

impl Recent {
    pub(super) fn new(horizon: Duration, max: usize) -> Self {
        Self {
            horizon,
            max: max.max(1),
            expires: HashMap::new(),
            next_sweep: 0,
        }
    }

    /// Reads the spool from its end back to the first line older than the horizon (and the
    /// slack), or until `max` ids, remembering the ids still inside the horizon. Lines that are
    /// not envelopes are skipped.
    pub(super) fn resume(file: &mut File, horizon: Duration, max: usize) -> std::io::Result<Self> {
        let now = SystemTime::now();
        let mut recent = Self::new(horizon, max);
        let mut read = 0usize;
        super::file::lines_backwards(file, |line| {
            let Ok(seen) = serde_json::from_slice::<SeenLine>(line) else {
                return ControlFlow::Continue(());
            };
            let Ok(at) = humantime::parse_rfc3339(&seen.received_at) else {
                return ControlFlow::Continue(());
            };
            let age = now.duration_since(at).unwrap_or_default();
            if age < horizon {
                // Newest first: an id already there keeps its later expiry.
                let expires = epoch_seconds(at + horizon);
                recent
                    .expires
                    .entry(digest(&seen.event_id))
                    .or_insert(expires);
                read += 1;
            }
            if age >= horizon + OUT_OF_ORDER_SLACK || read >= recent.max {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })?;
        Ok(recent)
    }

    /// Whether `id` was taken and has not expired at `now`.
    pub(super) fn contains(&self, id: &IdDigest, now: u32) -> bool {
        self.expires.get(id).is_some_and(|expires| *expires > now)
    }

    /// Remembers `id` as taken at `now` (in epoch seconds), until the horizon has passed.
    pub(super) fn insert(&mut self, id: IdDigest, now: u32) {
        if now >= self.next_sweep {
            self.expires.retain(|_, expires| *expires > now);
            self.next_sweep = now.saturating_add(SWEEP_EVERY_SECONDS);
        }
        if self.expires.len() >= self.max && !self.expires.contains_key(&id) {
            self.forget_soonest_expiring();
        }
        let horizon = u32::try_from(self.horizon.as_secs()).unwrap_or(u32::MAX);
        self.expires.insert(id, now.saturating_add(horizon));
    }

    /// Makes room by forgetting the tenth of the ids closest to their expiry.
    fn forget_soonest_expiring(&mut self) {
        let mut expiries: Vec<u32> = self.expires.values().copied().collect();
        let cut = (expiries.len() / 10).max(1).min(expiries.len() - 1);
        let (earlier, threshold, _) = expiries.select_nth_unstable(cut);
        let threshold = *threshold;
        // Everything expiring before the threshold goes, and as many of those expiring at it as
        // make up the tenth: a burst within one second is not forgotten whole.
        let mut at_threshold = cut + 1 - earlier.iter().filter(|e| **e < threshold).count();
        // Into a new table sized for `max`, the old one freed first: removing in place leaves
        // tombstones, and the next inserts would double the table instead of reusing them.
        let kept: Vec<(IdDigest, u32)> = self
            .expires
            .iter()
            .map(|(id, expires)| (*id, *expires))
            .filter(|(_, expires)| {
                if *expires < threshold {
                    false
                } else if *expires == threshold && at_threshold > 0 {
                    at_threshold -= 1;
                    false
                } else {
                    true
                }
            })
            .collect();
        self.expires = HashMap::new(); // the old table is freed before the new one is made
        self.expires = HashMap::with_capacity(self.max);
        self.expires.extend(kept);
        tracing::warn!(
            remembered = self.expires.len(),
            max = self.max,
            "the spool's deduplication index is full: forgot the ids closest to expiry early"
        );
    }

    pub(super) fn len(&self) -> usize {
        self.expires.len()
    }
}

impl std::fmt::Debug for Recent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recent")
            .field("horizon", &self.horizon)
            .field("max", &self.max)
            .field("remembered", &self.expires.len())
            .finish()
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

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn the_memory_of_ids_is_bounded_and_the_oldest_go_first() {
        let max = 10_000;
        let mut recent = Recent::new(HOUR, max);
        for n in 0..max + 10 {
            // One id a second: the first ones expire first.
            let at = 1_000_000 + u32::try_from(n).unwrap();
            recent.insert(digest(&format!("telegram:demo:{n}")), at);
        }
        let now = 1_000_000 + u32::try_from(max).unwrap();
        assert!(recent.len() <= max, "{} ids remembered", recent.len());
        assert!(
            !recent.contains(&digest("telegram:demo:0"), now),
            "the oldest went first"
        );
        let newest = digest(&format!("telegram:demo:{}", max + 9));
        assert!(recent.contains(&newest, now));
    }

    #[test]
    fn a_full_index_of_one_second_forgets_a_tenth_not_all() {
        let mut recent = Recent::new(HOUR, 1000);
        for n in 0..1001 {
            recent.insert(digest(&n.to_string()), 7_000);
        }
        assert!(
            (850..=1000).contains(&recent.len()),
            "{} ids remembered",
            recent.len()
        );
    }

    #[test]
    fn ids_expire_after_the_horizon() {
        let mut recent = Recent::new(HOUR, 100);
        recent.insert(digest("a"), 5_000);
        assert!(recent.contains(&digest("a"), 5_000 + 3599));
        assert!(!recent.contains(&digest("a"), 5_000 + 3600));
    }

    #[test]
    fn expired_ids_are_swept_out_of_memory() {
        let mut recent = Recent::new(Duration::from_secs(10), 100);
        recent.insert(digest("a"), 1_000);
        recent.insert(digest("b"), 1_000 + SWEEP_EVERY_SECONDS + 11);
        assert_eq!(recent.len(), 1);
    }
}
