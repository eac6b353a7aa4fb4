//! Request bodies read under three bounds: a size limit per request, a deadline per request (the
//! body timeout), and one budget of bytes for the buffers that bodies arriving in several pieces
//! are gathered in, shared by every request being read or handled, so that stalled senders cannot
//! make memory grow without bound.
//!
//! A body that arrives in one piece is not counted: it is a slice of its connection's read
//! buffer, which the connection cap already bounds. So a complete request of the usual size is
//! answered even while stalled senders hold the whole budget.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use http_body_util::BodyExt as _;

/// The default time to receive a body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default bytes all bodies in flight may hold together: 64 MiB.
pub const DEFAULT_BUDGET: usize = 64 << 20;

/// The bytes that request bodies may hold at once, across all connections.
#[derive(Debug, Clone)]
pub struct BodyBudget(Arc<Budget>);

#[derive(Debug)]
struct Budget {
    held: AtomicUsize,
    capacity: usize,
}

impl BodyBudget {
    pub fn new(capacity: usize) -> Self {
        Self(Arc::new(Budget {
            held: AtomicUsize::new(0),
            capacity,
        }))
    }

    /// Bytes held right now.
    pub fn held(&self) -> usize {
        self.0.held.load(Ordering::Relaxed)
    }

    pub fn capacity(&self) -> usize {
        self.0.capacity
    }

    fn nothing_held(&self) -> Held {
        Held {
            budget: self.clone(),
            bytes: 0,
        }
    }
}

/// Bytes counted against the budget until dropped.
#[derive(Debug)]
pub struct Held {
    budget: BodyBudget,
    bytes: usize,
}

impl Held {
    /// Counts `extra` more bytes, unless that would pass the budget.
    fn grow(&mut self, extra: usize) -> Result<(), BodyError> {
        let budget = &self.budget.0;
        budget
            .held
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |held| {
                held.checked_add(extra)
                    .filter(|total| *total <= budget.capacity)
            })
            .map_err(|_| BodyError::OverBudget(budget.capacity))?;
        self.bytes += extra;
        Ok(())
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.bytes > 0 {
            self.budget.0.held.fetch_sub(self.bytes, Ordering::Relaxed);
        }
    }
}

/// How bodies are read.
#[derive(Debug, Clone)]
pub struct BodyRules {
    /// The largest body taken; a larger one is not read further.
    pub limit: usize,
    /// Time to receive the whole body.
    pub timeout: Duration,
    pub budget: BodyBudget,
}

/// A body as read.
#[derive(Debug)]
pub enum ReadBody {
    /// The whole body, counted in the budget until `Held` is dropped.
    Complete(Bytes, Held),
    /// Over the limit, by its declared length or as it arrived; not read further.
    Oversized,
}

/// Why a body was not read.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the body did not arrive within {0:?}")]
    TimedOut(Duration),
    #[error("the bodies in flight hold the whole budget of {0} bytes")]
    OverBudget(usize),
    #[error("the body could not be read: {0}")]
    Broken(axum::Error),
}

/// Reads `body`, whose `Content-Length` is `declared` if it has one.
pub async fn read(
    body: Body,
    declared: Option<u64>,
    rules: &BodyRules,
) -> Result<ReadBody, BodyError> {
    let limit = u64::try_from(rules.limit).unwrap_or(u64::MAX);
    let expected = match declared {
        Some(length) if length > limit => return Ok(ReadBody::Oversized),
        Some(length) => usize::try_from(length).unwrap_or(rules.limit),
        None => rules.limit,
    };
    tokio::time::timeout(rules.timeout, collect(body, expected, rules))
        .await
        .unwrap_or(Err(BodyError::TimedOut(rules.timeout)))
}

