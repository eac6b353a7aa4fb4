//! The `telegram-receiver` Lambda function.

#[tokio::main]
async fn main() -> Result<(), shared::lambda::Error> {
    shared::lambda::run(telegram_receiver::Telegram).await
}
