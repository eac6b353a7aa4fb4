//! `receivers fetch` against a fake platform, Viber, Facebook and WhatsApp: CDN links (and
//! what an expired one says), a WhatsApp media id through Graph and its hash, and file names
//! that cannot leave the directory.
#![allow(clippy::unwrap_used)]

mod fetching;
mod support;

use fetching::{WHATSAPP_TOKEN, content, envelope, fetch, written};
use serde_json::json;
use sha2::{Digest as _, Sha256};
use support::{FakeFile, FakeFiles, directory_with_demo_bots};

#[tokio::test]
async fn viber_cdn_files_land_under_a_safe_name() {
    let file = content(1200);
    let platform = FakeFiles::start(
        &[],
        vec![FakeFile::new("/media/abc.jpg", "image/jpeg", &file)],
    )
    .await;
    let (dir, _) = directory_with_demo_bots();
    let attachment = json!({"type": "image", "url": format!("{}/media/abc.jpg", platform.url),
                            "name": "../../escape.jpg"});
    let run = fetch(
        dir.path(),
        &envelope("viber", attachment, json!({})),
        &[],
        &[],
    )
    .await
    .ok();
    assert_eq!(written(dir.path()), vec!["escape.jpg".to_owned()]);
    assert_eq!(std::fs::read(dir.path().join("escape.jpg")).unwrap(), file);
    assert!(
        run.stdout.contains("mime_type: image/jpeg"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn an_expired_facebook_link_says_it_expired() {
    let platform = FakeFiles::start(
        &[],
        vec![FakeFile::new("/v/t1/photo.jpg", "text/plain", b"URL signature expired").status(403)],
    )
    .await;
    let (dir, _) = directory_with_demo_bots();
    let url = format!("{}/v/t1/photo.jpg?oh=sig&oe=65A0B1C2", platform.url);
    let attachment = json!({"type": "image", "url": url});
    let run = fetch(
        dir.path(),
        &envelope("facebook", attachment, json!({})),
        &[],
        &[],
    )
    .await
    .failed();
    assert!(run.stderr.contains("expired"), "{}", run.stderr);
    assert!(run.stderr.contains("send the file again"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("oh=sig"),
        "the link shows: {}",
        run.stderr
    );
    assert!(written(dir.path()).is_empty());
}

#[tokio::test]
async fn whatsapp_media_ids_resolve_through_graph() {
    let file = content(2048);
    let answer = json!({"url": "{base}/whatsapp/media/abc", "mime_type": "image/jpeg",
                        "file_size": "2048", "sha256": hex_sha256(&file), "id": "1234567890"});
    let platform = FakeFiles::start(
        &[("/1234567890", 200, answer)],
        vec![FakeFile::new("/whatsapp/media/abc", "image/jpeg", &file)],
    )
    .await;
    let (dir, _) = directory_with_demo_bots();
    let attachment = json!({"type": "image", "file_id": "1234567890", "mime_type": "image/jpeg"});
    let context = json!({"phone_number_id": "1100"});
    fetch(
        dir.path(),
        &envelope("whatsapp", attachment, context),
        &[],
        &[("GRAPH_API_URL", &platform.url)],
    )
    .await
    .ok();
    let saved = dir.path().join("attachment-1234567890.jpg");
    assert_eq!(std::fs::read(saved).unwrap(), file);
    let calls = platform.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0].path, "/1234567890");
    assert_eq!(calls[0].query, "phone_number_id=1100");
    assert_eq!(calls[1].path, "/whatsapp/media/abc");
    for call in &calls {
        assert_eq!(
            call.headers["authorization"],
            format!("Bearer {WHATSAPP_TOKEN}")
        );
    }
}

#[tokio::test]
async fn a_whatsapp_file_unlike_its_hash_is_refused() {
    let answer = json!({"url": "{base}/whatsapp/media/x", "sha256": "00".repeat(32)});
    let platform = FakeFiles::start(
        &[("/555", 200, answer)],
        vec![FakeFile::new(
            "/whatsapp/media/x",
            "image/png",
            b"not the file",
        )],
    )
    .await;
    let (dir, _) = directory_with_demo_bots();
    let attachment = json!({"type": "image", "file_id": "555"});
    let run = fetch(
        dir.path(),
        &envelope("whatsapp", attachment, json!({})),
        &[],
        &[("GRAPH_API_URL", &platform.url)],
    )
    .await
    .failed();
    assert!(run.stderr.contains("SHA-256"), "{}", run.stderr);
    assert!(written(dir.path()).is_empty());
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
