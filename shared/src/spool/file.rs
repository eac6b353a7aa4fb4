//! The spool file's bytes: appending whole lines, cutting back a torn last line, and reading
//! lines from the end backwards.

use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::ops::ControlFlow;

/// How much is read at a time when walking the file backwards.
const CHUNK: u64 = 1 << 20;

/// Cuts the file back to its last complete line: a crash in the middle of an append leaves a
/// line without its `\n`, which was never answered 200 (the answer waits for the sync), and the
/// next append would be glued to it. Returns how many bytes were cut.
pub(super) fn cut_torn_tail(file: &mut File) -> std::io::Result<u64> {
    let length = file.seek(SeekFrom::End(0))?;
    let mut complete = length;
    let mut buffer = Vec::new();
    while complete > 0 {
        let start = complete.saturating_sub(CHUNK);
        read_range(file, start, complete, &mut buffer)?;
        if let Some(at) = buffer.iter().rposition(|byte| *byte == b'\n') {
            complete = start + at as u64 + 1;
            break;
        }
        complete = start;
    }
    if complete < length {
        file.set_len(complete)?;
        file.sync_data()?;
    }
    Ok(length - complete)
}

/// Calls `visit` on every line, newest first, until it breaks. Empty lines are skipped.
pub(super) fn lines_backwards(
    file: &mut File,
    mut visit: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> std::io::Result<()> {
    let mut end = file.seek(SeekFrom::End(0))?;
    // The beginning of the line that starts before the bytes read so far.
    let mut unfinished: Vec<u8> = Vec::new();
    let mut buffer = Vec::new();
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        read_range(file, start, end, &mut buffer)?;
        buffer.extend_from_slice(&unfinished);
        let mut lines = buffer.rsplit(|byte| *byte == b'\n');
        // The first piece (last in the split) may continue before `start`.
        let mut pieces: Vec<&[u8]> = lines.by_ref().collect();
        let first = pieces.pop().unwrap_or_default();
        for line in pieces.into_iter().filter(|line| !line.is_empty()) {
            if visit(line).is_break() {
                return Ok(());
            }
        }
        unfinished = first.to_vec();
        end = start;
    }
    if !unfinished.is_empty() {
        let _ = visit(&unfinished);
    }
    Ok(())
}

fn read_range(file: &mut File, start: u64, end: u64, into: &mut Vec<u8>) -> std::io::Result<()> {
    into.clear();
    file.seek(SeekFrom::Start(start))?;
    std::io::Read::by_ref(file)
        .take(end - start)
        .read_to_end(into)?;
    Ok(())
}

/// Appends and syncs; on failure cuts the file back so no partial line stays.
pub(super) fn append(file: &mut File, bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    let before = file.metadata().map_err(|err| err.to_string())?.len();
    let written = file.write_all(bytes).and_then(|()| file.sync_data());
    written.map_err(|err| {
        let _ = file.set_len(before);
        err.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(bytes: &[u8]) -> (tempfile::TempDir, File) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool.jsonl");
        std::fs::write(&path, bytes).unwrap();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(&path)
            .unwrap();
        (dir, file)
    }

    fn backwards(file: &mut File) -> Vec<Vec<u8>> {
        let mut seen = Vec::new();
        lines_backwards(file, |line| {
            seen.push(line.to_vec());
            ControlFlow::Continue(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn a_torn_last_line_is_cut_back_to_the_last_complete_one() {
        let (_dir, mut file) = file_with(b"{\"a\":1}\n{\"b\":2}\n{\"ver");
        assert_eq!(cut_torn_tail(&mut file).unwrap(), 5);
        assert_eq!(
            backwards(&mut file),
            [b"{\"b\":2}".to_vec(), b"{\"a\":1}".to_vec()]
        );
        let (_dir, mut whole) = file_with(b"{\"a\":1}\n");
        assert_eq!(cut_torn_tail(&mut whole).unwrap(), 0);
        let (_dir, mut only_torn) = file_with(b"{\"vers");
        assert_eq!(cut_torn_tail(&mut only_torn).unwrap(), 6);
        assert_eq!(only_torn.metadata().unwrap().len(), 0);
    }

    #[test]
    fn lines_come_newest_first_across_chunk_borders() {
        let long = vec![b'x'; usize::try_from(CHUNK).unwrap() + 17];
        let mut bytes = b"first\n".to_vec();
        bytes.extend_from_slice(&long);
        bytes.extend_from_slice(b"\n\nlast\n");
        let (_dir, mut file) = file_with(&bytes);
        assert_eq!(
            backwards(&mut file),
            [b"last".to_vec(), long, b"first".to_vec()]
        );
    }

    #[test]
    fn walking_backwards_stops_when_told() {
        let (_dir, mut file) = file_with(b"1\n2\n3\n");
        let mut seen = Vec::new();
        lines_backwards(&mut file, |line| {
            seen.push(line.to_vec());
            if line == b"2" {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
        assert_eq!(seen, [b"3".to_vec(), b"2".to_vec()]);
    }
}
