//! The accept loop of `receivers serve`: at most `max_connections` connections at once (further
//! ones wait in the kernel's listen backlog, costing no descriptor, until one ends), each one
//! HTTP/1.1 under its [`Clocked`] deadlines, and a graceful stop that lets requests in flight
//! finish.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::Semaphore;

use super::Limits;
use super::clock::{Clocked, ClockedIo, ConnectionClock, Deadlines};

/// The largest request header taken (start line included); a larger one is answered 431.
const HEADER_LIMIT: usize = 32 << 10;
/// The size a connection's read buffer may grow to (its allocation may reach twice that);
/// bodies arrive in pieces of at most this size.
const READ_BUFFER_LIMIT: usize = 64 << 10;

/// How long accepting pauses after an error that is not the peer's (e.g. out of descriptors).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(250);

/// Connections the kernel holds for us past the cap (it may hold fewer: `net.core.somaxconn`);
/// the standard library's 128 would turn a short wait into SYN retries of a second or more.
const LISTEN_BACKLOG: u32 = 1024;

/// Listens on `address` with room in the backlog for connections waiting past the cap.
pub fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if address.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Serves `router` on `listener` until `shutdown` completes, then waits for the requests in
/// flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
) {
    // Turns every route into its final form once, not per request.
    let router = router.with_state(());
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.max_buf_size(READ_BUFFER_LIMIT)
        .max_header_size(HEADER_LIMIT)
        // The connection clock times headers and idle waits; see `clock`.
        .header_read_timeout(None);
    let deadlines = Deadlines {
        header: limits.header_timeout,
        idle: limits.idle_timeout,
    };
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            biased;
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => slot,
        };
        // The semaphore is never closed.
        let Ok(slot) = slot else { break };
        let stream = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(err) => {
                    pause_after(&err).await;
                    continue;
                }
            },
        };
        let clock = Arc::new(ConnectionClock::default());
        let io = TokioIo::new(ClockedIo::new(stream, Arc::clone(&clock)));
        let service = ClockedRouter {
            router: router.clone(),
            clock: Arc::clone(&clock),
        };
        let connection = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            match Clocked::new(connection, clock, deadlines).await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => tracing::debug!(error = %err, "a connection ended with an error"),
                Err(phase) => tracing::debug!(?phase, "closed a connection past its deadline"),
            }
            drop(slot);
        });
    }
    // Closing the listener refuses new connections; those in the backlog are reset.
    drop(listener);
    graceful.shutdown().await;
}

/// A failed accept: the peer's own failures are skipped; anything else (such as running out of
/// file descriptors) pauses accepting briefly so that connections can end and free some.
async fn pause_after(err: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %err, "cannot accept connections; retrying shortly");
    tokio::time::sleep(ACCEPT_BACKOFF).await;
}

/// The router, telling the connection clock when a request starts and when it is answered.
#[derive(Debug)]
struct ClockedRouter {
    router: Router,
    clock: Arc<ConnectionClock>,
}

impl hyper::service::Service<http::Request<Incoming>> for ClockedRouter {
    type Response = Response;
    type Error = Infallible;
    type Future = Answering<axum::routing::future::RouteFuture<Infallible>>;

    fn call(&self, request: http::Request<Incoming>) -> Self::Future {
        self.clock.request_started();
        // `Router` is always ready, and a clone is a reference count.
        let mut router = self.router.clone();
        Answering {
            response: tower_service::Service::call(&mut router, request),
            clock: Arc::clone(&self.clock),
        }
    }
}

pin_project_lite::pin_project! {
    /// A response being made; once ready, the connection is idle again.
    #[derive(Debug)]
    struct Answering<F> {
        #[pin]
        response: F,
        clock: Arc<ConnectionClock>,
    }
}

impl<F: Future> Future for Answering<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = std::task::ready!(this.response.poll(cx));
        this.clock.response_ready();
        Poll::Ready(response)
    }
}
