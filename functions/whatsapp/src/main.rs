//! The `whatsapp-receiver` Lambda function.

#[tokio::main]
async fn main() -> Result<(), shared::lambda::Error> {
    shared::lambda::run(whatsapp_receiver::WhatsApp).await
}
