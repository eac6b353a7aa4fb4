//! The `abc-receiver` Lambda function.

#[tokio::main]
async fn main() -> Result<(), shared::lambda::Error> {
    shared::lambda::run(abc_receiver::Abc::from_env()?).await
}
