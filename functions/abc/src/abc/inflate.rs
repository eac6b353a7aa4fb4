//! Gzip bodies: Apple compresses what it posts. Inflates within the body limit, so a small
//! compressed body can never grow into a large allocation.

use std::io::Read;

use flate2::read::MultiGzDecoder;
use shared_core::{Rejection, Request};

/// The two bytes every gzip stream starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How much is read from the decoder at a time.
const CHUNK: usize = 16 * 1024;

/// Whether the request says or shows that its body is gzip.
pub fn is_gzip(request: &Request<'_>) -> bool {
    let declared = request.header("content-encoding").is_some_and(|value| {
        value.split(',').any(|coding| {
            matches!(
                coding.trim().to_ascii_lowercase().as_str(),
                "gzip" | "x-gzip"
            )
        })
    });
    declared || request.body.starts_with(&GZIP_MAGIC)
}

/// Inflates `compressed`: `TooLarge` past `limit` bytes, `Malformed` when the stream is corrupt.
/// The buffer never holds more than `limit` bytes.
pub fn gunzip(compressed: &[u8], limit: usize) -> Result<Vec<u8>, Rejection> {
    let mut decoder = MultiGzDecoder::new(compressed);
    let mut inflated = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let read = match decoder.read(&mut chunk) {
            Ok(0) => return Ok(inflated),
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => {
                return Err(Rejection::malformed(format_args!(
                    "the gzip body does not inflate: {err}"
                )));
            }
        };
        let total = inflated.len().saturating_add(read);
        if total > limit {
            return Err(Rejection::TooLarge);
        }
        if total > inflated.capacity() {
            // Grow by doubling, but never past the limit.
            let target = inflated
                .capacity()
                .saturating_mul(2)
                .max(CHUNK)
                .min(limit)
                .max(total);
            inflated.reserve_exact(target - inflated.len());
        }
        inflated.extend_from_slice(chunk.get(..read).unwrap_or_default());
    }
}

/// Rewrites a body's JSON text with `edit`, inflating a gzipped body first and compressing it
/// again after (for sample requests: Apple's posts are gzipped).
pub fn rewrite_body(body: &mut Vec<u8>, edit: impl FnOnce(&str) -> String) -> Result<(), String> {
    let gzipped = body.starts_with(&GZIP_MAGIC);
    let text = if gzipped {
        let mut text = String::new();
        MultiGzDecoder::new(body.as_slice())
            .read_to_string(&mut text)
            .map_err(|err| format!("the gzip body does not inflate: {err}"))?;
        text
    } else {
        String::from_utf8(std::mem::take(body)).map_err(|_| "the body is not UTF-8".to_owned())?
    };
    let edited = edit(&text);
    *body = if gzipped {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut encoder, edited.as_bytes())
            .and_then(|()| encoder.finish())
            .map_err(|err| format!("the body does not compress: {err}"))?
    } else {
        edited.into_bytes()
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn inflates_what_fits() {
        let body = br#"{"type":"text","body":"hi"}"#;
        assert_eq!(gunzip(&gzip(body), 1024).unwrap(), body);
        assert_eq!(
            gunzip(&gzip(body), body.len()).unwrap(),
            body,
            "exactly the limit fits"
        );
    }

    #[test]
    fn a_bomb_stops_at_the_limit_without_growing_past_it() {
        let bomb = gzip(&vec![b' '; 50_000_000]);
        assert!(
            bomb.len() < 100_000,
            "the compressed bomb is small: {}",
            bomb.len()
        );
        assert_eq!(gunzip(&bomb, 1 << 20), Err(Rejection::TooLarge));
        let body = vec![b'x'; 100_001];
        assert_eq!(gunzip(&gzip(&body), 100_000), Err(Rejection::TooLarge));
    }

    #[test]
    fn the_buffer_never_exceeds_the_limit() {
        let body = vec![b'a'; 300_000];
        let inflated = gunzip(&gzip(&body), 300_000).unwrap();
        assert!(
            inflated.capacity() <= 300_000,
            "capacity {}",
            inflated.capacity()
        );
    }

    #[test]
    fn corrupt_streams_are_malformed() {
        let mut truncated = gzip(br#"{"type":"text","body":"a longer body to cut in half"}"#);
        truncated.truncate(truncated.len() / 2);
        assert!(matches!(
            gunzip(&truncated, 1024),
            Err(Rejection::Malformed(_))
        ));
        assert!(matches!(
            gunzip(b"\x1f\x8bnot really gzip", 1024),
            Err(Rejection::Malformed(_))
        ));
        assert!(matches!(
            gunzip(b"{\"plain\":true}", 1024),
            Err(Rejection::Malformed(_))
        ));
        let mut trailing = gzip(b"{}");
        trailing.extend_from_slice(b"garbage");
        assert!(matches!(
            gunzip(&trailing, 1024),
            Err(Rejection::Malformed(_))
        ));
    }

    #[test]
    fn concatenated_members_inflate_as_one_body() {
        let mut body = gzip(b"{\"a\":");
        body.extend(gzip(b"1}"));
        assert_eq!(gunzip(&body, 1024).unwrap(), b"{\"a\":1}");
    }
}
