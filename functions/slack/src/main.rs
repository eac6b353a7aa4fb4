//! The `slack-receiver` Lambda function.

#[tokio::main]
async fn main() -> Result<(), shared::lambda::Error> {
    shared::lambda::run(slack_receiver::Slack).await
}
