//! Deterministic message text: words drawn from small English and Ukrainian vocabularies, with
//! the occasional emoji, so sample bodies read like chat and scale to any length.

const ENGLISH: &[&str] = &[
    "the", "order", "arrived", "today", "but", "box", "was", "damaged", "could", "you", "please",
    "send", "a", "new", "one", "to", "my", "address", "thanks", "for", "quick", "reply", "I",
    "would", "like", "change", "delivery", "time", "tomorrow", "morning", "is", "fine", "also",
    "what", "about", "refund", "payment", "card", "number", "ends", "with", "café", "menu",
    "weekend", "👍", "🙂", "hello", "again", "support", "ticket", "still", "open", "since",
    "Monday", "and", "nobody", "answered", "yet", "can", "check", "status", "of", "it",
];

const UKRAINIAN: &[&str] = &[
    "привіт",
    "замовлення",
    "прийшло",
    "сьогодні",
    "але",
    "коробка",
    "пошкоджена",
    "будь",
    "ласка",
    "надішліть",
    "нову",
    "на",
    "мою",
    "адресу",
    "дякую",
    "за",
    "швидку",
    "відповідь",
    "хочу",
    "змінити",
    "час",
    "доставки",
    "завтра",
    "зранку",
    "також",
    "що",
    "з",
    "поверненням",
    "коштів",
    "оплата",
    "карткою",
    "👍",
    "і",
    "досі",
    "ніхто",
    "не",
    "відповів",
];

/// A language to write in.
#[derive(Debug, Clone, Copy)]
pub enum Language {
    English,
    Ukrainian,
}

/// A sequence of words, the same for the same seed.
#[derive(Debug, Clone)]
pub struct Words {
    state: u64,
    vocabulary: &'static [&'static str],
}

impl Words {
    pub fn new(language: Language, seed: u64) -> Self {
        let vocabulary = match language {
            Language::English => ENGLISH,
            Language::Ukrainian => UKRAINIAN,
        };
        Self {
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            vocabulary,
        }
    }
}

impl Iterator for Words {
    type Item = &'static str;

    fn next(&mut self) -> Option<&'static str> {
        // xorshift64: good enough to vary the words, and no dependency.
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        let len = u64::try_from(self.vocabulary.len()).unwrap_or(1);
        let index = usize::try_from(self.state % len).unwrap_or(0);
        self.vocabulary.get(index).copied()
    }
}

/// `count` words of text, sentences of twelve words, capped at `max_chars` UTF-16 units.
pub fn text(language: Language, seed: u64, count: usize, max_chars: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for (i, word) in Words::new(language, seed).take(count).enumerate() {
        let sep = match i {
            0 => "",
            _ if i % 12 == 0 => ". ",
            _ => " ",
        };
        let more = sep.len() + utf16_len(word);
        if chars + more > max_chars {
            break;
        }
        chars += more;
        out.push_str(sep);
        out.push_str(word);
    }
    out
}

/// The length of `text` in UTF-16 code units, as Telegram counts entity offsets.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}
