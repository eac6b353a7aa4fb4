//! The embedded queue: an append-only JSON Lines file, one envelope a line, on disk (fsync'd)
//! before the request is answered. Concurrent requests share one fsync (group commit), and an
//! `event_id` already taken within the horizon is dropped: the spool is its own ledger.

mod file;
mod recent;

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use tokio::sync::{mpsc, oneshot};

use crate::envelope::Envelope;
use crate::ports::{Ledger, LedgerError, Queue, QueueError};
pub use recent::DEFAULT_MAX_REMEMBERED;
use recent::{Recent, digest, epoch_seconds};

/// How the spool deduplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpoolOptions {
    /// How long a taken `event_id` keeps its retries out (the ledger's horizon, a week by
    /// default); kept across restarts by reading the file back.
    pub horizon: Duration,
    /// The most ids remembered at once (16 bytes each, plus the table's slack).
    pub max_remembered: usize,
}

impl Default for SpoolOptions {
    fn default() -> Self {
        Self {
            horizon: crate::ledger::DEFAULT_HORIZON,
            max_remembered: DEFAULT_MAX_REMEMBERED,
        }
    }
}

/// One request's envelopes, serialized, waiting for the writer.
struct Batch {
    lines: Vec<(String, Vec<u8>)>,
    done: oneshot::Sender<Result<(), String>>,
}

/// The spool file's writer: a thread that appends batches and syncs once per round.
#[derive(Debug)]
pub struct Spool {
    path: PathBuf,
    recent: Arc<Mutex<Recent>>,
    sender: Mutex<Option<mpsc::UnboundedSender<Batch>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl Spool {
    /// Opens (or creates) the spool at `path`, with the default horizon and bound.
    pub fn open(path: impl Into<PathBuf>) -> std::io::Result<Arc<Self>> {
        Self::open_with(path, SpoolOptions::default())
    }

    /// Opens (or creates) the spool at `path`: a torn last line (a crash in the middle of an
    /// append) is cut back, and the event ids taken within the horizon are read back, by time.
    pub fn open_with(
        path: impl Into<PathBuf>,
        options: SpoolOptions,
    ) -> std::io::Result<Arc<Self>> {
        let path = path.into();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)?;
        let cut = file::cut_torn_tail(&mut file)?;
        if cut > 0 {
            tracing::warn!(
                bytes = cut,
                path = %path.display(),
                "cut back a torn last line of the spool (an append interrupted by a crash; it was never answered 200)"
            );
        }
        let recent = Arc::new(Mutex::new(Recent::resume(
            &mut file,
            options.horizon,
            options.max_remembered,
        )?));
        let (sender, receiver) = mpsc::unbounded_channel();
        let index = Arc::clone(&recent);
        let writer = std::thread::Builder::new()
            .name("spool-writer".into())
            .spawn(move || write_loop(file, &index, receiver))?;
        Ok(Arc::new(Self {
            path,
            recent,
            sender: Mutex::new(Some(sender)),
            writer: Mutex::new(Some(writer)),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many event ids the deduplication index holds now.
    pub fn remembered(&self) -> usize {
        lock(&self.recent).len()
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
            .unwrap_or_else(PoisonError::into_inner)
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
            // serde escapes line breaks in strings and `raw` has none (`raw_on_one_line`): a
            // line break here would split one envelope over two lines, so it is refused.
            if line.contains(&b'\n') {
                return Err(QueueError::Unavailable(
                    "an envelope would not fit on one spool line".into(),
                ));
            }
            line.push(b'\n');
            lines.push((envelope.event_id.clone(), line));
        }
        let (done, written) = oneshot::channel();
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
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

/// The spool is its own ledger: `seen` reads the index the writer keeps, and `record` has
/// nothing to do, since the appended line is the record (and survives a restart).
#[async_trait]
impl Ledger for Spool {
    async fn seen(&self, ids: &[&str], now: SystemTime) -> Result<Vec<bool>, LedgerError> {
        let now = epoch_seconds(now);
        let recent = lock(&self.recent);
        Ok(ids
            .iter()
            .map(|id| recent.contains(&digest(id), now))
            .collect())
    }

    async fn record(&self, _ids: &[&str], _expires: SystemTime) -> Result<(), LedgerError> {
        Ok(())
    }
}

fn lock(recent: &Mutex<Recent>) -> MutexGuard<'_, Recent> {
    recent.lock().unwrap_or_else(PoisonError::into_inner)
}

fn write_loop(
    mut file: File,
    recent: &Mutex<Recent>,
    mut receiver: mpsc::UnboundedReceiver<Batch>,
) {
    while let Some(first) = receiver.blocking_recv() {
        let mut round = vec![first];
        while let Ok(more) = receiver.try_recv() {
            round.push(more);
        }
        let now = epoch_seconds(SystemTime::now());
        let mut buffer = Vec::new();
        let mut taken = Vec::new();
        let mut in_round = HashSet::new();
        {
            let recent = lock(recent);
            for batch in &round {
                for (id, line) in &batch.lines {
                    let id = digest(id);
                    if !recent.contains(&id, now) && in_round.insert(id) {
                        buffer.extend_from_slice(line);
                        taken.push(id);
                    }
                }
            }
        }
        let result = file::append(&mut file, &buffer);
        if result.is_ok() {
            let mut recent = lock(recent);
            for id in taken {
                recent.insert(id, now);
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

#[cfg(test)]
mod tests;
