//! Test support: moto endpoints, queues and secrets, the local server.
