//! Room in the open-file limit for the connection cap: the soft limit is raised towards the hard
//! one when the cap needs more (as Go's runtime and nginx's `worker_rlimit_nofile` do), so that
//! the cap, not the descriptor limit, is what new connections meet.

/// Descriptors needed besides one per client connection: the listener, the runtime, the spool
/// and secrets file, and one upstream connection (SQS, Secrets Manager) per request in flight.
fn needed(max_connections: usize) -> u64 {
    let connections = u64::try_from(max_connections).unwrap_or(u64::MAX);
    connections.saturating_mul(2).saturating_add(64)
}

/// Raises the soft open-file limit if `max_connections` needs it; says so when it cannot.
pub fn make_room(max_connections: usize) {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

        let needed = needed(max_connections);
        let limit = getrlimit(Resource::Nofile);
        let current = limit.current.unwrap_or(u64::MAX);
        if current >= needed {
            return;
        }
        let target = needed.min(limit.maximum.unwrap_or(u64::MAX));
        let raised = target > current
            && setrlimit(
                Resource::Nofile,
                Rlimit {
                    current: Some(target),
                    maximum: limit.maximum,
                },
            )
            .is_ok();
        let now = if raised { target } else { current };
        if raised {
            tracing::info!(
                from = current,
                to = now,
                "raised the open-file limit for --max-connections"
            );
        }
        if now < needed {
            tracing::warn!(
                "the open-file limit ({now}) is below the {needed} that --max-connections {max_connections} may need; raise it (ulimit -n) or lower the cap"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = needed(max_connections);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_per_connection_and_a_reserve() {
        assert_eq!(needed(1024), 2112);
        assert_eq!(needed(usize::MAX), u64::MAX);
    }
}
