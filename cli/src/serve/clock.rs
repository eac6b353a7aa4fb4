//! Per-connection deadlines: a complete request header within the header timeout (counted from
//! the connection's start, or from the first byte of a later request), and at most the idle
//! timeout between a response and the next request. While a request is handled, the body
//! timeout and the upstream deadline bound it instead.
//!
//! hyper's own `header_read_timeout` also runs while a keep-alive connection waits, so it cannot
//! tell a stalled header from an idle connection; this clock can.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// What a connection is doing, as far as its deadline goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for (the rest of) a request header.
    Header,
    /// A request is being handled.
    Busy,
    /// Answered; waiting for the next request.
    Idle,
}

impl Phase {
    const fn code(self) -> u32 {
        match self {
            Self::Header => 0,
            Self::Busy => 1,
            Self::Idle => 2,
        }
    }

    const fn from_code(code: u32) -> Self {
        match code & 0b11 {
            0 => Self::Header,
            1 => Self::Busy,
            _ => Self::Idle,
        }
    }
}

/// The connection's phase, with a count of changes so that a phase entered again restarts
/// its deadline. One connection's task is the only writer.
#[derive(Debug, Default)]
pub struct ConnectionClock {
    state: AtomicU32,
}

impl ConnectionClock {
    pub fn phase(&self) -> Phase {
        Phase::from_code(self.state.load(Ordering::Relaxed))
    }

    /// A request header is complete and the request goes to the router.
    pub fn request_started(&self) {
        self.enter(Phase::Busy);
    }

    /// The router answered.
    pub fn response_ready(&self) {
        self.enter(Phase::Idle);
    }

    /// Bytes arrived: after an answer, they start the next request's header.
    fn bytes_read(&self) {
        if self.phase() == Phase::Idle {
            self.enter(Phase::Header);
        }
    }

    fn enter(&self, phase: Phase) {
        let changes = (self.state.load(Ordering::Relaxed) >> 2).wrapping_add(1);
        self.state
            .store((changes << 2) | phase.code(), Ordering::Relaxed);
    }

    fn state(&self) -> u32 {
        self.state.load(Ordering::Relaxed)
    }
}

/// The timeouts the clock enforces.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    pub header: Duration,
    pub idle: Duration,
}

/// A socket that tells the clock when bytes arrive.
#[derive(Debug)]
pub struct ClockedIo<S> {
    stream: S,
    clock: Arc<ConnectionClock>,
}

impl<S> ClockedIo<S> {
    pub fn new(stream: S, clock: Arc<ConnectionClock>) -> Self {
        Self { stream, clock }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for ClockedIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.clock.bytes_read();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ClockedIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

pin_project_lite::pin_project! {
    /// Runs a connection until it ends or its phase outlives its deadline; then the connection
    /// is dropped, which closes the socket.
    #[derive(Debug)]
    pub struct Clocked<C> {
        #[pin]
        connection: C,
        #[pin]
        deadline: Sleep,
        clock: Arc<ConnectionClock>,
        deadlines: Deadlines,
        seen: u32,
    }
}

impl<C> Clocked<C> {
    pub fn new(connection: C, clock: Arc<ConnectionClock>, deadlines: Deadlines) -> Self {
        let seen = clock.state();
        let timeout = match clock.phase() {
            Phase::Idle => deadlines.idle,
            Phase::Header | Phase::Busy => deadlines.header,
        };
        Self {
            connection,
            deadline: tokio::time::sleep(timeout),
            clock,
            deadlines,
            seen,
        }
    }
}

impl<C: Future> Future for Clocked<C> {
    /// The connection's own outcome, or the phase whose deadline passed.
    type Output = Result<C::Output, Phase>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(outcome) = this.connection.poll(cx) {
            return Poll::Ready(Ok(outcome));
        }
        // Phases change only while the connection is polled, so checking here sees each one.
        let state = this.clock.state();
        let phase = Phase::from_code(state);
        if state != *this.seen {
            *this.seen = state;
            let timeout = match phase {
                Phase::Header => this.deadlines.header,
                Phase::Idle => this.deadlines.idle,
                Phase::Busy => return Poll::Pending,
            };
            this.deadline.as_mut().reset(Instant::now() + timeout);
        }
        if phase != Phase::Busy && this.deadline.poll(cx).is_ready() {
            return Poll::Ready(Err(phase));
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phases_of_a_keep_alive_connection() {
        let clock = ConnectionClock::default();
        assert_eq!(clock.phase(), Phase::Header);
        clock.bytes_read();
        assert_eq!(clock.phase(), Phase::Header, "still the first header");
        let first = clock.state();
        clock.request_started();
        assert_eq!(clock.phase(), Phase::Busy);
        clock.bytes_read();
        assert_eq!(
            clock.phase(),
            Phase::Busy,
            "body bytes do not end a request"
        );
        clock.response_ready();
        assert_eq!(clock.phase(), Phase::Idle);
        clock.bytes_read();
        assert_eq!(clock.phase(), Phase::Header, "the next request began");
        assert_ne!(
            clock.state(),
            first,
            "a new header phase restarts its deadline"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_header_and_an_idle_connection_each_meet_their_own_deadline() {
        let deadlines = Deadlines {
            header: Duration::from_secs(5),
            idle: Duration::from_secs(30),
        };
        let clock = Arc::new(ConnectionClock::default());
        let started = Instant::now();
        let outcome =
            Clocked::new(std::future::pending::<()>(), Arc::clone(&clock), deadlines).await;
        assert_eq!(outcome, Err(Phase::Header));
        assert!(started.elapsed() >= deadlines.header && started.elapsed() < deadlines.idle);

        clock.request_started();
        clock.response_ready();
        let started = Instant::now();
        let outcome = Clocked::new(std::future::pending::<()>(), clock, deadlines).await;
        assert_eq!(outcome, Err(Phase::Idle));
        assert!(started.elapsed() >= deadlines.idle);
    }
}
