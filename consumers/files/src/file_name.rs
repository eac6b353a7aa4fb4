//! A file name for a downloaded attachment that is safe to create in a directory: the platform's
//! name reduced to its last path component and stripped of what a file system or a terminal
//! would take as more than a name, or a name made from the attachment's id.

use shared_core::envelope::Attachment;

/// The longest name made, in characters.
const MAX_CHARS: usize = 120;
/// The longest extension kept when a long name is shortened.
const MAX_EXTENSION_CHARS: usize = 16;
/// Names Windows reserves for devices, whatever their extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The attachment's `name` made safe, else `attachment-{id}` (from its `file_id`) or
/// `attachment-{index}`, with an extension for its MIME type where one is known. Never a path:
/// no separator, no `..`, no leading dot, no control character.
pub fn safe_file_name(attachment: &Attachment, index: usize) -> String {
    if let Some(name) = attachment.name.as_deref().and_then(clean) {
        return name;
    }
    let id: String = attachment
        .file_id
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect();
    let stem = if id.is_empty() {
        format!("attachment-{index}")
    } else {
        format!("attachment-{id}")
    };
    match attachment.mime_type.as_deref().and_then(extension_for) {
        Some(extension) => format!("{stem}.{extension}"),
        None => stem,
    }
}

/// The last path component of `name`, cleaned; `None` when nothing usable is left.
fn clean(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let trimmed = cleaned
        .trim_matches(|c: char| c.is_whitespace() || c == '.')
        .to_owned();
    if trimmed.is_empty() {
        return None;
    }
    let shortened = shorten(&trimmed);
    let stem = shortened.split('.').next().unwrap_or_default();
    if RESERVED
        .iter()
        .any(|reserved| stem.eq_ignore_ascii_case(reserved))
    {
        return Some(format!("_{shortened}"));
    }
    Some(shortened)
}

/// Characters that change how a name displays (direction overrides, zero-width marks).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// At most [`MAX_CHARS`] characters, keeping a short extension.
fn shorten(name: &str) -> String {
    if name.chars().count() <= MAX_CHARS {
        return name.to_owned();
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, extension)| extension)
        .filter(|extension| extension.chars().count() <= MAX_EXTENSION_CHARS);
    match extension {
        Some(extension) => {
            let keep = MAX_CHARS - extension.chars().count() - 1;
            let stem: String = name.chars().take(keep).collect();
            format!("{}.{extension}", stem.trim_end_matches('.'))
        }
        None => name.chars().take(MAX_CHARS).collect(),
    }
}

/// The usual extension of a MIME type.
fn extension_for(mime: &str) -> Option<&'static str> {
    let essence = mime.split(';').next()?.trim().to_ascii_lowercase();
    Some(match essence.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/heic" => "heic",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "video/webm" => "webm",
        "audio/ogg" => "ogg",
        "audio/mpeg" => "mp3",
        "audio/mp4" | "audio/m4a" | "audio/x-m4a" => "m4a",
        "audio/aac" => "aac",
        "audio/amr" => "amr",
        "audio/x-caf" => "caf",
        "application/pdf" => "pdf",
        "application/zip" => "zip",
        "text/plain" => "txt",
        "text/csv" => "csv",
        "application/json" => "json",
        "application/x-tgsticker" => "tgs",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_core::envelope::MessageType;

    fn named(name: &str) -> Attachment {
        Attachment {
            name: Some(name.to_owned()),
            ..Attachment::of(MessageType::File)
        }
    }

    #[test]
    fn a_plain_name_is_kept() {
        assert_eq!(
            safe_file_name(&named("report 2026.pdf"), 0),
            "report 2026.pdf"
        );
        assert_eq!(safe_file_name(&named("фото.jpg"), 0), "фото.jpg");
    }

    #[test]
    fn paths_and_their_traversals_lose_everything_but_the_last_name() {
        assert_eq!(safe_file_name(&named("../../etc/passwd"), 0), "passwd");
        assert_eq!(safe_file_name(&named("..\\..\\boot.ini"), 0), "boot.ini");
        assert_eq!(safe_file_name(&named("/abs/path/x.txt"), 0), "x.txt");
        assert_eq!(safe_file_name(&named(".bashrc"), 0), "bashrc");
    }

    #[test]
    fn nothing_usable_falls_back_to_the_id_or_the_index() {
        let mut attachment = named("..");
        attachment.file_id = Some("AgAD/../x?".to_owned());
        attachment.mime_type = Some("image/jpeg".to_owned());
        assert_eq!(safe_file_name(&attachment, 3), "attachment-AgADx.jpg");
        let nameless = Attachment::of(MessageType::Image);
        assert_eq!(safe_file_name(&nameless, 2), "attachment-2");
    }

    #[test]
    fn control_characters_and_reserved_names_are_defused() {
        assert_eq!(
            safe_file_name(&named("a\u{1b}[31mb\u{202E}fdp.exe"), 0),
            "a[31mbfdp.exe"
        );
        assert_eq!(safe_file_name(&named("what?.txt"), 0), "what_.txt");
        assert_eq!(safe_file_name(&named("CON.txt"), 0), "_CON.txt");
        assert_eq!(safe_file_name(&named("nul"), 0), "_nul");
    }

    #[test]
    fn long_names_are_cut_keeping_their_extension() {
        let long = format!("{}.pdf", "x".repeat(500));
        let made = safe_file_name(&named(&long), 0);
        assert_eq!(made.chars().count(), MAX_CHARS);
        assert!(made.ends_with(".pdf"), "{made}");
    }
}
