//! The `facebook-receiver` Lambda function.

// A Lambda handles one invocation at a time: one thread runs it, no worker pool to start.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), shared::lambda::Error> {
    shared::lambda::run(facebook_receiver::Facebook).await
}
