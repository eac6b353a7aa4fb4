//! The messengers `receivers` hosts: one line each.

use crate::routes::Receivers;

/// Mounts every receiver.
pub fn mount_all(receivers: Receivers) -> anyhow::Result<Receivers> {
    Ok(receivers
        .mount(telegram_receiver::Telegram)
        .mount(viber_receiver::Viber)
        .mount(facebook_receiver::Facebook)
        .mount(slack_receiver::Slack)
        .mount(abc_receiver::Abc::from_env()?)
        .mount(whatsapp_receiver::WhatsApp))
}
