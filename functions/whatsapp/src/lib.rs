//! WhatsApp Business Cloud API (Meta webhooks) receiver: the pure channel module, used by the Lambda binary and by `receivers serve`.

pub mod whatsapp;

pub use whatsapp::WhatsApp;
