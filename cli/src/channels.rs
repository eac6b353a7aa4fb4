//! The messengers `receivers` hosts: every one of the registry (`messengers`), mounted on the
//! local server.

use shared::Channel;

use crate::routes::Receivers;

/// Mounts every receiver; a channel's bad setting (e.g. `ABC_MAX_TOKEN_AGE_SECONDS`) fails here.
pub fn mount_all(receivers: Receivers) -> anyhow::Result<Receivers> {
    let mut mount = Mount(Some(receivers));
    messengers::visit_all(&mut mount, &|name| std::env::var(name).ok())?;
    mount
        .0
        .ok_or_else(|| anyhow::anyhow!("the receivers were lost while mounting"))
}

struct Mount(Option<Receivers>);

impl messengers::Visitor for Mount {
    type Error = anyhow::Error;

    fn visit<C: Channel + Default>(&mut self, channel: C) -> anyhow::Result<()> {
        self.0 = self.0.take().map(|receivers| receivers.mount(channel));
        Ok(())
    }
}
