//! The `facebook-receiver` Lambda function.

#[tokio::main]
async fn main() -> Result<(), shared::lambda::Error> {
    shared::lambda::run(facebook_receiver::Facebook).await
}
