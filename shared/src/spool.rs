//! The embedded queue: an append-only JSON Lines file, one envelope a line, on disk (fsync'd)
//! before the request is answered. Concurrent requests share one fsync (group commit), and an
//! `event_id` already taken in the last five minutes is dropped, as a FIFO queue would.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;
use sha2::{Digest as _, Sha256};
use tokio::sync::{mpsc, oneshot};

use crate::envelope::Envelope;
use crate::ports::{Queue, QueueError};

/// How long an `event_id` is remembered, as SQS FIFO deduplication does.
pub const DEDUP_WINDOW: Duration = Duration::from_secs(300);
/// How much of an existing spool is read at start to remember recent event ids.
const RESUME_SCAN_BYTES: u64 = 8 << 20;

/// One request's envelopes, serialized, waiting for the writer.
struct Batch {
    lines: Vec<(String, Vec<u8>)>,
    done: oneshot::Sender<Result<(), String>>,
}

/// The spool file's writer: a thread that appends batches and syncs once per round.
#[derive(Debug)]
pub struct Spool {
    path: PathBuf,
    sender: Mutex<Option<mpsc::UnboundedSender<Batch>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl Spool {
    /// Opens (or creates) the spool at `path`, remembering the event ids of its last five minutes.
    pub fn open(path: impl Into<PathBuf>) -> std::io::Result<Arc<Self>> {
        let path = path.into();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)?;
        let recent = Recent::resume(&mut file)?;
        let (sender, receiver) = mpsc::unbounded_channel();
        let writer = std::thread::Builder::new()
            .name("spool-writer".into())
            .spawn(move || write_loop(file, recent, receiver))?;
        Ok(Arc::new(Self {
            path,
            sender: Mutex::new(Some(sender)),
            writer: Mutex::new(Some(writer)),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stops taking envelopes and waits for the writer to finish what it has.
    pub fn close(&self) {
        drop(
            self.sender
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take(),
        );
        if let Some(writer) = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            let _ = writer.join();
        }
    }
}

#[async_trait]
impl Queue for Spool {
    async fn send(&self, envelopes: &[Envelope]) -> Result<(), QueueError> {
        let mut lines = Vec::with_capacity(envelopes.len());
        for envelope in envelopes {
            let mut line = serde_json::to_vec(envelope)
                .map_err(|err| QueueError::Unavailable(err.to_string()))?;
            line.push(b'\n');
            lines.push((envelope.event_id.clone(), line));
        }
        let (done, written) = oneshot::channel();
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let closed = || QueueError::Unavailable("the spool is closed".into());
        sender
            .ok_or_else(closed)?
            .send(Batch { lines, done })
            .map_err(|_| closed())?;
        written
            .await
            .map_err(|_| closed())?
            .map_err(QueueError::Unavailable)
    }
}

/// The most event ids remembered at once (about 50 MB); past it the oldest are forgotten early,
/// which only matters above ~3,000 events/s sustained for the whole window.
const MAX_REMEMBERED: usize = 1_000_000;

/// An event id as remembered: the first 128 bits of its SHA-256 (a collision, which would drop
/// an event, is as likely as guessing a random 128-bit key).
type IdDigest = u128;

fn digest(id: &str) -> IdDigest {
    let hash = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&hash[..16]);
    IdDigest::from_le_bytes(first)
}

/// Event ids taken in the last five minutes, oldest first, as digests: memory per id stays
/// fixed whatever the platform's ids look like.
#[derive(Default)]
struct Recent {
    order: VecDeque<(Instant, IdDigest)>,
    ids: HashSet<IdDigest>,
}

impl Recent {
    /// Reads the tail of an existing spool for the ids still inside the window.
    fn resume(file: &mut File) -> std::io::Result<Self> {
        let mut recent = Self::default();
        let length = file.seek(SeekFrom::End(0))?;
        let start = length.saturating_sub(RESUME_SCAN_BYTES);
        file.seek(SeekFrom::Start(start))?;
        let mut tail = Vec::new();
        file.take(RESUME_SCAN_BYTES).read_to_end(&mut tail)?;
        let (now, wall) = (Instant::now(), SystemTime::now());
        for line in tail.split(|b| *b == b'\n').skip(usize::from(start > 0)) {
            let Ok(seen) = serde_json::from_slice::<SeenLine>(line) else {
                continue;
            };
            let Ok(at) = humantime::parse_rfc3339(&seen.received_at) else {
                continue;
            };
            let age = wall.duration_since(at).unwrap_or_default();
            if age < DEDUP_WINDOW {
                recent.insert(now.checked_sub(age).unwrap_or(now), digest(&seen.event_id));
            }
        }
        Ok(recent)
    }

    fn forget_expired(&mut self, now: Instant) {
        while let Some((at, _)) = self.order.front() {
            if now.duration_since(*at) < DEDUP_WINDOW {
                break;
            }
            if let Some((_, id)) = self.order.pop_front() {
                self.ids.remove(&id);
            }
        }
    }

    fn contains(&self, id: IdDigest) -> bool {
        self.ids.contains(&id)
    }

    fn insert(&mut self, at: Instant, id: IdDigest) {
        if self.ids.insert(id) {
            self.order.push_back((at, id));
        }
        if self.order.len() > MAX_REMEMBERED
            && let Some((_, oldest)) = self.order.pop_front()
        {
            self.ids.remove(&oldest);
        }
    }
}

#[derive(serde::Deserialize)]
struct SeenLine {
    event_id: String,
    received_at: String,
}

fn write_loop(mut file: File, mut recent: Recent, mut receiver: mpsc::UnboundedReceiver<Batch>) {
    while let Some(first) = receiver.blocking_recv() {
        let mut round = vec![first];
        while let Ok(more) = receiver.try_recv() {
            round.push(more);
        }
        let now = Instant::now();
        recent.forget_expired(now);
        let mut buffer = Vec::new();
        let mut taken = Vec::new();
        let mut in_round = HashSet::new();
        for batch in &round {
            for (id, line) in &batch.lines {
                let id = digest(id);
                if !recent.contains(id) && in_round.insert(id) {
                    buffer.extend_from_slice(line);
                    taken.push(id);
                }
            }
        }
        let result = append(&mut file, &buffer);
        if result.is_ok() {
            for id in taken {
                recent.insert(now, id);
            }
        } else if let Err(err) = &result {
            tracing::error!(error = %err, "spool write failed; answering 503");
        }
        for batch in round {
            let _ = batch.done.send(result.clone());
        }
    }
    let _ = file.sync_all();
}

/// Appends and syncs; on failure cuts the file back so no partial line stays.
fn append(file: &mut File, bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    let before = file.metadata().map_err(|err| err.to_string())?.len();
    let written = file.write_all(bytes).and_then(|()| file.sync_data());
    written.map_err(|err| {
        let _ = file.set_len(before);
        err.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::sample_envelope;

    fn lines(path: &Path) -> Vec<serde_json::Value> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[tokio::test]
    async fn appends_each_envelope_once_within_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queue.jsonl");
        let spool = Spool::open(&path).unwrap();
        let a = sample_envelope("telegram", "demo", "1", "telegram:demo:1");
        let b = sample_envelope("telegram", "demo", "1", "telegram:demo:2");
        spool.send(&[a.clone(), b.clone()]).await.unwrap();
        spool.send(std::slice::from_ref(&a)).await.unwrap();
        spool.close();
        let ids: Vec<_> = lines(&path)
            .iter()
            .map(|l| l["event_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["telegram:demo:1", "telegram:demo:2"]);
    }

    #[tokio::test]
    async fn concurrent_sends_all_land_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queue.jsonl");
        let spool = Spool::open(&path).unwrap();
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let spool = spool.clone();
                tokio::spawn(async move {
                    let envelope =
                        sample_envelope("viber", "demo", "u", &format!("viber:demo:{i}"));
                    spool.send(&[envelope]).await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        spool.close();
        assert_eq!(lines(&path).len(), 200);
    }

    #[tokio::test]
    async fn a_restart_remembers_recent_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queue.jsonl");
        let mut envelope = sample_envelope("telegram", "demo", "1", "telegram:demo:7");
        envelope.received_at = crate::time::rfc3339_millis(SystemTime::now());
        let old = sample_envelope("telegram", "demo", "1", "telegram:demo:old");
        let first = Spool::open(&path).unwrap();
        first.send(&[envelope.clone(), old.clone()]).await.unwrap();
        first.close();
        let second = Spool::open(&path).unwrap();
        second.send(&[envelope, old]).await.unwrap();
        second.close();
        let ids: Vec<_> = lines(&path)
            .iter()
            .map(|l| l["event_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            ids,
            ["telegram:demo:7", "telegram:demo:old", "telegram:demo:old"],
            "only the recent id is remembered"
        );
    }

    #[test]
    fn the_memory_of_ids_is_bounded() {
        let mut recent = Recent::default();
        let now = Instant::now();
        for n in 0..MAX_REMEMBERED + 10 {
            recent.insert(now, digest(&format!("telegram:demo:{n}")));
        }
        assert_eq!(
            (recent.order.len(), recent.ids.len()),
            (MAX_REMEMBERED, MAX_REMEMBERED)
        );
        assert!(
            !recent.contains(digest("telegram:demo:0")),
            "the oldest went first"
        );
        assert!(recent.contains(digest(&format!("telegram:demo:{}", MAX_REMEMBERED + 9))));
    }

    #[tokio::test]
    async fn a_closed_spool_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::open(dir.path().join("q.jsonl")).unwrap();
        spool.close();
        let envelope = sample_envelope("telegram", "demo", "1", "telegram:demo:1");
        assert!(spool.send(&[envelope]).await.is_err());
    }
}
