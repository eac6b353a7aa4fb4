//! RFC 3339 timestamps for the envelope.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `2026-11-24T13:00:01.120Z`: receipt times.
pub fn rfc3339_millis(time: SystemTime) -> String {
    humantime::format_rfc3339_millis(time).to_string()
}

/// The last second humantime formats (9999-12-31T23:59:59Z); later times are not real timestamps.
const LAST_SECOND: u64 = 253_402_300_799;

/// Unix seconds as `2026-11-24T13:00:00Z`; `None` for 0 or negative (platforms send 0 for "unknown").
pub fn from_unix_seconds(seconds: i64) -> Option<String> {
    let seconds = u64::try_from(seconds)
        .ok()
        .filter(|s| (1..=LAST_SECOND).contains(s))?;
    let time = UNIX_EPOCH.checked_add(Duration::from_secs(seconds))?;
    Some(humantime::format_rfc3339_seconds(time).to_string())
}

/// Unix milliseconds as RFC 3339 with milliseconds; `None` for 0 or negative.
pub fn from_unix_millis(millis: i64) -> Option<String> {
    let millis = u64::try_from(millis)
        .ok()
        .filter(|m| (1..=LAST_SECOND * 1000).contains(m))?;
    let time = UNIX_EPOCH.checked_add(Duration::from_millis(millis))?;
    Some(rfc3339_millis(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_the_envelope_shows() {
        assert_eq!(
            from_unix_seconds(1_732_450_000).as_deref(),
            Some("2024-11-24T12:06:40Z")
        );
        assert_eq!(
            from_unix_millis(1_732_450_000_120).as_deref(),
            Some("2024-11-24T12:06:40.120Z")
        );
        assert_eq!(from_unix_seconds(0), None);
        assert_eq!(from_unix_millis(-5), None);
        assert_eq!(from_unix_seconds(i64::MAX), None);
        assert_eq!(from_unix_millis(i64::MAX), None);
    }
}