/// Collects the frames; a body that arrives in one piece is kept as it is, a longer one is
/// copied into a buffer that doubles as needed, up to `expected`. The budget counts the buffer's
/// capacity.
async fn collect(
    mut body: Body,
    expected: usize,
    rules: &BodyRules,
) -> Result<ReadBody, BodyError> {
    let mut held = rules.budget.nothing_held();
    let mut single: Option<Bytes> = None;
    let mut buffer: Vec<u8> = Vec::new();
    let mut length = 0_usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(BodyError::Broken)?.into_data() else {
            continue; // trailers
        };
        if data.is_empty() {
            continue;
        }
        length = length.saturating_add(data.len());
        if length > rules.limit {
            return Ok(ReadBody::Oversized);
        }
        if single.is_none() && buffer.capacity() == 0 {
            single = Some(data);
            continue;
        }
        if length > buffer.capacity() {
            let capacity = length.max(buffer.capacity() * 2).min(expected.max(length));
            held.grow(capacity - buffer.capacity())?;
            buffer.reserve_exact(capacity - buffer.len());
        }
        if let Some(first) = single.take() {
            buffer.extend_from_slice(&first);
        }
        buffer.extend_from_slice(&data);
    }
    let body = match single {
        Some(piece) => piece,
        None => Bytes::from(buffer),
    };
    Ok(ReadBody::Complete(body, held))
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use http_body::Frame;

    use super::*;

    /// A body arriving in the given pieces, then (if `stalls`) never ending.
    struct Pieces {
        pieces: VecDeque<Bytes>,
        stalls: bool,
    }

    impl http_body::Body for Pieces {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            match self.pieces.pop_front() {
                Some(piece) => Poll::Ready(Some(Ok(Frame::data(piece)))),
                None if self.stalls => Poll::Pending,
                None => Poll::Ready(None),
            }
        }
    }

    fn body(pieces: &[usize], stalls: bool) -> Body {
        Body::new(Pieces {
            pieces: pieces.iter().map(|n| Bytes::from(vec![b'x'; *n])).collect(),
            stalls,
        })
    }

    fn rules(limit: usize, budget: usize) -> BodyRules {
        BodyRules {
            limit,
            timeout: Duration::from_secs(10),
            budget: BodyBudget::new(budget),
        }
    }

    #[tokio::test]
    async fn a_body_in_one_piece_is_taken_even_when_the_budget_is_full() {
        let rules = rules(1000, 1000);
        let Ok(ReadBody::Complete(_, full)) = read(body(&[500, 500], false), None, &rules).await
        else {
            panic!("a body in two pieces fits the budget");
        };
        assert_eq!(rules.budget.held(), 1000);
        let Ok(ReadBody::Complete(body, _)) = read(body(&[700], false), Some(700), &rules).await
        else {
            panic!("a body in one piece is not refused");
        };
        assert_eq!(body.len(), 700);
        assert_eq!(rules.budget.held(), 1000, "and not counted");
        drop(full);
        assert_eq!(rules.budget.held(), 0);
    }

    #[tokio::test]
    async fn a_body_in_pieces_is_held_at_its_buffer_capacity_at_most_the_declared_length() {
        let rules = rules(1000, 1000);
        let read = read(body(&[100, 100, 100, 300], false), Some(600), &rules).await;
        let Ok(ReadBody::Complete(body, held)) = read else {
            panic!("not complete: {read:?}");
        };
        assert_eq!(body.len(), 600);
        assert_eq!(body, vec![b'x'; 600]);
        assert_eq!(
            rules.budget.held(),
            600,
            "the buffer stopped at the declared length"
        );
        drop(held);
        assert_eq!(rules.budget.held(), 0);
    }

    #[tokio::test]
    async fn over_the_limit_by_declaration_or_by_arrival() {
        let rules = rules(1000, 4000);
        assert!(matches!(
            read(body(&[], true), Some(1001), &rules).await,
            Ok(ReadBody::Oversized)
        ));
        assert!(matches!(
            read(body(&[600, 600], false), None, &rules).await,
            Ok(ReadBody::Oversized)
        ));
        assert_eq!(rules.budget.held(), 0);
    }

    #[tokio::test]
    async fn past_the_budget_a_body_is_refused_and_the_budget_recovers() {
        let rules = rules(1000, 1500);
        let Ok(ReadBody::Complete(_, first)) = read(body(&[500, 500], false), None, &rules).await
        else {
            panic!("the first body fits");
        };
        assert_eq!(rules.budget.held(), 1000);
        let refused = read(body(&[300, 300], false), None, &rules).await;
        assert!(
            matches!(refused, Err(BodyError::OverBudget(1500))),
            "{refused:?}"
        );
        assert_eq!(
            rules.budget.held(),
            1000,
            "the refused body let go of its part"
        );
        drop(first);
        assert!(matches!(
            read(body(&[300, 300], false), None, &rules).await,
            Ok(ReadBody::Complete(..))
        ));
        assert_eq!(rules.budget.held(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_body_times_out_and_lets_go_of_its_bytes() {
        let rules = rules(1000, 1000);
        let stalled = read(body(&[200, 200], true), Some(1000), &rules).await;
        assert!(
            matches!(stalled, Err(BodyError::TimedOut(_))),
            "{stalled:?}"
        );
        assert_eq!(rules.budget.held(), 0);
    }
}
