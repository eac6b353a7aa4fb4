//! Sample requests for the channels, realistic at any size and signed by the channels
//! themselves, and the per-event work the benches measure: decode, authenticate, normalize,
//! stamp and serialize each envelope.

pub mod channels;
pub mod prose;

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use shared_core::channel::{envelope_from, verify};
use shared_core::{Channel, Outcome, Rejection, Request};

pub use shared_core::sample::Outgoing;

/// The "now" every sample is signed for: 2026-11-24T13:00:00Z, as `shared_core::testing::fixed_now`.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_525_200)
}

/// The body limit the pipeline applies by default (1 MiB).
pub const BODY_LIMIT: usize = 1 << 20;

/// A POST of `body` with this `content-type`, not signed yet.
pub fn post(body: Vec<u8>, content_type: &str) -> Outgoing {
    let mut request = Outgoing::post(body);
    request
        .set_header("content-type", content_type)
        .expect("a valid content type");
    request
}

/// `request` signed by `channel` as the platform signs it for the bot with `secret`, at `at`.
pub fn signed_at<C: Channel>(
    channel: &C,
    secret: &C::Secret,
    mut request: Outgoing,
    at: SystemTime,
) -> Outgoing {
    channel
        .sign(&mut request, secret, at)
        .unwrap_or_else(|err| panic!("{}: {err}", C::NAME));
    request
}

/// `request` signed by `channel` for the bot with `secret`, at the fixed "now".
pub fn signed<C: Channel>(channel: &C, secret: &C::Secret, request: Outgoing) -> Outgoing {
    signed_at(channel, secret, request, now())
}

/// What one request costs: decode the body, authenticate, normalize, then stamp each event into
/// an envelope and serialize it as the queue would. Returns the events and the bytes serialized.
pub fn process<C: Channel>(
    channel: &C,
    secret: &C::Secret,
    request: &Request<'_>,
    now: SystemTime,
) -> Result<(usize, usize), Rejection> {
    let decoded = channel.decode_body(request, BODY_LIMIT)?;
    let request = Request {
        body: decoded.as_deref().unwrap_or(request.body),
        ..*request
    };
    let verified = verify(channel, request, secret, now)?;
    let Outcome::Events { events, .. } = channel.receive(&verified, secret, now)? else {
        return Ok((0, 0));
    };
    let received_at = shared_core::time::rfc3339_millis(now);
    let mut bytes = 0;
    let count = events.len();
    for event in events {
        let envelope = envelope_from(C::NAME, "demo", &received_at, event);
        let line = serde_json::to_vec(&envelope).map_err(Rejection::malformed)?;
        bytes += line.len();
    }
    Ok((count, bytes))
}

/// The fixtures directory of a channel crate.
pub fn fixtures_dir(channel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../functions")
        .join(channel)
        .join("tests/fixtures")
}

/// Every `.json` fixture of a channel (Slack's subfolders included), sorted, as (name, bytes).
pub fn fixtures(channel: &str) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut dirs = vec![fixtures_dir(channel)];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).expect("the fixtures directory is readable");
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                let name = path
                    .strip_prefix(fixtures_dir(channel))
                    .map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
                found.push((name, std::fs::read(&path).expect("a readable fixture")));
            }
        }
    }
    found.sort();
    found
}

/// The body of the knob `n` (0 ≤ `n` ≤ `limit`) whose `build(n)` comes closest to `target`
/// bytes; bodies grow with `n`, so a binary search finds it.
pub fn grow(target: usize, limit: usize, build: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let (mut low, mut high) = (0, limit);
    while low < high {
        let mid = low + (high - low) / 2;
        if build(mid).len() >= target {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let over = build(low);
    match low.checked_sub(1).map(&build) {
        Some(under) if target.saturating_sub(under.len()) < over.len().saturating_sub(target) => {
            under
        }
        _ => over,
    }
}
