pub struct Telegram;
